"""A grant manager writes a call with two co-funders, edits the draft, opens it and then gives
applicants more time (an earlier closing date is refused at that field); a call whose closing
date comes before its opening date is refused at that field and nothing is created."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Literal

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    main_area,
    open_workspace,
    pick,
    screenshot,
)
from tests.e2e.platform import Platform

PLEDGES = {"Riverton City Hall": "60000", "Ardenia Telecom Foundation": "40000"}


def _calls_row(page: Page, text: str) -> Locator:
    """The row of the calls table (the page's first table) that holds text."""
    table = main_area(page).get_by_test_id("stDataFrame").first
    return table.locator("tr").filter(has_text=text)


def _type(page: Page, role: Literal["textbox", "spinbutton"], label: str, value: str) -> None:
    """Type value into the field labelled label and leave it, so the page takes it."""
    field = main_area(page).get_by_role(role, name=label, exact=True)
    field.fill(value)
    field.press("Tab")
    expect_settled(page)


def _set_date(page: Page, label: str, value: str) -> None:
    field = main_area(page).get_by_test_id("stDateInput").filter(has_text=label).locator("input")
    field.fill(value)
    field.press("Enter")
    expect_settled(page)


def _write_call(page: Page, title: str) -> None:
    """Every term a new call needs, two co-funders with their pledges among them."""
    _type(page, "textbox", "Title", title)
    _type(page, "textbox", "Description", "Neighbourhood projects against hate, funded jointly.")
    _type(page, "spinbutton", "Minimum award (EUR)", "1000")
    _type(page, "spinbutton", "Maximum award (EUR)", "20000")
    for funder, pledge in PLEDGES.items():
        pick(page, "Co-funders", funder)
        _type(page, "spinbutton", f"Pledge of {funder} (EUR)", pledge)
    expect(main_area(page).get_by_text("Pool (the sum of pledges): 100,000.00 EUR")).to_be_visible()
    _type(page, "spinbutton", "Minimum match funding (%)", "10")
    reports = main_area(page).get_by_role("radiogroup", name="Progress reports")
    reports.get_by_text("Semiannual", exact=True).click()
    expect_settled(page)


def test_a_manager_creates_edits_and_opens_a_call(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    suffix = uuid.uuid4().hex[:6]
    title, new_title = f"Shared Safety Fund {suffix}", f"Shared Safety Fund {suffix} (pooled)"
    main = main_area(page)
    log_in(page, platform, "manager")
    open_workspace(page, "Calls")

    _write_call(page, title)
    main.get_by_role("button", name="Create call").click()
    expect(main.get_by_text(f"“{title}” is saved as a draft.")).to_be_visible()
    expect(_calls_row(page, title)).to_contain_text("Draft")
    expect_settled(page)

    expect(main.get_by_role("textbox", name="Title", exact=True)).to_have_value(title)
    _type(page, "textbox", "Title", new_title)
    main.get_by_role("button", name="Save changes").click()
    expect(main.get_by_text(f"“{new_title}” is saved as a draft.")).to_be_visible()
    expect_settled(page)

    main.get_by_role("button", name="Open the call").click()
    expect(main.get_by_text(f"“{new_title}” is open")).to_be_visible()
    expect_settled(page)

    page.reload()
    expect_settled(page)
    row = _calls_row(page, new_title)
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("100,000.00 EUR")
    chosen = main.get_by_role("combobox", name="Call", exact=True)
    expect(chosen).to_have_value(re.compile(f"^{re.escape(new_title)} \\(open, "))
    ledger = main.get_by_test_id("stDataFrame").last
    for funder, pledge in PLEDGES.items():
        line = ledger.locator("tr").filter(has_text=funder)
        expect(line).to_contain_text(f"{int(pledge):,}.00 EUR")

    _give_more_time(page, new_title)
    screenshot(page, request, "manager")


def _give_more_time(page: Page, title: str) -> None:
    """On the open call: an earlier closing date is refused at that field; a later one and a
    reworded description are saved."""
    main = main_area(page)
    choose(page, "Open call", title)
    _set_date(page, "Closing date", f"{date.today() + timedelta(days=1):%Y-%m-%d}")
    main.get_by_role("button", name="Save the open call").click()
    refusal = main.get_by_text("an open call's deadline can only move later", exact=True)
    expect(refusal).to_be_visible()
    expect_settled(page)

    later = date.today() + timedelta(weeks=30)
    _set_date(page, "Closing date", f"{later:%Y-%m-%d}")
    _type(page, "textbox", "Description shown to applicants", "Now also for school projects.")
    main.get_by_role("button", name="Save the open call").click()
    expect(main.get_by_text(f"“{title}” is saved; it closes on {later:%Y-%m-%d}.")).to_be_visible()
    expect_settled(page)
    page.reload()
    expect_settled(page)
    choose(page, "Open call", title)
    described = main.get_by_role("textbox", name="Description shown to applicants", exact=True)
    expect(described).to_have_value("Now also for school projects.")


def test_a_call_closing_before_it_opens_is_refused_at_the_closing_date(
    page: Page, platform: Platform
) -> None:
    title = f"Backwards Fund {uuid.uuid4().hex[:6]}"
    main = main_area(page)
    log_in(page, platform, "manager")
    open_workspace(page, "Calls")

    _write_call(page, title)
    _set_date(page, "Opens on", "2031-03-01")
    _set_date(page, "Closes on", "2031-02-01")
    main.get_by_role("button", name="Create call").click()
    expect(main.get_by_text("Some values need fixing.")).to_be_visible()
    expect(main.get_by_text("the closing date must be after the opening date")).to_be_visible()
    expect_settled(page)

    page.reload()
    expect_settled(page)
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(_calls_row(page, title)).to_have_count(0)
