"""Award rules: checks of a decision, the split across funders, tranches, signing and release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.money import Money
from services.grants.domain.applications import Content, MatchCommitment, MatchState
from services.grants.domain.awards import (
    Award,
    AwardItem,
    Candidate,
    check_items,
    decide,
    make_award,
    on_event,
    sign,
)
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    Funder,
    MatchKind,
    MatchRule,
    PlannedTranche,
    TrancheTrigger,
)
from services.grants.domain.ledger import Pool
from services.grants.domain.tranches import (
    TrancheState,
    find,
    match_hold_reason,
    plan_tranches,
    release,
    split_matrix,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CITY, DONOR = "org-city", "org-donor"
PLAN = (
    PlannedTranche("T1", 4000, TrancheTrigger.ON_SIGNING),
    PlannedTranche("T2", 4000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
    PlannedTranche("T3", 2000, TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION),
)


def eur(units: int) -> Money:
    return Money("EUR", units)


def a_call(
    state: CallState = CallState.CLOSED, pledges: tuple[int, int] = (60_000, 40_000)
) -> Call:
    terms = CallTerms(
        title="Shared Endeavour",
        currency_code="EUR",
        funders=(
            Funder(CITY, "City Hall", eur(pledges[0])),
            Funder(DONOR, "Donor", eur(pledges[1])),
        ),
        min_award=eur(1_000),
        max_award=eur(50_000),
        tranche_plan=PLAN,
    )
    return Call("call-1", "org-manager", terms, state)


def pool_of(call: Call, committed: dict[str, int] | None = None) -> Pool:
    pledges = {f.organisation_id: f.pledge.minor_units for f in call.terms.funders}
    return Pool.of("EUR", pledges, committed)


def candidate(app_id: str, requested: int = 50_000, state: str = "submitted") -> Candidate:
    return Candidate(app_id, "call-1", f"org-{app_id}", state, requested)


def fields(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {v.field: v.description for v in exc.value.violations}


def test_pro_rata_split_sums_exactly_and_follows_pledges() -> None:
    call = a_call()
    splits = decide(call, [AwardItem("a1", eur(10_001))], {"a1": candidate("a1")}, pool_of(call))
    assert splits == [{CITY: 6_001, DONOR: 4_000}]


def test_earmarked_shares_are_kept() -> None:
    call = a_call()
    item = AwardItem("a1", eur(5_000), {DONOR: 5_000})
    assert decide(call, [item], {"a1": candidate("a1")}, pool_of(call)) == [{CITY: 0, DONOR: 5_000}]


def test_decision_beyond_what_the_pool_has_left_names_what_is_left() -> None:
    call = a_call()
    pool = pool_of(call, {CITY: 50_000, DONOR: 30_000})
    items = [AwardItem("a1", eur(15_000)), AwardItem("a2", eur(10_000))]
    with pytest.raises(FailedPrecondition) as exc:
        decide(call, items, {"a1": candidate("a1"), "a2": candidate("a2")}, pool)
    assert "the pool has 200.00 EUR left" in fields(exc)["items"]
    assert "250.00 EUR" in fields(exc)["items"]


def test_pro_rata_beyond_one_funder_is_refused_naming_it() -> None:
    call = a_call()
    pool = pool_of(call, {CITY: 0, DONOR: 39_000})
    with pytest.raises(FailedPrecondition) as exc:
        decide(call, [AwardItem("a1", eur(5_000))], {"a1": candidate("a1")}, pool)
    assert "Donor's share pro rata to its pledge is 20.00 EUR" in fields(exc)["items[0]"]
    assert "only 10.00 EUR left" in fields(exc)["items[0]"]


def test_items_share_the_pool_in_order() -> None:
    call = a_call()
    pool = pool_of(call, {DONOR: 36_000})
    items = [
        AwardItem("a1", eur(4_000), {DONOR: 4_000}),
        AwardItem("a2", eur(1_000), {DONOR: 1_000}),
    ]
    with pytest.raises(FailedPrecondition) as exc:
        decide(call, items, {"a1": candidate("a1"), "a2": candidate("a2")}, pool)
    assert list(fields(exc)) == ["items[1]"]


def test_each_item_rule_is_one_violation() -> None:
    call = a_call()
    items = [
        AwardItem("a1", eur(500)),
        AwardItem("a2", eur(60_000)),
        AwardItem("a3", eur(2_000)),
        AwardItem("a4", eur(2_000)),
        AwardItem("zz", eur(2_000)),
    ]
    apps = {
        "a1": candidate("a1"),
        "a2": candidate("a2", requested=100_000),
        "a3": candidate("a3", requested=1_500),
        "a4": candidate("a4", state="awarded"),
    }
    with pytest.raises(FailedPrecondition) as exc:
        decide(call, items, apps, pool_of(call))
    got = fields(exc)
    assert "below the call's minimum award 10.00 EUR" in got["items[0].amount"]
    assert "above the call's maximum award 500.00 EUR" in got["items[1].amount"]
    assert "more than the 15.00 EUR the applicant asked for" in got["items[2].amount"]
    assert got["items[3].application"].startswith("is awarded")
    assert got["items[4].application"] == "is not an application to this call"


@pytest.mark.parametrize("state", [CallState.DRAFT, CallState.OPEN])
def test_only_closed_or_decided_calls_take_decisions(state: CallState) -> None:
    call = a_call(state)
    with pytest.raises(FailedPrecondition, match="once the call is closed"):
        decide(call, [AwardItem("a1", eur(2_000))], {"a1": candidate("a1")}, pool_of(call))


def test_malformed_items_are_invalid_arguments() -> None:
    call = a_call()
    items = [
        AwardItem("a1", Money("GBP", 2_000)),
        AwardItem("a1", eur(2_000), {"org-stranger": 2_000}),
        AwardItem("a2", eur(2_000), {CITY: 1_000, DONOR: 500}),
    ]
    with pytest.raises(InvalidArgument) as exc:
        check_items(call, items)
    got = fields(exc)
    assert got["items[0].amount.currency_code"] == "must be EUR, the call's currency"
    assert got["items[1].application"] == "appears twice in this decision"
    assert "is not a funder of the call" in got["items[1].earmarked_shares"]
    assert "add up to 15.00 EUR, not the award's 20.00 EUR" == got["items[2].earmarked_shares"]


@given(
    shares=st.lists(st.integers(0, 10**6), min_size=1, max_size=6),
    plan=st.lists(st.integers(1, 10_000), min_size=1, max_size=5),
)
def test_tranche_matrix_rows_and_columns_sum_exactly(shares: list[int], plan: list[int]) -> None:
    funder_shares = {f"f{i}": s for i, s in enumerate(shares)}
    total = sum(shares)
    planned = [
        PlannedTranche(f"T{i}", bps, TrancheTrigger.ON_SIGNING) for i, bps in enumerate(plan)
    ]
    tranches = plan_tranches(total, funder_shares, planned)
    assert sum(t.amount for t in tranches) == total
    for t in tranches:
        assert sum(t.funder_shares.values()) == t.amount
        assert all(v >= 0 for v in t.funder_shares.values())
    for funder, share in funder_shares.items():
        assert sum(t.funder_shares[funder] for t in tranches) == share


def test_split_matrix_refuses_mismatched_totals() -> None:
    with pytest.raises(ValueError):
        split_matrix([1, 2], {"a": 4})


def _award(call: Call | None = None) -> Award:
    call = call or a_call()
    item = AwardItem("a1", eur(10_000))
    shares = decide(call, [item], {"a1": candidate("a1")}, pool_of(call))[0]
    return make_award("aw-1", call, item, candidate("a1"), shares, T0)


def test_award_gets_tranches_from_the_plan() -> None:
    award = _award()
    assert [(t.code, t.amount) for t in award.tranches] == [
        ("T1", 4_000),
        ("T2", 4_000),
        ("T3", 2_000),
    ]
    assert award.tranches[0].funder_shares == {CITY: 2_400, DONOR: 1_600}


def test_signing_releases_the_on_signing_tranche_once() -> None:
    award = _award()
    released = sign(award, T0, None)
    assert [t.code for t in released] == ["T1"]
    assert award.tranches[0].state == TrancheState.RELEASED
    with pytest.raises(FailedPrecondition, match="already signed on 2026-03-02"):
        sign(award, T0, None)


def test_signing_holds_when_match_is_short_and_release_waits_for_it() -> None:
    award = _award()
    assert sign(award, T0, "match short") == []
    held = find(award.tranches, "T1")
    assert held.state == TrancheState.HELD and held.hold_reason == "match short"
    with pytest.raises(FailedPrecondition, match="stays held: match short"):
        release(held, T0, "match short")
    release(held, T0 + timedelta(days=3), None)
    assert held.state == TrancheState.RELEASED and held.hold_reason == ""
    with pytest.raises(FailedPrecondition, match="already released on 2026-03-05"):
        release(held, T0 + timedelta(days=4), None)


def test_report_tranche_waits_for_its_report() -> None:
    award = _award()
    sign(award, T0, None)
    with pytest.raises(FailedPrecondition, match="waits for an accepted progress report"):
        release(find(award.tranches, "T2"), T0, None)
    tranche = on_event(award, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT, T0, None)
    assert tranche is not None and tranche.code == "T2" and tranche.state == TrancheState.RELEASED
    assert on_event(award, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT, T0, None) is None


def test_unknown_tranche_code_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="'T9' is not a tranche of this award"):
        find(_award().tranches, "T9")


def _content(*commitments: tuple[MatchKind, int, MatchState]) -> Content:
    from services.grants.domain.applications import BudgetCategory, BudgetLine

    return Content(
        budget_lines=(BudgetLine(BudgetCategory.STAFF, "staff", eur(100_000)),),
        match_commitments=tuple(
            MatchCommitment(f"m{i}", None, "Source", kind, eur(units), state)
            for i, (kind, units, state) in enumerate(commitments)
        ),
    )


def test_match_counts_only_confirmed_commitments() -> None:
    rule = MatchRule(min_match_bps=2_500)
    pledged = _content((MatchKind.CASH, 30_000, MatchState.PLEDGED))
    reason = match_hold_reason(pledged, rule, "EUR")
    assert reason is not None and "confirmed match 0.00% is below the 25.00% minimum" in reason
    confirmed = _content((MatchKind.CASH, 25_000, MatchState.CONFIRMED))
    assert match_hold_reason(confirmed, rule, "EUR") is None


def test_in_kind_match_counts_up_to_its_cap() -> None:
    rule = MatchRule(min_match_bps=2_500, in_kind_cap_bps=5_000)
    content = _content(
        (MatchKind.IN_KIND, 25_000, MatchState.RECEIVED),
        (MatchKind.CASH, 10_000, MatchState.CONFIRMED),
    )
    reason = match_hold_reason(content, rule, "EUR")
    assert reason is not None and "225.00 EUR of 250.00 EUR" in reason
