"""A referral travels from Social Services to the police through the UI, and the chain holds."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import (
    choose,
    expect_settled,
    live,
    log_in,
    log_out,
    main_area,
    open_workspace,
    screenshot,
)
from tests.e2e.platform import Platform

# Height of the data grid's header and of each row, in pixels (Streamlit's defaults).
GRID_HEADER_PX = 35
GRID_ROW_PX = 35


def _send_referral(page: Page, subject_name: str) -> None:
    open_workspace(page, "Send a share")
    expect_settled(page)
    choose(page, "Record type", "Referral case")
    choose(page, "Purpose", "safeguarding-referral")
    recipients = live(page, "stMultiSelect").filter(has_text="Recipients")
    expect(recipients).to_have_count(1)
    recipients.get_by_role("combobox").fill("Riverton Police")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(recipients.get_by_text("Riverton Police", exact=True)).to_be_visible()
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Subject reference").fill(
        f"SOC-JOURNEY-{uuid.uuid4().hex[:8]}"
    )
    form.get_by_role("textbox", name=re.compile("^Full name of the person referred")).fill(
        subject_name
    )
    form.get_by_role("textbox", name=re.compile("^What gave rise to concern")).fill(
        "Shared extremist posts in class."
    )
    form.get_by_role("button", name="Send").click()
    main = main_area(page)
    expect(main.get_by_text("Decision per recipient")).to_be_visible()
    expect(main.get_by_text(re.compile(r"Shared as shares/"))).to_be_visible()
    expect(main.get_by_test_id("stDataFrame")).to_be_visible()
    expect_settled(page)


def _select_first_row(page: Page) -> None:
    """Tick the first row's selector in the page's table."""
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    grid.click(position={"x": 12, "y": GRID_HEADER_PX + GRID_ROW_PX // 2})
    expect_settled(page)


def test_a_referral_is_sent_read_and_the_chain_stays_intact(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    subject_name = f"Journey Person {uuid.uuid4().hex[:6]}"
    log_in(page, platform, "social")
    _send_referral(page, subject_name)
    screenshot(page, request, "social")
    log_out(page)

    log_in(page, platform, "police")
    open_workspace(page, "Inbox")
    expect_settled(page)
    _select_first_row(page)
    page.get_by_role("button", name="Read for purpose safeguarding-referral").click()
    expect(page.get_by_test_id("stTable").get_by_text(subject_name)).to_be_visible()
    expect_settled(page)
    screenshot(page, request, "police")
    log_out(page)

    log_in(page, platform, "auditor")
    open_workspace(page, "Audit trail")
    page.get_by_role("button", name="Verify chain").click()
    expect(main_area(page).get_by_text(re.compile("intact", re.I))).to_be_visible()
    expect_settled(page)
