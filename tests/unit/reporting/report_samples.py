"""The sample plan the report tests build on: two activities, three indicators (one broken down by
sex and age group and linked to standard P1.OUT.1, one averaged and linked to P1.OC.1, one local
without targets), and a complete report of it for 2026-H1."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.common import demo_ids
from services.common.money import Money
from services.common.vocabulary import PreventionLevel
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
from services.reporting.domain.reports import (
    ActivityProgress,
    ActivityStatus,
    DisaggregatedValue,
    IndicatorActual,
    Narrative,
    ReportContent,
)

CYCLE = "2026-H1"
SEX, AGE = Disaggregation.SEX, Disaggregation.AGE_GROUP
FRAMEWORK = "1f000000-0000-4000-8000-000000000001"


def _activity(code: str, title: str, budget: Money | None) -> Activity:
    return Activity(
        code=code,
        title=title,
        pillar_code="P1",
        lead_org_id=demo_ids.RIVERTON,
        partner_org_ids=(),
        start=date(2026, 1, 15),
        end=date(2026, 12, 15),
        budget=budget,
        prevention_level=PreventionLevel.PRIMARY,
    )


def _indicator(code: str, standard: str, **changes: object) -> Indicator:
    base = Indicator(
        code=code,
        title=f"Indicator {code}",
        standard_code=standard,
        level=IndicatorLevel.OUTPUT,
        unit="people",
        baseline=100.0,
        baseline_date=date(2025, 12, 31),
        targets=(Target("2026-H1", 150.0), Target("2026-H2", 200.0)),
        direction=Direction.UP,
        disaggregations=(),
        data_source="Programme records",
        aggregation=Aggregation.SUM,
        activity_code="A1",
    )
    return replace(base, **changes)


def plan() -> PlanContent:
    return PlanContent(
        title="Riverton prevention plan 2026-2027",
        framework_id=FRAMEWORK,
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        theory_of_change=TheoryOfChange(goal="Fewer young people drawn into violence"),
        activities=(
            _activity("A1", "Youth mentoring", Money("EUR", 1_500_000)),
            _activity("A2", "Community dialogues", None),
        ),
        indicators=(
            _indicator("I1", "P1.OUT.1", disaggregations=(SEX, AGE)),
            _indicator(
                "I2",
                "P1.OC.1",
                unit="percent",
                baseline=40.0,
                aggregation=Aggregation.AVERAGE,
                targets=(Target("2026-H1", 45.0),),
            ),
            _indicator("I3", "", targets=()),
        ),
    )


def breakdown(value: float) -> tuple[DisaggregatedValue, ...]:
    """value split by sex (60/40) and by age (all 18-24)."""
    return (
        DisaggregatedValue(SEX, "female", value * 0.6),
        DisaggregatedValue(SEX, "male", value * 0.4),
        DisaggregatedValue(AGE, "18-24", value),
    )


def complete_content(i1: float = 160.0, i2: float = 47.5) -> ReportContent:
    """What a city officer sends for a complete report of plan() (I3 explained, not measured)."""
    return ReportContent(
        activities=(
            ActivityProgress("A1", status=ActivityStatus.ON_TRACK, spend=Money("EUR", 400_000)),
            ActivityProgress("A2", status=ActivityStatus.DELAYED, note="Venue closed in March"),
        ),
        indicators=(
            IndicatorActual("I1", has_value=True, value=i1, breakdown=breakdown(i1)),
            IndicatorActual("I2", has_value=True, value=i2),
            IndicatorActual("I3", gap_explanation="The survey runs in the second half"),
        ),
        narrative=Narrative("Forty mentors trained", "Schools joined late", "Start earlier"),
    )
