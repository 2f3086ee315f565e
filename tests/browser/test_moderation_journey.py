"""Moderation in the browser: the manager changes a reviewer's score on the ranking page with a
reason and sees it, and the new ranking, after a reload; without a reason nothing changes."""

from __future__ import annotations

import re
import uuid

import grpc
import pytest
from playwright.sync_api import Page, expect

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from nlc.grants.v1 import reviews_pb2 as reviews
from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    main_area,
    open_workspace,
    screenshot,
)
from tests.e2e.platform import Platform, access_token, bearer
from tests.support import grant_requests


def _reviewed_application(platform: Platform, suffix: str) -> tuple[str, str]:
    """An open call whose one application `panel` scored 4 of 5 on impact; (call, title)."""
    manager = bearer(access_token(platform, "manager"))
    cso = bearer(access_token(platform, "cso"))
    panel = bearer(access_token(platform, "panel"))
    call_title, title = f"Moderation Fund {suffix}", f"Reviewed mentors {suffix}"
    with grpc.insecure_channel(platform.grants_target) as channel:
        grants = grants_pb2_grpc.GrantsServiceStub(channel)
        call = grant_requests.call(call_title)
        draft = grants.CreateCall(calls.CreateCallRequest(call=call), metadata=manager, timeout=10)
        grants.OpenCall(calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=10)
        reviewer = grants.RegisterReviewer(
            reviews.RegisterReviewerRequest(call=draft.name), metadata=panel, timeout=10
        )
        application = grant_requests.application(draft.name, title, f"RCT-M-{suffix}")
        created = grants.CreateApplication(
            apps.CreateApplicationRequest(application=application), metadata=cso, timeout=10
        )
        grants.SubmitApplication(
            apps.SubmitApplicationRequest(name=created.name), metadata=cso, timeout=10
        )
        assign = reviews.AssignReviewersRequest(
            application=created.name, reviewer_user_ids=[reviewer.user_id]
        )
        (review,) = grants.AssignReviewers(assign, metadata=manager, timeout=10).reviews
        score = reviews.CriterionScore(criterion_code="impact", score=4)
        grants.SubmitReview(
            reviews.SubmitReviewRequest(name=review.name, scores=[score]),
            metadata=panel,
            timeout=10,
        )
    return call_title, title


def _open_ranking(page: Page, call_title: str) -> None:
    """The ranking page of the call, freshly loaded."""
    page.reload()
    expect_settled(page)
    choose(page, "Call", re.compile(f"^{re.escape(call_title)} "))


def _moderate(page: Page, score: str, reason: str) -> None:
    """Fill the moderation form at the foot of the page and send it."""
    form = main_area(page).get_by_test_id("stForm").filter(has_text="Moderate score")
    form.scroll_into_view_if_needed()
    new_score = form.get_by_role("spinbutton", name="New score")
    new_score.fill(score)
    new_score.press("Tab")
    form.get_by_role("textbox", name="Reason").fill(reason)
    form.get_by_role("button", name="Moderate score").click()


def test_the_manager_moderates_a_score_and_sees_it_after_a_reload(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    call_title, title = _reviewed_application(platform, uuid.uuid4().hex[:6])
    main = main_area(page)
    first = re.escape(title)
    log_in(page, platform, "manager")
    open_workspace(page, "Ranking")
    choose(page, "Call", re.compile(f"^{re.escape(call_title)} "))
    expect(main.get_by_text(re.compile(f"First: {first} .* 80% with 1 of 1"))).to_be_visible()
    expect(main.get_by_test_id("stTable")).to_contain_text("panel")

    _moderate(page, "2", "")
    problem = main.get_by_test_id("stAlert").filter(has_text="Some values need fixing.")
    expect(problem).to_contain_text("reason: is required")
    expect_settled(page)
    _open_ranking(page, call_title)
    expect(main.get_by_text(re.compile(f"First: {first} .* 80% with 1 of 1"))).to_be_visible()
    expect(main.get_by_test_id("stTable")).not_to_contain_text("moderated")

    _moderate(page, "2", "Reach is overstated")
    expect(main.get_by_text("Impact in panel's review is moderated.")).to_be_visible()
    expect_settled(page)
    _open_ranking(page, call_title)
    expect(main.get_by_text(re.compile(f"First: {first} .* 40% with 1 of 1"))).to_be_visible()
    expect(main.get_by_test_id("stTable")).to_contain_text("2 (moderated, was 4)")
    expect(
        main.get_by_text(re.compile("4 → 2, moderated by manager on .*: “Reach is overstated”"))
    ).to_be_visible()
    screenshot(page, request, "manager-moderated")
