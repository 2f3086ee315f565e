"""What a person does in the UI: log in through the dev IdP, open a workspace, read the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.platform import Platform

DEMO_PASSWORD = "demo"


def landing_login_button(page: Page) -> Locator:
    return page.get_by_role("button", name="Log in")


def navigation(page: Page) -> Locator:
    return page.get_by_test_id("stSidebarNav")


def log_in(page: Page, platform: Platform, username: str) -> None:
    """From the landing page through the dev IdP's login form back to the UI's navigation."""
    page.goto(platform.ui_url)
    landing_login_button(page).click()
    expect(page.locator("#kc-form-login")).to_be_visible()
    page.locator("#username").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#kc-login").click()
    expect(navigation(page)).to_be_visible()


def open_workspace(page: Page, title: str) -> None:
    """Follow the navigation link to its page."""
    link = navigation(page).get_by_role("link", name=title)
    href = link.get_attribute("href")
    assert href, f"the link to {title} has no address"
    link.click()
    expect(page).to_have_url(href)


def expect_settled(page: Page) -> None:
    """The script run has finished, no element of an earlier run is left on the page, every
    element has loaded, and none is a stack trace."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


def live(page: Page, test_id: str) -> Locator:
    """Elements with test_id that belong to the current script run: a rerun can leave the
    previous run's copy on the page for a moment, marked stale."""
    containers = page.locator('[data-testid="stElementContainer"]:not([data-stale="true"])')
    return containers.get_by_test_id(test_id)


def main_area(page: Page) -> Locator:
    """The page's own content, without the navigation."""
    return page.get_by_test_id("stMain")


def to_the_middle(box: Locator) -> None:
    """Scroll box to the middle of the window, so the list it opens fits below it: scrolling
    while a list is open closes the list."""
    box.evaluate("element => element.scrollIntoView({block: 'center'})")


def choose(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Open the select box labelled label, scrolled to the middle first, and pick option."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    to_the_middle(box)
    box.click()
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click()
    expect_settled(page)


def open_titled(page: Page, workspace: str, label: str, title: str) -> None:
    """In workspace, choose from the select box labelled label the entry that starts with title,
    and wait for the heading title."""
    open_workspace(page, workspace)
    choose(page, label, re.compile(f"^{re.escape(title)} "))
    expect(main_area(page).get_by_role("heading", name=title)).to_be_visible()
    expect_settled(page)


def pick(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Add option to the multiselect labelled label (scrolled to the middle first, as for
    choose), and close its list."""
    box = page.get_by_test_id("stMultiSelect").filter(has_text=label)
    to_the_middle(box)
    box.click()
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click()
    page.keyboard.press("Escape")
    expect_settled(page)


def screenshot(page: Page, request: pytest.FixtureRequest, who: str) -> None:
    """Save the page one user ended on, beside the final screenshot conftest saves."""
    shots = request.config.rootpath / "test-artifacts" / "browser"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / f"{request.node.name}-{who}.png")


def log_out(page: Page) -> None:
    """End the session in the browser, so the next user logs in afresh."""
    page.context.clear_cookies()
