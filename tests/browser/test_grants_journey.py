"""Grants in the browser: a CSO applies, the panel scores it, the manager awards and pays it and
the funder's ledger moves; a draft changed in another tab is never overwritten."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta

import grpc
import pytest
from playwright.sync_api import Locator, Page, expect

from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from nlc.grants.v1 import reviews_pb2 as reviews
from nlc.registry.v1 import mandates_pb2
from tests.browser.steps import (
    choose,
    expect_settled,
    log_in,
    log_out,
    main_area,
    open_workspace,
    pick,
    screenshot,
)
from tests.e2e.platform import Platform, access_token, bearer
from tests.support import grant_requests
from tests.support.grant_requests import eur

# The pool, half from each funder; the `funder` demo user is the telecom foundation's.
POOL_EUR = 200_000
# services/grants/demo_data.py: the CSO's draft to this call is left unfinished.
SMALL_GRANTS = "Safer Neighbourhoods Small Grants 2026"


def _pooled_call(title: str) -> calls.Call:
    """An open call of the city hall and the telecom foundation, half the pool each."""
    return grant_requests.call(
        title,
        description="Neighbourhood projects against hate, funded by the city and a partner.",
        funders=grant_requests.pooled_funders(POOL_EUR // 2 * 100),
        min_award=eur(1_000 * 100),
        max_award=eur(20_000 * 100),
        match_rule=calls.MatchRule(min_match_bps=1_000),
        criteria=[
            calls.Criterion(code="impact", title="Impact", weight=2, max_score=5),
            calls.Criterion(code="reach", title="Reach", weight=1, max_score=5),
        ],
        closes_in=timedelta(days=30),
        decision_in=timedelta(days=45),
        periodicity=mandates_pb2.REPORTING_PERIODICITY_SEMIANNUAL,
    )


def _open_call_with_panel(platform: Platform, title: str) -> None:
    """What the demo lacks: an open pooled call the telecom co-funds, with `panel` on its panel."""
    manager = bearer(access_token(platform, "manager"))
    panel = bearer(access_token(platform, "panel"))
    with grpc.insecure_channel(platform.grants_target) as channel:
        grants = grants_pb2_grpc.GrantsServiceStub(channel)
        draft = grants.CreateCall(
            calls.CreateCallRequest(call=_pooled_call(title)), metadata=manager, timeout=10
        )
        grants.OpenCall(calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=10)
        grants.RegisterReviewer(
            reviews.RegisterReviewerRequest(call=draft.name), metadata=panel, timeout=10
        )


def _table_row(page: Page, text: str) -> Locator:
    """The row of the page's table that holds text (the grid's screen-reader table)."""
    return main_area(page).get_by_test_id("stDataFrame").locator("tr").filter(has_text=text)


def _call_option(title: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(title)} ")


def _expect_saved(page: Page, what: str) -> None:
    """The form says everything is saved, the last change being what."""
    saved = re.compile(rf"All changes saved at [0-9:]+ \(last: {what}\)")
    expect(main_area(page).get_by_text(saved)).to_be_visible()
    expect_settled(page)


def _add(page: Page, form_title: str, values: dict[str, str], category: str = "") -> None:
    """Fill one of the application's "add" forms, send it, and wait for its row in the table."""
    form = page.get_by_test_id("stForm").filter(has_text=form_title)
    if category:
        form.get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name=category, exact=True).click()
    for label, value in values.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_test_id("stFormSubmitButton").click()
    expect(_table_row(page, next(iter(values.values())))).to_have_count(1)
    expect_settled(page)


RIVERTON_PLACE = "Republic of Ardenia / North / Riverton"
# How long the reporting service may take to learn of an award from its event.
EVENT_DEADLINE_S = 30.0


def _apply(page: Page, call_title: str, title: str) -> None:
    """From the call's card to a submitted application, watching each change being saved."""
    main = main_area(page)
    open_workspace(page, "Open calls")
    main.get_by_role("link", name=f"Apply to {call_title}").click()
    expect(main.get_by_text(f"For {call_title} · amounts in EUR")).to_be_visible()
    expect(main.get_by_text("Your draft is saved as soon as you start typing.")).to_be_visible()

    main.get_by_role("textbox", name="Title", exact=True).press_sequentially(title, delay=20)
    _expect_saved(page, "title")
    summary = main.get_by_role("textbox", name="Summary", exact=True)
    summary.fill("Trained mediators calm disputes between neighbours before they turn to hate.")
    summary.press("Tab")
    _expect_saved(page, "summary")
    choose(page, "Where the project takes place", RIVERTON_PLACE)
    _expect_saved(page, "place")
    asked = main.get_by_role("spinbutton", name="Requested amount (EUR)", exact=True)
    asked.fill("8000")
    asked.press("Tab")
    _expect_saved(page, "requested amount")

    lines = (
        ("Staff", "Two mediators", "6000"),
        ("Activities", "Workshops", "3000"),
        ("Monitoring evaluation", "Evaluation", "1000"),
    )
    for category, description, amount in lines:
        values = {"Description": description, "Amount (EUR)": amount}
        _add(page, "Add a budget line", values, category)
    expect(main.get_by_text(re.compile(r"Project cost\s+10,000.00 EUR"))).to_be_visible()
    _add(
        page,
        "Add match funding",
        {
            "Source": "Riverton Community Trust",
            "Match amount (EUR)": "2000",
            "Commitment reference": f"RCT-{title[-6:]}",
        },
    )
    expect(main.get_by_text(re.compile(r"match funding\s+20%"))).to_be_visible()
    _expect_saved(page, "match funding")

    main.get_by_role("button", name="Submit application").click()
    expect(main.get_by_text(f"“{title}” is submitted.")).to_be_visible()
    expect_settled(page)
    open_workspace(page, "My applications")
    expect(_table_row(page, title)).to_contain_text("Submitted")
    expect_settled(page)


def _assign_panel(page: Page, call_title: str, title: str) -> None:
    main = main_area(page)
    open_workspace(page, "Assign reviewers")
    choose(page, "Call", _call_option(call_title))
    choose(page, "Application", title)
    pick(page, "Reviewers", re.compile("^panel "))
    main.get_by_role("button", name="Assign").click()
    expect(main.get_by_text(f"“{title}” assigned. panel: assigned")).to_be_visible()
    expect_settled(page)


def _score(page: Page, title: str) -> None:
    main = main_area(page)
    open_workspace(page, "My reviews")
    choose(page, "Application to review", title)
    expect(main.get_by_role("heading", name=title)).to_be_visible()
    for criterion, score in (("Impact (weight 2)", "4"), ("Reach (weight 1)", "3")):
        scores = main.get_by_role("radiogroup", name=criterion)
        scores.get_by_role("radio", name=score, exact=True).click()
    main.get_by_label("Overall comment").fill("Well rooted in the neighbourhood.")
    main.get_by_role("button", name="Submit review").click()
    expect(main.get_by_text("Your review is submitted.")).to_be_visible()
    expect(main.get_by_text(re.compile("your review: submitted$"))).to_be_visible()
    expect_settled(page)


def _rank_and_award(page: Page, call_title: str, title: str) -> None:
    main = main_area(page)
    open_workspace(page, "Ranking")
    choose(page, "Call", _call_option(call_title))
    expect(main.get_by_text(re.compile(f"First: {re.escape(title)} "))).to_be_visible()
    expect_settled(page)

    open_workspace(page, "Award decisions")
    choose(page, "Call", _call_option(call_title))
    main.get_by_text("No more applications may be submitted to this call").click()
    main.get_by_role("button", name="Close the call now").click()
    expect(main.get_by_text(f"{call_title} is closed")).to_be_visible()
    expect_settled(page)
    pick(page, "Applications to award", re.compile(f"^{re.escape(title)} "))
    left_after = main.get_by_test_id("stMetric").filter(has_text="Pool left after this decision")
    expect(left_after).to_contain_text("192,000.00 EUR")
    main.get_by_role("button", name="Decide awards").click()
    expect(main.get_by_text("1 award(s) made: 8,000.00 EUR")).to_be_visible()
    expect_settled(page)


def _pay_out(page: Page, call_title: str, title: str) -> None:
    """Sign the award; its tranche is held until the match is confirmed, and then paid."""
    main = main_area(page)
    open_workspace(page, "Awards and tranches")
    choose(page, "Call", _call_option(call_title))
    main.get_by_role("button", name="Record the award as signed").click()
    expect(main.get_by_text(f"The award for “{title}” is signed")).to_be_visible()
    expect_settled(page)
    main.get_by_role("button", name="Release tranche signing").click()
    held = re.compile("^tranche signing stays held: confirmed match .* is below the .* minimum")
    expect(main.get_by_text(held)).to_be_visible()
    expect_settled(page)

    open_workspace(page, "Match funding")
    choose(page, "Match funding", re.compile(f"^Riverton Community Trust for “{re.escape(title)}”"))
    form = main.get_by_test_id("stForm")
    form.get_by_role("radio", name="Confirmed").check()
    form.get_by_role("textbox", name="Evidence").fill("Signed letter of the trust")
    form.get_by_role("button", name="Record").click()
    expect(main.get_by_text("Riverton Community Trust: confirmed.")).to_be_visible()
    expect_settled(page)

    open_workspace(page, "Awards and tranches")
    expect(main.get_by_test_id("stTable")).to_contain_text("Released")
    expect_settled(page)


def _see_the_ledger_move(page: Page, call_title: str) -> None:
    main = main_area(page)
    open_workspace(page, "Funding")
    choose(page, "Call", _call_option(call_title))
    committed = main.get_by_test_id("stMetric").filter(has_text="Committed")
    expect(committed).to_contain_text("4,000.00 EUR")
    expect(main.get_by_test_id("stMetric").filter(has_text="Paid")).to_contain_text("4,000.00 EUR")
    expect(main.get_by_test_id("stMetric").filter(has_text="Available")).to_contain_text(
        "96,000.00 EUR"
    )
    expect_settled(page)


def _start_the_grant_report(page: Page, call_title: str) -> None:
    """The grantee's Reports due lists its award's reports once the reporting service has
    learnt of the award from its event (the page is reloaded until then); it starts the first
    one and saves a draft of what the grant achieved."""
    open_workspace(page, "Reports due")
    owed = _table_row(page, f"Grant “{call_title}”")
    give_up = time.monotonic() + EVENT_DEADLINE_S
    while owed.count() == 0:
        assert time.monotonic() < give_up, f"no report on {call_title} is due"
        page.reload()
        expect_settled(page)
    cycle = re.match(r"\d{4}-[A-Z]\d", owed.first.inner_text().strip())
    assert cycle is not None, owed.first.inner_text()
    grant = re.escape(f"Grant “{call_title}”")
    choose(page, "Report to open", re.compile(f"^{cycle[0]}, due .*{grant}"))
    main = main_area(page)
    main.get_by_role("button", name="Start this report").click()
    expect(main.get_by_text("Report started: say what the grant achieved")).to_be_visible()
    expect_settled(page)
    achievements = main.get_by_role("textbox", name="Achievements", exact=True)
    achievements.fill("Forty disputes mediated; two street parties held.")
    achievements.press("Tab")
    main.get_by_role("button", name="Save draft").click()
    expect(main.get_by_text("Draft saved.")).to_be_visible()
    expect_settled(page)


def test_a_cso_applies_the_manager_awards_and_pays_and_the_funders_ledger_moves(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    suffix = uuid.uuid4().hex[:6]
    call_title = f"Neighbourhood Fund {suffix}"
    title = f"Street mediators {suffix}"
    _open_call_with_panel(platform, call_title)

    log_in(page, platform, "cso")
    _apply(page, call_title, title)
    screenshot(page, request, "cso")
    log_out(page)

    log_in(page, platform, "manager")
    _assign_panel(page, call_title, title)
    screenshot(page, request, "manager-assigns")
    log_out(page)

    log_in(page, platform, "panel")
    _score(page, title)
    screenshot(page, request, "panel")
    log_out(page)

    log_in(page, platform, "manager")
    _rank_and_award(page, call_title, title)
    screenshot(page, request, "manager-awards")
    _pay_out(page, call_title, title)
    screenshot(page, request, "manager-pays")
    log_out(page)

    log_in(page, platform, "cso")
    _start_the_grant_report(page, call_title)
    screenshot(page, request, "cso-reports")
    log_out(page)

    log_in(page, platform, "funder")
    _see_the_ledger_move(page, call_title)


def test_a_change_made_in_another_tab_is_not_overwritten(
    page: Page, platform: Platform, request: pytest.FixtureRequest
) -> None:
    log_in(page, platform, "cso")
    open_workspace(page, "My applications")
    draft = main_area(page).get_by_role("link").filter(has_text=f"({SMALL_GRANTS})")
    address = platform.ui_url + (draft.get_attribute("href") or "")
    page.goto(address)
    expect_settled(page)
    other = page.context.new_page()
    other.goto(address)
    expect_settled(other)
    other_title = f"Dialogue club {uuid.uuid4().hex[:6]}"
    main_area(other).get_by_role("textbox", name="Title", exact=True).fill(other_title)
    _expect_saved(other, "title")
    screenshot(other, request, "other-tab")
    other.close()

    summary = main_area(page).get_by_role("textbox", name="Summary", exact=True)
    summary.fill("Weekly sessions where teenagers practise disagreeing well.")
    summary.press("Tab")
    expect(
        main_area(page).get_by_text(
            re.compile("^Not saved: this application was changed elsewhere")
        )
    ).to_be_visible()
    main_area(page).get_by_role("button", name="Reload the application").click()
    expect_settled(page)
    expect(main_area(page).get_by_role("textbox", name="Title", exact=True)).to_have_value(
        other_title
    )
