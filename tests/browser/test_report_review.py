"""A national reviewer reads the report the demo left waiting for review, without deciding on it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.steps import expect_settled, log_in, navigation, open_workspace
from tests.e2e.platform import Platform

# services/reporting/demo_data.py: Lakeside's report for the latest closed cycle is "submitted".
AUTHOR = "Lakeside County Council"
SUPPORT_ASKED = "Co-fund a county youth worker post"


def test_reviewer_reads_the_submitted_lakeside_report(page: Page, platform: Platform) -> None:
    log_in(page, platform, "reviewer")
    expect(navigation(page).get_by_role("link", name="Report review")).to_be_visible()
    open_workspace(page, "Report review")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Report review")).to_be_visible()
    expect(main.get_by_test_id("stDataFrame")).to_be_visible()
    expect(main.get_by_role("heading", name=AUTHOR)).to_be_visible()
    expect(main.get_by_text(SUPPORT_ASKED)).to_be_visible()
    expect(main.get_by_text("Dialogue circles ran in every district", exact=False)).to_be_visible()
    expect(main.get_by_role("button", name="Accept report")).to_be_visible()
    expect(main.get_by_role("button", name="Return report")).to_be_visible()
    expect(main.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect_settled(page)
