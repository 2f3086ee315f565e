"""Shape rules of a plan's content and its completeness for submission.

`content()`, `activity()`, `indicator()` and FACTS are the sample plan the other plan unit tests
build on: Riverton's plan aligned to a framework with pillars P1-P4.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from services.common import demo_ids
from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.money import Money
from services.common.vocabulary import PreventionLevel
from services.reporting.domain.plan_rules import (
    FrameworkFacts,
    PlanFacts,
    check_complete,
    check_content,
    completeness_problems,
    content_problems,
)
from services.reporting.domain.plans import (
    Activity,
    Aggregation,
    Direction,
    Disaggregation,
    Indicator,
    IndicatorLevel,
    PlanContent,
    Target,
    TheoryOfChange,
)

FRAMEWORK = "1f000000-0000-4000-8000-000000000001"
SEX, AGE = Disaggregation.SEX, Disaggregation.AGE_GROUP
FACTS = PlanFacts(
    framework=FrameworkFacts(
        pillar_codes=frozenset({"P1", "P2", "P3", "P4"}),
        standard_indicators={
            "P1.OUT.1": frozenset({"sex", "age_group"}),
            "P1.OC.1": frozenset(),
        },
    ),
    known_org_ids=frozenset({demo_ids.RIVERTON, demo_ids.BRIDGES, demo_ids.CENTRE}),
)


def activity(code: str = "A1", **changes: object) -> Activity:
    base = Activity(
        code=code,
        title="Youth mentoring",
        pillar_code="P1",
        lead_org_id=demo_ids.RIVERTON,
        partner_org_ids=(demo_ids.BRIDGES,),
        start=date(2026, 2, 1),
        end=date(2026, 11, 30),
        budget=Money("EUR", 1_500_000),
        prevention_level=PreventionLevel.PRIMARY,
    )
    return replace(base, **changes)


def indicator(code: str = "I1", **changes: object) -> Indicator:
    base = Indicator(
        code=code,
        title="Young people mentored",
        standard_code="P1.OUT.1",
        level=IndicatorLevel.OUTPUT,
        unit="people",
        baseline=120.0,
        baseline_date=date(2025, 12, 31),
        targets=(Target("2026-H1", 150.0), Target("2026-H2", 200.0)),
        direction=Direction.UP,
        disaggregations=(SEX, AGE),
        data_source="Programme records",
        aggregation=Aggregation.SUM,
        activity_code="A1",
    )
    return replace(base, **changes)


def content(**changes: object) -> PlanContent:
    base = PlanContent(
        title="Riverton prevention plan 2026-2027",
        framework_id=FRAMEWORK,
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        theory_of_change=TheoryOfChange(
            goal="Fewer young people drawn into violent extremism",
            outcomes=("Young people trust local institutions",),
            outputs=("Mentoring pairs formed",),
            assumptions=("Schools take part",),
        ),
        activities=(activity(),),
        indicators=(indicator(),),
    )
    return replace(base, **changes)


def problems(c: PlanContent, facts: PlanFacts = FACTS) -> dict[str, str]:
    """Field path -> description of every violation (each path once)."""
    found = content_problems(c, facts).violations
    assert len({v.field for v in found}) == len(found), found
    return {v.field: v.description for v in found}


def test_a_well_formed_plan_has_no_problems() -> None:
    check_content(content(), FACTS)
    assert problems(content()) == {}


def test_activity_codes_must_be_well_formed_and_unique() -> None:
    c = content(activities=(activity("A1"), activity("a 2"), activity("A1")))
    found = problems(c)
    assert set(found) == {"action_plan.activities[1].code", "action_plan.activities"}
    assert "'A1'" in found["action_plan.activities"]


def test_pillar_must_belong_to_the_framework() -> None:
    found = problems(content(activities=(activity(pillar_code="P9"),)))
    assert found == {
        "action_plan.activities[0].pillar_code": "'P9' is not a pillar of the framework"
    }


def test_an_unknown_framework_is_named_on_the_framework_field() -> None:
    found = problems(content(), replace(FACTS, framework=None))
    assert list(found) == ["action_plan.framework"]


def test_lead_and_partner_organisations_must_be_known_and_distinct() -> None:
    stranger = "0b1c7a52-0000-4000-8000-000000000777"
    a = activity(lead_org_id=stranger, partner_org_ids=(demo_ids.BRIDGES, demo_ids.BRIDGES))
    b = activity("A2", partner_org_ids=(demo_ids.RIVERTON,))
    found = problems(content(activities=(a, b)))
    assert set(found) == {
        "action_plan.activities[0].lead_organisation",
        "action_plan.activities[0].partner_organisations",
        "action_plan.activities[1].partner_organisations[0]",
    }


def test_activity_dates_lie_in_the_plan_period_and_in_order() -> None:
    early = activity(start=date(2025, 6, 1))
    reversed_ = activity("A2", start=date(2026, 9, 1), end=date(2026, 3, 1))
    found = problems(content(activities=(early, reversed_)))
    assert set(found) == {
        "action_plan.activities[0].start_date",
        "action_plan.activities[1].end_date",
    }
    assert "2026-01-01..2027-12-31" in found["action_plan.activities[0].start_date"]


def test_period_end_must_not_precede_its_start() -> None:
    c = content(period_start=date(2027, 1, 1), period_end=date(2026, 1, 1), activities=())
    found = problems(replace(c, indicators=(indicator(activity_code="", targets=()),)))
    assert list(found) == ["action_plan.period.end_date"]


def test_budgets_share_one_currency_and_are_not_negative() -> None:
    usd = activity("A2", budget=Money("USD", 100))
    negative = activity("A3", budget=Money("EUR", -1))
    found = problems(content(activities=(activity(), usd, negative)))
    assert found == {
        "action_plan.activities[1].budget.currency_code": (
            "must be EUR, like the plan's other budgets"
        ),
        "action_plan.activities[2].budget.minor_units": "must not be negative",
    }


def test_standard_indicator_must_exist_and_keep_its_breakdowns() -> None:
    unknown = indicator(standard_code="P9.X")
    missing_age = indicator("I2", disaggregations=(SEX,))
    found = problems(content(indicators=(unknown, missing_age)))
    assert set(found) == {
        "action_plan.indicators[0].standard_indicator",
        "action_plan.indicators[1].disaggregations",
    }
    assert "age_group" in found["action_plan.indicators[1].disaggregations"]


def test_local_indicator_needs_no_standard_code() -> None:
    local = indicator("I2", standard_code="", disaggregations=())
    assert problems(content(indicators=(indicator(), local))) == {}


def test_target_cycles_are_well_formed_unique_and_inside_the_period() -> None:
    targets = (
        Target("2026-H1", 1.0),
        Target("2026-H1", 2.0),
        Target("2026-H3", 1.0),
        Target("2031-Q1", 1.0),
        Target("FY07-2026-H1", 1.0),
    )
    found = problems(content(indicators=(indicator(targets=targets),)))
    assert set(found) == {
        "action_plan.indicators[0].targets",
        "action_plan.indicators[0].targets[2].cycle",
        "action_plan.indicators[0].targets[3].cycle",
    }


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e300])
def test_numbers_must_be_finite_and_in_range(bad: float) -> None:
    x = indicator(baseline=bad, targets=(Target("2026-H1", bad),))
    found = problems(content(indicators=(x,)))
    assert set(found) == {
        "action_plan.indicators[0].baseline",
        "action_plan.indicators[0].targets[0].value",
    }


def test_indicator_activity_must_exist_and_breakdowns_not_repeat() -> None:
    x = indicator(activity_code="A7", disaggregations=(SEX, AGE, SEX))
    found = problems(content(indicators=(x,)))
    assert set(found) == {
        "action_plan.indicators[0].activity_code",
        "action_plan.indicators[0].disaggregations",
    }


def test_oversized_text_is_refused_not_stored() -> None:
    toc = TheoryOfChange(goal="g" * 2_001, outcomes=("",))
    found = problems(content(title="t" * 201, theory_of_change=toc))
    assert set(found) == {
        "action_plan.title",
        "action_plan.theory_of_change.goal",
        "action_plan.theory_of_change.outcomes[0]",
    }


def test_check_content_raises_every_problem_at_once() -> None:
    c = content(title="", activities=(activity(pillar_code="P9"),))
    with pytest.raises(InvalidArgument) as caught:
        check_content(c, FACTS)
    assert {v.field for v in caught.value.violations} == {
        "action_plan.title",
        "action_plan.activities[0].pillar_code",
    }


def test_a_complete_plan_can_be_submitted() -> None:
    check_complete(content())


def test_completeness_lists_one_violation_per_gap() -> None:
    bare = content(theory_of_change=TheoryOfChange(), activities=(), indicators=())
    assert [v.field for v in completeness_problems(bare).violations] == [
        "action_plan.theory_of_change.goal",
        "action_plan.activities",
        "action_plan.indicators",
    ]
    no_targets = content(indicators=(indicator(), indicator("I2", targets=())))
    with pytest.raises(FailedPrecondition) as caught:
        check_complete(no_targets)
    assert [v.field for v in caught.value.violations] == ["action_plan.indicators[1].targets"]
