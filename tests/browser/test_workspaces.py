"""Each role sees its own workspaces after logging in through the dev IdP, and they work."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.steps import choose, expect_settled, log_in, navigation, open_workspace
from tests.e2e.platform import Platform


def test_sharer_sees_the_infoshare_workspaces_and_not_the_national_overview(
    page: Page, platform: Platform
) -> None:
    log_in(page, platform, "sharer")
    nav = navigation(page)
    expect(nav.get_by_role("link", name="Inbox")).to_be_visible()
    expect(nav.get_by_role("link", name="Send a share")).to_be_visible()
    expect(nav.get_by_role("link", name="National overview")).to_have_count(0)
    expect_settled(page)


def test_reviewer_sees_the_compliance_matrix_and_no_infoshare_workspace(
    page: Page, platform: Platform
) -> None:
    log_in(page, platform, "reviewer")
    nav = navigation(page)
    expect(nav.get_by_role("link", name="Inbox")).to_have_count(0)
    expect(nav.get_by_role("link", name="Send a share")).to_have_count(0)
    open_workspace(page, "National overview")
    chart = page.get_by_test_id("stVegaLiteChart").locator("canvas, svg")
    expect(chart.or_(page.get_by_test_id("stDataFrame")).first).to_be_visible()
    expect_settled(page)


def test_auditor_verifies_the_audit_chain_intact(page: Page, platform: Platform) -> None:
    log_in(page, platform, "auditor")
    open_workspace(page, "Audit trail")
    page.get_by_role("button", name="Verify chain").click()
    expect(page.get_by_test_id("stMain").get_by_text(re.compile("intact", re.I))).to_be_visible()
    expect_settled(page)


def test_an_infoshare_officer_reads_agreements_without_governing_them(
    page: Page, platform: Platform
) -> None:
    log_in(page, platform, "social")
    open_workspace(page, "Agreements")
    choose(page, "Agreement", re.compile("^Riverton multi-agency safeguarding table "))
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_role("heading", name="Riverton multi-agency safeguarding table")
    ).to_be_visible()
    expect_settled(page)
    expect(main.get_by_text("Propose an agreement", exact=True)).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile("^Sign version"))).to_have_count(0)
