"""Social Services and the police sign an agreement; the police data-protection officer
terminates it with a reason (nothing changes until they confirm) and, after a reload, sees it
terminated with that reason, sharing stopped and nothing left to do to it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agreement_steps import (
    end_sharing,
    metric,
    open_agreement,
    propose_to_police,
    sign,
)
from tests.browser.steps import (
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_workspace,
    screenshot,
)
from tests.e2e.platform import Platform


def test_a_data_protection_officer_terminates_an_agreement_with_a_reason(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    title = f"Trend figures to end {uuid.uuid4().hex[:6]}"
    reason = "The joint trend analysis has ended; nothing more is needed."
    main = main_area(page)
    log_in(page, platform, "social-dpo")
    open_workspace(page, "Agreements")
    expect_settled(page)
    propose_to_police(page, title)
    sign(page, "proposed")
    log_out(page)

    log_in(page, platform, "police-dpo")
    open_workspace(page, "Agreements")
    open_agreement(page, title)
    sign(page, "active")
    end_sharing(
        page, "Terminate", reason, "I confirm: it ends for good", f"“{title}” is terminated."
    )

    page.reload()
    expect_settled(page)
    expect(main.get_by_role("heading", name=title)).to_be_visible()
    expect(metric(page, "State")).to_contain_text("Terminated")
    expect(metric(page, "Sharing")).to_contain_text("Terminated")
    expect(main.get_by_text(f"Terminated: {reason}")).to_be_visible()
    expect(main.get_by_text("Act on the agreement")).to_have_count(0)
    screenshot(page, request, "police-dpo")
