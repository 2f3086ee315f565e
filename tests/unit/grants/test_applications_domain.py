"""Application rules: budget figures, submission problems in plain words, match commitments."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.money import Money
from services.grants.domain.applications import (
    Application,
    BudgetCategory,
    BudgetLine,
    Content,
    MatchCommitment,
    MatchState,
    budget_summary,
    change_match_state,
    check_content,
    normalise,
)
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    MatchKind,
    MatchRule,
)
from services.grants.domain.submission import content_problems

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def eur(units: int) -> Money:
    return Money("EUR", units)


def call(**overrides: object) -> Call:
    terms = CallTerms(
        title="Fund",
        currency_code="EUR",
        min_award=eur(500_000),
        max_award=eur(5_000_000),
        match_rule=MatchRule(min_match_bps=2500, in_kind_cap_bps=5000),
        min_monitoring_evaluation_bps=500,
        closes_at=NOW + timedelta(days=1),
    )
    return Call("c", "m", replace(terms, **overrides), state=CallState.OPEN)


def match(kind: MatchKind, units: int, ref: str = "R-1", mid: str = "m1") -> MatchCommitment:
    return MatchCommitment(mid, None, "Trust", kind, eur(units), commitment_reference=ref)


def application(**overrides: object) -> Application:
    content = Content(
        title="Mentors",
        budget_lines=(
            BudgetLine(BudgetCategory.STAFF, "Staff", eur(3_760_000)),
            BudgetLine(BudgetCategory.MONITORING_EVALUATION, "M&E", eur(240_000)),
        ),
        requested_amount=eur(3_000_000),
        match_commitments=(match(MatchKind.CASH, 1_000_000),),
    )
    return Application("a", "c", "o", replace(content, **overrides))


def problems(app: Application, c: Call | None = None) -> list[str]:
    c = c or call()
    return [
        v.description
        for v in content_problems(c, app, budget_summary(app.content, "EUR")).violations
    ]


def test_a_complete_application_has_no_problems() -> None:
    assert problems(application()) == []


def test_requested_amount_is_at_most_cost_minus_match() -> None:
    said = problems(application(requested_amount=eur(3_500_000)))
    assert said == [
        "requested amount 35,000.00 EUR is more than the project cost minus your match funding "
        "(30,000.00 EUR); you may request at most that"
    ]


def test_an_empty_draft_lists_what_is_missing() -> None:
    said = problems(Application("a", "c", "o", Content()))
    assert said == [
        "give the application a title",
        "the budget has no lines",
        "state the amount you request",
    ]


def test_disallowed_kinds_and_missing_references_are_named() -> None:
    c = call(match_rule=MatchRule(min_match_bps=0, allowed_kinds=(MatchKind.CASH,)))
    app = application(match_commitments=(match(MatchKind.IN_KIND, 1_000_000, ref=""),))
    said = problems(app, c)
    assert "the match from Trust needs a reference" in said
    assert "the match from Trust is in-kind; this call counts cash match only" in said


@given(
    lines=st.lists(
        st.tuples(st.sampled_from(list(BudgetCategory)), st.integers(0, 10**9)), max_size=8
    ),
    cash=st.integers(0, 10**9),
    in_kind=st.integers(0, 10**9),
)
def test_budget_summary_adds_up(lines, cash, in_kind) -> None:
    content = Content(
        budget_lines=tuple(BudgetLine(c, "", eur(u)) for c, u in lines),
        match_commitments=(match(MatchKind.CASH, cash), match(MatchKind.IN_KIND, in_kind)),
    )
    s = budget_summary(content, "EUR")
    total = sum(u for _, u in lines)
    assert s.total_cost == eur(total)
    assert s.match_total == eur(cash + in_kind)
    assert s.cash_match == eur(cash)
    assert 0 <= s.monitoring_evaluation.minor_units <= total
    if total:
        assert s.match_bps == (cash + in_kind) * 10_000 // total


@given(cash=st.integers(0, 2_000_000), in_kind=st.integers(0, 2_000_000))
def test_match_rules_pass_exactly_when_cash_plus_capped_in_kind_covers_the_minimum(
    cash, in_kind
) -> None:
    app = application(
        requested_amount=eur(100_000),
        match_commitments=(
            match(MatchKind.CASH, cash, "A", "m1"),
            match(MatchKind.IN_KIND, in_kind, "B", "m2"),
        ),
    )
    app = replace(app, content=replace(app.content, match_commitments=tuple(
        m for m in app.content.match_commitments if m.amount.minor_units
    )))  # fmt: skip
    said = [p for p in problems(app) if "match" in p and "requested" not in p]
    required = 1_000_000  # 25% of 40,000.00
    ok = cash + min(in_kind, required // 2) >= required
    assert (said == []) == ok, said


def test_match_state_moves_forward_only_with_evidence() -> None:
    app = application()
    with pytest.raises(InvalidArgument):
        change_match_state(app, "m1", MatchState.CONFIRMED, " ")
    with pytest.raises(NotFound):
        change_match_state(app, "nope", MatchState.CONFIRMED, "letter")
    changed = change_match_state(app, "m1", MatchState.RECEIVED, "statement")
    assert changed.state == MatchState.RECEIVED
    assert app.content.match_commitments[0].evidence_reference == "statement"
    with pytest.raises(FailedPrecondition):
        change_match_state(app, "m1", MatchState.CONFIRMED, "letter")


def test_a_declined_commitment_stops_counting_as_match_and_moves_no_further() -> None:
    app = application()
    assert budget_summary(app.content, "EUR").match_bps == 2_500
    change_match_state(app, "m1", MatchState.CONFIRMED, "letter")
    declined = change_match_state(app, "m1", MatchState.DECLINED, "withdrawn")
    assert (declined.state, declined.evidence_reference) == (MatchState.DECLINED, "withdrawn")
    assert budget_summary(app.content, "EUR").match_bps == 0
    assert any("match" in p for p in problems(app))
    with pytest.raises(FailedPrecondition, match="record a new commitment instead"):
        change_match_state(app, "m1", MatchState.RECEIVED, "statement")


def test_received_match_cannot_be_declined() -> None:
    app = application()
    change_match_state(app, "m1", MatchState.RECEIVED, "statement")
    with pytest.raises(FailedPrecondition, match="already received; it cannot be declined"):
        change_match_state(app, "m1", MatchState.DECLINED, "letter")
    assert app.content.match_commitments[0].state == MatchState.RECEIVED


def test_shapes_and_claim_keys() -> None:
    with pytest.raises(InvalidArgument) as caught:
        check_content(
            Content(
                requested_amount=Money("GBP", 1), match_commitments=(match(MatchKind.CASH, 1),) * 2
            ),
            "EUR",
        )
    fields = {v.field for v in caught.value.violations}
    assert fields == {
        "application.requested_amount.currency_code",
        "application.match_commitments[1].id",
    }
    a = replace(
        match(MatchKind.CASH, 1), source_name="  Rivertón   TRUST ", commitment_reference="ab-1"
    )
    b = replace(match(MatchKind.CASH, 1), source_name="riverton trust", commitment_reference="AB-1")
    assert a.claim_key == b.claim_key
    assert replace(a, commitment_reference="").claim_key is None
    assert normalise("Ünïcode  Name") == "unicode name"
