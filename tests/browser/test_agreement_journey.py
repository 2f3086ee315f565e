"""Social Services' data-protection officer proposes an agreement with the police (a proposal
that lets nothing flow is refused at that field and creates nothing); both DPOs sign it, the
police DPO reviews and amends it (a longer review interval, one more category passed), and
Social Services suspends it after confirming."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agreement_steps import (
    SOCIAL_TO_POLICE,
    end_sharing,
    finish_proposal,
    metric,
    open_agreement,
    segment,
    sign,
    start_proposal,
)
from tests.browser.steps import (
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_workspace,
    pick,
    screenshot,
)
from tests.e2e.platform import Platform


def _propose_without_flows(page: Page, title: str) -> None:
    main = main_area(page)
    start_proposal(page, title)
    main.get_by_role("button", name="Propose the agreement").click()
    expect(
        main.get_by_text("name at least one flow of information between the parties")
    ).to_be_visible()
    expect_settled(page)


def _review_and_amend(page: Page) -> None:
    main = main_area(page)
    segment(page, "Review")
    main.get_by_role("textbox", name="Review notes").fill(
        "Flows still needed for the trend report."
    )
    main.get_by_role("button", name="Record the review").click()
    expect(main.get_by_text(re.compile("^Review recorded; the next one is due on"))).to_be_visible()
    expect_settled(page)

    segment(page, "Amend")
    expect(main.get_by_role("button", name="Propose the amendment")).to_be_visible()
    expect_settled(page)
    months = main.get_by_role("spinbutton", name="Review every (months)")
    months.fill("6")
    months.press("Tab")
    expect_settled(page)
    pick(page, SOCIAL_TO_POLICE, "Opinion")
    main.get_by_role("button", name="Propose the amendment").click()
    expect(main.get_by_text(re.compile("^Version 2 of .* waits for signatures"))).to_be_visible()
    expect(main.get_by_text("What version 2 changed:")).to_be_visible()
    expect(main.get_by_text("Review every: 12 → 6 months")).to_be_visible()
    added = main.get_by_text(f"{SOCIAL_TO_POLICE} may now also pass Opinion", exact=True)
    expect(added).to_be_visible()
    expect(metric(page, "State")).to_contain_text("Active")
    expect_settled(page)


def test_an_agreement_is_proposed_signed_reviewed_amended_and_suspended(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    title = f"Trend figures for the police {uuid.uuid4().hex[:6]}"
    reason = "Police asked to pause while their records system is audited."
    main = main_area(page)
    log_in(page, platform, "social-dpo")
    open_workspace(page, "Agreements")
    expect_settled(page)

    _propose_without_flows(page, title)
    finish_proposal(page, title)
    agreements = main.get_by_test_id("stDataFrame").first
    expect(agreements.locator("tr").filter(has_text=title)).to_have_count(1)
    sign(page, "proposed")
    screenshot(page, request, "social-dpo")
    log_out(page)

    log_in(page, platform, "police-dpo")
    open_workspace(page, "Agreements")
    open_agreement(page, title)
    sign(page, "active")
    _review_and_amend(page)
    screenshot(page, request, "police-dpo")
    log_out(page)

    log_in(page, platform, "social-dpo")
    open_workspace(page, "Agreements")
    open_agreement(page, title)
    end_sharing(page, "Suspend", reason, "I confirm: sharing stops", re.compile("is suspended\\.$"))
    page.reload()
    expect_settled(page)
    expect(main.get_by_role("heading", name=title)).to_be_visible()
    expect(metric(page, "State")).to_contain_text("Suspended")
    expect(main.get_by_text(f"Suspended: {reason}")).to_be_visible()
