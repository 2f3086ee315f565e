"""A referral travels from Social Services to the police through the UI, and the chain holds."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import expect_settled, log_in, open_workspace
from tests.e2e.platform import Platform

# Height of the data grid's header and of each row, in pixels (Streamlit's defaults).
GRID_HEADER_PX = 35
GRID_ROW_PX = 35


def _choose(page: Page, widget: str, label: str, option: str) -> None:
    """Open the select widget labelled label and pick option."""
    page.get_by_test_id(widget).filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect_settled(page)


def _send_referral(page: Page, subject_name: str) -> None:
    open_workspace(page, "Send a share")
    expect_settled(page)
    _choose(page, "stSelectbox", "Record type", "Referral case")
    _choose(page, "stSelectbox", "Purpose", "safeguarding-referral")
    recipients = page.get_by_test_id("stMultiSelect").filter(has_text="Recipients")
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
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Decision per recipient")).to_be_visible()
    expect(main.get_by_text(re.compile(r"Shared as shares/"))).to_be_visible()
    expect(main.get_by_test_id("stDataFrame")).to_be_visible()
    expect_settled(page)


def _screenshot(page: Page, request: pytest.FixtureRequest, who: str) -> None:
    """Save the page one user ended on, beside the final screenshot conftest saves."""
    shots = request.config.rootpath / "test-artifacts" / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / f"{request.node.name}-{who}.png")


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
    _screenshot(page, request, "social")
    page.context.clear_cookies()

    log_in(page, platform, "police")
    open_workspace(page, "Inbox")
    expect_settled(page)
    _select_first_row(page)
    page.get_by_role("button", name="Read for purpose safeguarding-referral").click()
    expect(page.get_by_test_id("stTable").get_by_text(subject_name)).to_be_visible()
    expect_settled(page)
    _screenshot(page, request, "police")
    page.context.clear_cookies()

    log_in(page, platform, "auditor")
    open_workspace(page, "Audit trail")
    page.get_by_role("button", name="Verify chain").click()
    expect(page.get_by_test_id("stMain").get_by_text(re.compile("intact", re.I))).to_be_visible()
    expect_settled(page)
