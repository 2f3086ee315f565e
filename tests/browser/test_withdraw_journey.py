"""Withdrawing in the browser: a CSO withdraws its submitted application after confirming, and it
stays withdrawn after a reload; an awarded application offers no withdrawal."""

from __future__ import annotations

import uuid

import grpc
from playwright.sync_api import Locator, Page, expect

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from tests.browser.steps import expect_settled, log_in, main_area, open_workspace, to_the_middle
from tests.browser.test_grants_journey import _table_row
from tests.e2e.platform import Platform, access_token, bearer
from tests.support import grant_requests

# services/grants/demo_data.py: the CSO's awarded application to the Shared Endeavour Fund.
AWARDED = "Youth mentors in Riverton North"


def _submitted_application(platform: Platform, suffix: str) -> str:
    """What the demo lacks for a test of its own: a submitted application of the CSO's
    organisation, to a call the manager opens for it; its title."""
    manager = bearer(access_token(platform, "manager"))
    cso = bearer(access_token(platform, "cso"))
    title = f"Withdrawn mentors {suffix}"
    with grpc.insecure_channel(platform.grants_target) as channel:
        grants = grants_pb2_grpc.GrantsServiceStub(channel)
        call = grant_requests.call(f"Withdrawal Fund {suffix}")
        draft = grants.CreateCall(calls.CreateCallRequest(call=call), metadata=manager, timeout=10)
        grants.OpenCall(calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=10)
        application = grant_requests.application(draft.name, title, f"RCT-W-{suffix}")
        created = grants.CreateApplication(
            apps.CreateApplicationRequest(application=application), metadata=cso, timeout=10
        )
        grants.SubmitApplication(
            apps.SubmitApplicationRequest(name=created.name), metadata=cso, timeout=10
        )
    return title


def _withdrawal_choices(page: Page) -> Locator:
    """Open the withdrawal select box (at the foot of the page, so scrolled to first)."""
    box = main_area(page).get_by_role("combobox", name="Application to withdraw")
    to_the_middle(box)
    box.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    return options


def _withdrawal_options(page: Page) -> list[str]:
    """The applications the withdrawal select box offers."""
    texts = _withdrawal_choices(page).all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def test_a_cso_withdraws_a_submitted_application_after_confirming(
    page: Page, platform: Platform
) -> None:
    title = _submitted_application(platform, uuid.uuid4().hex[:6])
    main = main_area(page)
    log_in(page, platform, "cso")
    open_workspace(page, "My applications")
    expect(_table_row(page, title)).to_contain_text("Submitted")
    expect_settled(page)
    offered = _withdrawal_options(page)
    assert any(o.startswith(title) for o in offered), offered
    assert not any(o.startswith(AWARDED) for o in offered), offered

    _withdrawal_choices(page).filter(has_text=title).click()
    expect_settled(page)
    main.get_by_role("button", name="Withdraw").click()
    expect(
        main.get_by_text("Tick the confirmation to withdraw; nothing was withdrawn.")
    ).to_be_visible()
    expect(_table_row(page, title)).to_contain_text("Submitted")
    expect_settled(page)

    main.get_by_label("Reason for withdrawing (optional)").fill("Our partner pulled out.")
    main.get_by_text(f"I confirm withdrawing “{title}”").click()
    main.get_by_role("button", name="Withdraw").click()
    expect(main.get_by_text(f"“{title}” is withdrawn.")).to_be_visible()
    expect(_table_row(page, title)).to_contain_text("Withdrawn")
    expect_settled(page)

    page.reload()
    expect_settled(page)
    expect(_table_row(page, title)).to_contain_text("Withdrawn")
    assert not any(o.startswith(title) for o in _withdrawal_options(page))
