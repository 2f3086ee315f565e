"""The pool always balances over any sequence of decisions, signings, reports and releases."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.errors import FailedPrecondition
from services.common.money import Money
from services.grants.domain.awards import (
    Award,
    AwardItem,
    Candidate,
    decide,
    make_award,
    on_event,
    release_tranche,
)
from services.grants.domain.awards import sign as sign_award
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    Funder,
    PlannedTranche,
    TrancheTrigger,
)
from services.grants.domain.ledger import Pool, Position
from services.grants.domain.tranches import TrancheState

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FUNDERS = ("org-city", "org-donor", "org-bank")


def _call(pledges: list[int]) -> Call:
    terms = CallTerms(
        title="Pool",
        currency_code="EUR",
        funders=tuple(
            Funder(f, f, Money("EUR", p)) for f, p in zip(FUNDERS, pledges, strict=False)
        ),
        min_award=Money("EUR", 1),
        max_award=Money("EUR", 10**9),
        tranche_plan=(
            PlannedTranche("T1", 3000, TrancheTrigger.ON_SIGNING),
            PlannedTranche("T2", 5000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
            PlannedTranche("T3", 2000, TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION),
        ),
    )
    return Call("call-1", "org-manager", terms, CallState.CLOSED)


def recomputed(call: Call, awards: list[Award]) -> Pool:
    """The pool as the database computes it: sums over award and released tranche shares."""
    pledges = {f.organisation_id: f.pledge.minor_units for f in call.terms.funders}
    committed = dict.fromkeys(pledges, 0)
    disbursed = dict.fromkeys(pledges, 0)
    for award in awards:
        for funder, units in award.funder_shares.items():
            committed[funder] += units
        for t in award.tranches:
            if t.state == TrancheState.RELEASED:
                for funder, units in t.funder_shares.items():
                    disbursed[funder] += units
    return Pool.of("EUR", pledges, committed, disbursed)


def assert_balanced(pool: Pool) -> None:
    rows = list(pool.positions.values())
    total = pool.total()
    for row in [*rows, total]:
        assert row.available == row.pledged - row.committed
        assert 0 <= row.disbursed <= row.committed <= row.pledged
    for attr in ("pledged", "committed", "disbursed", "available"):
        assert sum(getattr(r, attr) for r in rows) == getattr(total, attr)


item = st.tuples(st.integers(1, 60_000), st.none() | st.integers(0, len(FUNDERS) - 1))
operation = st.one_of(
    st.tuples(st.just("decide"), st.lists(item, min_size=1, max_size=3)),
    st.tuples(st.just("confirm"), st.integers(0, 30)),
    st.tuples(st.just("sign"), st.integers(0, 30)),
    st.tuples(st.just("report"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("release"), st.integers(0, 30), st.sampled_from(["T1", "T2", "T3"])),
)


@settings(max_examples=150, deadline=None)
@given(
    pledges=st.lists(st.integers(1, 100_000), min_size=1, max_size=3),
    operations=st.lists(operation, max_size=25),
)
def test_pool_balances_after_every_operation(pledges: list[int], operations: list) -> None:
    call = _call(pledges)
    pool = recomputed(call, [])
    awards: list[Award] = []
    confirmed: set[str] = set()
    for n, op in enumerate(operations):
        kind, *args = op
        try:
            _apply(call, pool, awards, confirmed, n, kind, args)
        except FailedPrecondition:
            pass
        expected = recomputed(call, awards)
        assert pool.positions == expected.positions
        assert_balanced(pool)


def _apply(
    call: Call, pool: Pool, awards: list[Award], confirmed: set[str], n: int, kind: str, args: list
) -> None:
    def hold(award: Award) -> str | None:
        return None if award.id in confirmed else "match not confirmed"

    if kind == "decide":
        funders = pool.funder_ids
        items = [
            AwardItem(f"app-{n}-{i}", Money("EUR", amount), {funders[e % len(funders)]: amount})
            if e is not None
            else AwardItem(f"app-{n}-{i}", Money("EUR", amount))
            for i, (amount, e) in enumerate(args[0])
        ]
        apps = {i.application_id: Candidate(i.application_id, call.id, "org", "submitted", None)
                for i in items}  # fmt: skip
        splits = decide(call, items, apps, pool)
        for it, shares in zip(items, splits, strict=True):
            app = apps[it.application_id]
            awards.append(make_award(f"aw-{len(awards)}", call, it, app, shares, T0))
        return
    if not awards:
        return
    award = awards[args[0] % len(awards)]
    released: list = []
    if kind == "confirm":
        confirmed.add(award.id)
    elif kind == "sign":
        released = sign_award(award, T0, hold(award))
    elif kind == "report":
        trigger = TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT
        if args[1]:
            trigger = TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION
        tranche = on_event(award, trigger, T0, hold(award))
        released = [tranche] if tranche and tranche.state == TrancheState.RELEASED else []
    elif kind == "release":
        released = [release_tranche(award, args[1], T0, hold(award))]
    for tranche in released:
        pool.disburse(tranche.funder_shares)


def test_position_available_and_balance() -> None:
    assert Position("f", 100, 60, 20).available == 40
    assert Position("f", 100, 60, 20).balanced()
    assert not Position("f", 100, 60, 70).balanced()
