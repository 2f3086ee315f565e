"""Call rules: shapes, opening rules one violation per problem, and the state machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.money import Money
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    Criterion,
    Funder,
    MatchRule,
    Periodicity,
    PlannedTranche,
    ReportingDuty,
    TrancheTrigger,
    check_terms,
    check_update,
    close_call,
    open_call,
    opening_problems,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG_A, ORG_B = "a" * 8 + "-0000-4000-8000-000000000001", "b" * 8 + "-0000-4000-8000-000000000002"


def eur(units: int) -> Money:
    return Money("EUR", units)


def terms(**overrides: object) -> CallTerms:
    good = CallTerms(
        title="Fund",
        currency_code="EUR",
        funders=(Funder(ORG_A, "A", eur(600)), Funder(ORG_B, "B", eur(400))),
        min_award=eur(10),
        max_award=eur(500),
        criteria=(Criterion("impact", weight=2, max_score=5),),
        reviews_per_application=1,
        opens_at=NOW,
        closes_at=NOW + timedelta(days=10),
        reporting_duty=ReportingDuty(Periodicity.ANNUAL),
        tranche_plan=(PlannedTranche("all", 10_000, TrancheTrigger.ON_SIGNING),),
    )
    return replace(good, **overrides)


def test_complete_terms_open_and_the_pool_is_the_sum_of_pledges() -> None:
    call = Call("c", ORG_A, terms())
    open_call(call, NOW)
    assert call.state == CallState.OPEN
    assert call.terms.pool == eur(1000)
    close_call(call, NOW + timedelta(days=1))
    assert call.state == CallState.CLOSED
    assert call.terms.closes_at == NOW + timedelta(days=1)
    with pytest.raises(FailedPrecondition):
        open_call(call, NOW)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"funders": ()}, "call.funders", "at least one funder"),
        ({"max_award": eur(2000)}, "call.max_award", "above the pool"),
        ({"min_award": eur(600)}, "call.min_award", "above the maximum"),
        ({"criteria": ()}, "call.criteria", "at least one"),
        ({"reviews_per_application": 0}, "call.reviews_per_application", "at least 1"),
        ({"opens_at": NOW + timedelta(days=11)}, "call.closes_at", "after opens_at"),
        ({"opens_at": NOW - timedelta(days=2), "closes_at": NOW}, "call.closes_at", "in the past"),
        ({"tranche_plan": ()}, "call.tranche_plan", "at least one tranche"),
        ({"reporting_duty": ReportingDuty()}, "call.reporting_duty", "how often"),
    ],
)
def test_each_unmet_opening_rule_is_one_violation(overrides, field, words) -> None:
    problems = opening_problems(terms(**overrides), NOW).violations
    assert len(problems) == 1, problems
    assert problems[0].field == field
    assert words in problems[0].description


def test_shapes_are_invalid_arguments() -> None:
    with pytest.raises(InvalidArgument) as caught:
        check_terms(
            terms(
                title="",
                min_award=Money("GBP", 1),
                match_rule=MatchRule(min_match_bps=10_001),
                criteria=(Criterion("", weight=-1),),
            )
        )
    fields = {v.field for v in caught.value.violations}
    assert {
        "call.title",
        "call.min_award.currency_code",
        "call.match_rule.min_match_bps",
        "call.criteria[0].code",
        "call.criteria[0].weight",
    } <= fields


def test_open_calls_accept_only_a_new_description_or_a_later_deadline() -> None:
    call = Call("c", ORG_A, terms(), state=CallState.OPEN)
    check_update(call, frozenset({"description"}), call.terms, NOW)
    later = replace(call.terms, closes_at=NOW + timedelta(days=20))
    check_update(call, frozenset({"closes_at"}), later, NOW)
    with pytest.raises(FailedPrecondition):
        check_update(call, frozenset({"closes_at"}), replace(later, closes_at=NOW), NOW)
    with pytest.raises(FailedPrecondition):
        check_update(call, frozenset({"funders"}), call.terms, NOW)
    closed = Call("c", ORG_A, terms(), state=CallState.CLOSED)
    with pytest.raises(FailedPrecondition):
        check_update(closed, frozenset({"description"}), call.terms, NOW)


def test_accepting_depends_on_the_clock() -> None:
    call = Call("c", ORG_A, terms(opens_at=NOW + timedelta(hours=1)), state=CallState.OPEN)
    assert not call.accepting(NOW)
    assert call.accepting(NOW + timedelta(hours=1))
    assert not call.accepting(NOW + timedelta(days=10))
