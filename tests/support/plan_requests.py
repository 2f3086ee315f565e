"""Action plans as tests send them: a youth mentoring plan with one output indicator."""

from __future__ import annotations

from collections.abc import Sequence

from nlc.common.v1.common_pb2 import DateRange
from nlc.registry.v1 import frameworks_pb2
from nlc.reporting.v1 import plans_pb2


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
