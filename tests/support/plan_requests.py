"""Action plans as tests send them: a youth mentoring plan with one output indicator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from nlc.common.v1.common_pb2 import DateRange
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2
from services.common.demo_ids import STRATEGY
from tests.support.grant_requests import CITY_HALL, eur


def mentoring_plan(
    framework_id: str,
    title: str,
    period: tuple[str, str],
    activities: Sequence[plans_pb2.PlanActivity],
    *,
    baseline_date: str,
    cycle: str,
    activity_code: str = "",
) -> plans_pb2.ActionPlan:
    """A plan over period (ISO start and end dates) whose indicator counts young people mentored:
    baseline 120 on baseline_date, target 150 in cycle, tied to activity_code if given."""
    indicator = plans_pb2.PlanIndicator(
        code="I1",
        title="Young people mentored",
        standard_indicator="P1.OUT.1",
        level=frameworks_pb2.INDICATOR_LEVEL_OUTPUT,
        unit="people",
        baseline=120,
        baseline_date=baseline_date,
        targets=[plans_pb2.IndicatorTarget(cycle=cycle, value=150)],
        direction=frameworks_pb2.INDICATOR_DIRECTION_UP,
        disaggregations=[
            frameworks_pb2.DISAGGREGATION_SEX,
            frameworks_pb2.DISAGGREGATION_AGE_GROUP,
        ],
        aggregation=plans_pb2.AGGREGATION_SUM,
        activity_code=activity_code,
    )
    return plans_pb2.ActionPlan(
        framework=f"frameworks/{framework_id}",
        title=title,
        period=DateRange(start_date=period[0], end_date=period[1]),
        theory_of_change=plans_pb2.TheoryOfChange(
            goal="Fewer young people drawn into violent extremism",
            outcomes=["Young people trust local institutions"],
        ),
        activities=activities,
        indicators=[indicator],
    )


def city_hall_plan(title: str) -> plans_pb2.ActionPlan:
    """The city hall's plan against the national strategy over this year and the next: one
    youth mentoring activity measured by one indicator with a target this half-year."""
    today = datetime.now(UTC).date()
    start, end = today.replace(month=1, day=1), today.replace(year=today.year + 1, month=12, day=31)
    mentoring = plans_pb2.PlanActivity(
        code="A1",
        title="Youth mentoring",
        pillar_code="P1",
        lead_organisation=CITY_HALL,
        start_date=start.isoformat(),
        end_date=end.isoformat(),
        budget=eur(1_500_000),
    )
    return mentoring_plan(
        STRATEGY,
        title,
        (start.isoformat(), end.isoformat()),
        [mentoring],
        baseline_date=start.isoformat(),
        cycle=f"{today.year}-H{1 if today.month <= 6 else 2}",
        activity_code="A1",
    )
