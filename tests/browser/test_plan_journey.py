"""Action plans in the browser: the city amends its approved plan and submits it, the national
reviewer requests changes, the city answers them and resubmits, the reviewer reads the changes
since the version in force and approves; a plan without a title is refused and stays as it was;
a new plan written from scratch is kept as a draft."""

from __future__ import annotations

import re
import uuid

import grpc
import pytest
from playwright.sync_api import Locator, Page, expect

from nlc.reporting.v1 import plans_pb2 as pb
from nlc.reporting.v1.reporting_pb2_grpc import ReportingServiceStub
from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_titled,
    open_workspace,
    screenshot,
)
from tests.e2e.platform import Platform, access_token, bearer
from tests.support.plan_requests import city_hall_plan

FIRST_GOAL = "Fewer young people drawn into violent extremism"


def _approved_plan(platform: Platform, title: str) -> None:
    """What the journey starts from: a plan of the city hall, approved as version 1."""
    city = bearer(access_token(platform, "city"))
    reviewer = bearer(access_token(platform, "reviewer"))
    with grpc.insecure_channel(platform.reporting_target) as channel:
        reporting = ReportingServiceStub(channel)
        creating = pb.CreateActionPlanRequest(action_plan=city_hall_plan(title))
        plan = reporting.CreateActionPlan(creating, metadata=city, timeout=10)
        submitting = pb.SubmitActionPlanRequest(name=plan.name, etag=plan.etag)
        plan = reporting.SubmitActionPlan(submitting, metadata=city, timeout=10)
        approving = pb.ApproveActionPlanRequest(name=plan.name, etag=plan.etag)
        reporting.ApproveActionPlan(approving, metadata=reviewer, timeout=10)


def _plan_form(page: Page) -> Locator:
    return main_area(page).get_by_test_id("stForm").filter(has_text="Theory of change")


def _save(page: Page, field: str, text: str) -> None:
    """Type text into field of the plan form and save the plan."""
    form = _plan_form(page)
    form.get_by_role("textbox", name=field).fill(text)
    form.get_by_role("button", name="Save plan").click()
    expect(main_area(page).get_by_text(re.compile(r"” is saved\.$"))).to_be_visible()
    expect_settled(page)


def _submit(page: Page, says: str) -> None:
    main_area(page).get_by_role("button", name="Submit for review").click()
    expect(main_area(page).get_by_text(re.compile(f"” is {says} for review\\.$"))).to_be_visible()
    expect_settled(page)


def _open_review(page: Page, title: str) -> Locator:
    """The plan chosen in Plan review; its table of changes."""
    open_workspace(page, "Plan review")
    choose(page, "Plan to review", f"{title}, version 2")
    expect(main_area(page).get_by_role("heading", name=title)).to_be_visible()
    expect(main_area(page).get_by_text("Changes from version 1 to version 2")).to_be_visible()
    expect_settled(page)
    return main_area(page).get_by_test_id("stTable").first


def test_a_plan_goes_back_for_changes_and_is_approved_after_them(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    suffix = uuid.uuid4().hex[:6]
    title = f"Riverton mentoring plan {suffix}"
    goal = f"Every school has a trusted mentor ({suffix})"
    outcome = f"Parents trust schools ({suffix})"
    reason = f"Say which outcome the parents' work serves ({suffix})."
    _approved_plan(platform, title)
    main = main_area(page)

    log_in(page, platform, "city")
    open_titled(page, "Action plan", "Plan", title)
    main.get_by_role("button", name="Amend plan").click()
    expect(main.get_by_text("Version 2 is a new draft; version 1 stays in force.")).to_be_visible()
    expect_settled(page)
    _save(page, "Goal", goal)
    _submit(page, "submitted")
    log_out(page)

    log_in(page, platform, "reviewer")
    changes = _open_review(page, title)
    expect(changes.locator("tr").filter(has_text="Theory of change, goal")).to_contain_text(goal)
    form = main.get_by_test_id("stForm").filter(has_text="Reason for requesting changes")
    form.get_by_role("textbox", name="Reason for requesting changes (required)").fill(reason)
    form.get_by_role("button", name="Request changes").click()
    expect(main.get_by_text(f"“{title}” went back to its authors for changes.")).to_be_visible()
    expect_settled(page)
    log_out(page)

    log_in(page, platform, "city")
    open_titled(page, "Action plan", "Plan", title)
    expect(main.get_by_test_id("stAlert").filter(has_text="Changes requested")).to_contain_text(
        reason
    )
    _save(page, "Outcomes (one a line)", f"Young people trust local institutions\n{outcome}")
    _submit(page, "resubmitted")
    log_out(page)

    log_in(page, platform, "reviewer")
    changes = _open_review(page, title)
    expect(changes.locator("tr").filter(has_text="Theory of change, outcomes")).to_contain_text(
        outcome
    )
    main.get_by_role("button", name="Approve plan").click()
    expect(main.get_by_text(f"“{title}” version 2 is approved.")).to_be_visible()
    expect_settled(page)
    screenshot(page, request, "reviewer")
    log_out(page)

    log_in(page, platform, "city")
    open_titled(page, "Action plan", "Plan", title)
    page.reload()
    expect(main.get_by_text("Version 2 · Approved · version 2 in force")).to_be_visible()
    expect(main.get_by_text(goal)).to_be_visible()
    expect_settled(page)


def test_a_plan_without_a_title_is_refused_and_stays_as_it_was(
    page: Page, platform: Platform
) -> None:
    title = f"Riverton cohesion plan {uuid.uuid4().hex[:6]}"
    _approved_plan(platform, title)
    main = main_area(page)

    log_in(page, platform, "city")
    open_titled(page, "Action plan", "Plan", title)
    main.get_by_role("button", name="Amend plan").click()
    expect(main.get_by_text("Version 2 is a new draft; version 1 stays in force.")).to_be_visible()
    expect_settled(page)
    form = _plan_form(page)
    form.get_by_role("textbox", name="Title").fill("")
    form.get_by_role("button", name="Save plan").click()
    expect(main.get_by_test_id("stAlert").filter(has_text="Title: is required")).to_be_visible()
    expect_settled(page)
    page.reload()
    expect(main.get_by_role("heading", name=title)).to_be_visible()
    expect(_plan_form(page).get_by_role("textbox", name="Title")).to_have_value(title)
    expect(main.get_by_text("Version 2 · Draft · version 1 in force")).to_be_visible()
    expect_settled(page)


def test_a_city_writes_a_new_plan_from_scratch(page: Page, platform: Platform) -> None:
    title = f"Riverton youth plan {uuid.uuid4().hex[:6]}"
    main = main_area(page)
    log_in(page, platform, "city")
    open_workspace(page, "Action plan")
    choose(page, "Plan", "New plan")
    expect(main.get_by_role("heading", name="New plan")).to_be_visible()
    form = _plan_form(page)
    new_title = form.get_by_role("textbox", name="Title")
    expect(new_title).to_have_count(1)  # the plan shown before may linger while the page reruns
    expect(new_title).to_have_value("")
    new_title.fill(title)
    form.get_by_role("textbox", name="Goal").fill(FIRST_GOAL)
    form.get_by_role("textbox", name="Outcomes (one a line)").fill("Fewer referrals\nMore mentors")
    form.get_by_role("button", name="Save plan").click()
    expect(main.get_by_text(f"“{title}” is saved as a draft.")).to_be_visible()
    expect_settled(page)

    page.reload()
    expect_settled(page)
    plans = main.get_by_test_id("stDataFrame").first
    expect(plans.locator("tr").filter(has_text=title)).to_contain_text("Draft")
    choose(page, "Plan", f"{title} (draft)")
    written = _plan_form(page)
    expect(written.get_by_role("textbox", name="Goal")).to_have_value(FIRST_GOAL)
    outcomes = written.get_by_role("textbox", name="Outcomes (one a line)")
    expect(outcomes).to_have_value("Fewer referrals\nMore mentors")
