"""A city officer writes a progress report on the Reports due page: values, a support request,
a draft that survives a reload, submission, a return by the reviewer and a resubmission; and a
request without a description that the service refuses, saving nothing."""

from __future__ import annotations

import re
from typing import Literal

import grpc
import pytest
from playwright.sync_api import Locator, Page, expect

from nlc.reporting.v1 import cycles_pb2, reporting_pb2_grpc
from nlc.reporting.v1 import reports_pb2 as pb
from services.common.demo_ids import RIVERTON
from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_workspace,
    screenshot,
)
from tests.e2e.platform import Platform, access_token, bearer

AUTHOR = "Riverton City Hall"
ASK = "Co-fund a youth worker for the east district"
RETURN_REASON = "Say which district held the extra network meetings."


def reopen_latest_accepted_report(platform: Platform) -> str:
    """As the national reviewer, reopen Riverton's latest accepted report (the demo's cycles have
    locked, so this is the report the officer can still change); its cycle code."""
    reviewer = bearer(access_token(platform, "reviewer"))
    with grpc.insecure_channel(platform.reporting_target) as channel:
        reporting = reporting_pb2_grpc.ReportingServiceStub(channel)
        listed = reporting.ListProgressReports(
            pb.ListProgressReportsRequest(
                organisation=f"organisations/{RIVERTON}", state=pb.REPORT_STATE_ACCEPTED
            ),
            metadata=reviewer,
            timeout=10,
        ).progress_reports
        assert listed, "the demo left no accepted Riverton report"
        latest = max(listed, key=lambda r: r.cycle)
        reopen = pb.ReopenProgressReportRequest(
            name=latest.name, reason="The meeting count was wrong; please correct it."
        )
        reporting.ReopenProgressReport(reopen, metadata=reviewer, timeout=10)
    return latest.cycle.removeprefix("reportingCycles/")


def unstarted_cycle(platform: Platform) -> str:
    """The cycle of the report Riverton owes but has not started (the one under way)."""
    city = bearer(access_token(platform, "city"))
    with grpc.insecure_channel(platform.reporting_target) as channel:
        reporting = reporting_pb2_grpc.ReportingServiceStub(channel)
        expected = reporting.ListExpectedReports(
            cycles_pb2.ListExpectedReportsRequest(), metadata=city, timeout=10
        ).expected_reports
    (unstarted,) = [e for e in expected if not e.report]
    return unstarted.cycle.removeprefix("reportingCycles/")


def open_reports_due(page: Page, platform: Platform) -> None:
    log_in(page, platform, "city")
    open_workspace(page, "Reports due")
    expect(main_area(page).get_by_role("heading", name="Write a report")).to_be_visible()
    expect_settled(page)


Role = Literal["textbox", "spinbutton"]


def field(page: Page, role: Role, label: str) -> Locator:
    """The form field labelled label."""
    return main_area(page).get_by_role(role, name=label, exact=True)


def fill(page: Page, role: Role, label: str, value: str) -> None:
    """Type value into the field labelled label and leave it, so the form takes it."""
    typed = field(page, role, label)
    typed.fill(value)
    typed.press("Tab")


def press(page: Page, button: str) -> None:
    main_area(page).get_by_role("button", name=button).click()
    expect_settled(page)


def test_a_city_officer_saves_submits_and_resubmits_a_returned_report(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    open_reports_due(page, platform)
    cycle = reopen_latest_accepted_report(platform)
    page.reload()
    expect_settled(page)
    choose(page, "Report to open", re.compile(f"^{cycle}, due "))
    main = main_area(page)
    expect(main.get_by_text("Reopened by the reviewer")).to_be_visible()
    choose(page, "Kind of new request", "Funding")
    fill(page, "spinbutton", "Value of I2 (meetings)", "7")
    fill(page, "textbox", "New request", ASK)
    fill(page, "spinbutton", "Amount of new request (EUR)", "2500")
    press(page, "Save draft")
    expect(main.get_by_text("Draft saved.")).to_be_visible()

    page.reload()
    expect_settled(page)
    choose(page, "Report to open", re.compile(f"^{cycle}, due "))
    expect(field(page, "spinbutton", "Value of I2 (meetings)")).to_have_value("7.00")
    expect(field(page, "textbox", "Request 2")).to_have_value(ASK)
    expect(field(page, "spinbutton", "Amount of request 2 (EUR)")).to_have_value("2500.00")
    press(page, "Submit report")
    expect(main.get_by_text(re.compile(rf"Report {cycle} submitted"))).to_be_visible()
    expect(main.get_by_text("This report is submitted")).to_be_visible()
    screenshot(page, request, "city-submitted")
    log_out(page)

    log_in(page, platform, "reviewer")
    open_workspace(page, "Report review")
    choose(page, "Report to review", f"{AUTHOR}, {cycle}")
    main = main_area(page)
    expect(main.get_by_role("heading", name=f"{AUTHOR}, {cycle}")).to_be_visible()
    expect_settled(page)  # the buttons below belong to this report, not the one shown before
    expect(main.get_by_text(ASK)).to_be_visible()
    main.get_by_role("textbox", name="Reason for returning it (required)").fill(RETURN_REASON)
    press(page, "Return report")
    expect(main.get_by_text("Report returned to its authors.")).to_be_visible()
    log_out(page)

    open_reports_due(page, platform)
    choose(page, "Report to open", re.compile(f"^{cycle}, due "))
    main = main_area(page)
    expect(main.get_by_text(RETURN_REASON)).to_be_visible()
    fill(page, "textbox", "Lessons learned", "Count network meetings per district.")
    press(page, "Submit report")
    expect(main.get_by_text(re.compile(rf"Report {cycle} submitted"))).to_be_visible()
    expect(main.get_by_text("This report is submitted")).to_be_visible()
    expect(main.get_by_test_id("stAlertContentError")).to_have_count(0)


def test_a_support_request_without_a_description_is_refused_and_nothing_is_saved(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    open_reports_due(page, platform)
    cycle = unstarted_cycle(platform)
    choose(page, "Report to open", re.compile(f"^{cycle}, due "))
    press(page, "Start this report")
    main = main_area(page)
    expect(main.get_by_text("Report started from your action plan")).to_be_visible()
    choose(page, "Kind of new request", "Guidance")
    fill(page, "spinbutton", "Value of I2 (meetings)", "4")
    press(page, "Save draft")
    error = main.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("Some values need fixing.")
    expect(error).to_contain_text("New request")
    expect(error).to_contain_text("is required: say what support you need")
    screenshot(page, request, "refused")

    page.reload()
    expect_settled(page)
    choose(page, "Report to open", re.compile(f"^{cycle}, due "))
    expect(field(page, "spinbutton", "Value of I2 (meetings)")).to_have_value("")
    expect(field(page, "textbox", "Request 1")).to_have_count(0)
    expect(main.get_by_test_id("stAlertContentError")).to_have_count(0)
