"""What a data-protection officer does on the Agreements page: propose an agreement with the
police, open one, sign it, and read its state."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.steps import choose, expect_settled, main_area, pick

SOCIAL, POLICE = "Riverton Social Services", "Riverton Police"
SOCIAL_TO_POLICE = f"{SOCIAL} → {POLICE}"


def segment(page: Page, name: str) -> None:
    """Press the segmented control's option name."""
    main_area(page).get_by_test_id("stButtonGroup").get_by_text(name, exact=True).click()
    expect_settled(page)


def metric(page: Page, label: str) -> Locator:
    """The agreement's figure labelled label (State, Sharing, …)."""
    return main_area(page).get_by_test_id("stMetric").filter(has_text=label)


def open_agreement(page: Page, title: str) -> None:
    """Choose the agreement titled title in the Agreement box."""
    expect_settled(page)
    choose(page, "Agreement", re.compile(re.escape(title)))


def start_proposal(page: Page, title: str) -> None:
    """In the proposal form: title, the police as the other party and trend-analysis as the
    purpose (its lawful basis shown)."""
    main = main_area(page)
    segment(page, "Propose an agreement")
    title_box = main.get_by_role("textbox", name="Title", exact=True)
    title_box.fill(title)
    title_box.press("Tab")
    expect_settled(page)
    pick(page, "Parties", POLICE)
    pick(page, "Purposes", "trend-analysis")
    purpose_row = main.get_by_test_id("stDataFrame").locator("tr").filter(has_text="trend-analysis")
    expect(purpose_row).to_contain_text("Legitimate interests")
    expect_settled(page)


def propose_to_police(page: Page, title: str) -> None:
    """As Social Services' officer, propose title: trend figures passed to the police."""
    start_proposal(page, title)
    finish_proposal(page, title)


def finish_proposal(page: Page, title: str) -> None:
    """Let aggregate statistics flow to the police and propose; version 1 waits for signatures."""
    main = main_area(page)
    pick(page, SOCIAL_TO_POLICE, "Aggregate statistics")
    expect(main.get_by_text(re.compile("^Fields let through: .*count"))).to_be_visible()
    main.get_by_role("button", name="Propose the agreement").click()
    expect(main.get_by_text(f"Version 1 of “{title}” waits for signatures.")).to_be_visible()
    expect(metric(page, "State")).to_contain_text("Proposed")
    expect_settled(page)


def sign(page: Page, becomes: str) -> None:
    """Sign version 1 for the officer's organisation; the agreement becomes becomes."""
    main_area(page).get_by_role("button", name="Sign version 1").click()
    expect(main_area(page).get_by_text(f"the agreement is {becomes}")).to_be_visible()
    expect(metric(page, "State")).to_contain_text(becomes.capitalize())
    expect_settled(page)


def end_sharing(
    page: Page, action: str, reason: str, confirm: str, done: str | re.Pattern[str]
) -> None:
    """Suspend or terminate (action) the open agreement for reason: refused until the box that
    starts with confirm is ticked, and the agreement stays active; then done is shown."""
    main = main_area(page)
    segment(page, action)
    form = main.get_by_test_id("stForm")
    form.get_by_role("textbox", name=f"Reason to {action.lower()}").fill(reason)
    form.get_by_role("button", name=action).click()
    refused = f"Tick the confirmation to {action.lower()}; nothing changed."
    expect(main.get_by_text(refused)).to_be_visible()
    expect(metric(page, "State")).to_contain_text("Active")
    form.get_by_text(re.compile(f"^{re.escape(confirm)}")).click()
    form.get_by_role("button", name=action).click()
    expect(main.get_by_text(done)).to_be_visible()
    expect_settled(page)
