"""What the demo's progress reports say: statuses, spend, actuals that add up, narrative, asks."""

from __future__ import annotations

from dataclasses import replace

from services.common.money import Money
from services.reporting.demo_data import DemoReport
from services.reporting.domain.cycles import Cycle
from services.reporting.domain.plans import Disaggregation
from services.reporting.domain.report_workflow import Report
from services.reporting.domain.reports import (
    ActivityStatus,
    DisaggregatedValue,
    IndicatorActual,
    Narrative,
    ReportContent,
    SupportRequest,
)

PATHS = frozenset({"activities", "indicators", "narrative", "support_requests"})
STATUSES = (ActivityStatus.ON_TRACK, ActivityStatus.COMPLETED, ActivityStatus.DELAYED)


def _split(total: int, shares: dict[str, float]) -> list[tuple[str, int]]:
    """total split by shares into whole parts that add up exactly (the last takes the rest)."""
    parts = [(name, round(total * share)) for name, share in list(shares.items())[:-1]]
    return [*parts, (list(shares)[-1], total - sum(v for _, v in parts))]


def _reach(actual: IndicatorActual, value: int) -> IndicatorActual:
    by_sex = _split(value, {"female": 0.52, "male": 0.46, "other": 0.02})
    by_age = _split(value, {"15-17": 0.35, "18-24": 0.4, "25-34": 0.25})
    breakdown = [DisaggregatedValue(Disaggregation.SEX, c, float(v)) for c, v in by_sex]
    breakdown += [DisaggregatedValue(Disaggregation.AGE_GROUP, c, float(v)) for c, v in by_age]
    return replace(actual, has_value=True, value=float(value), breakdown=tuple(breakdown))


def _actual(actual: IndicatorActual, step: int) -> IndicatorActual:
    if actual.indicator_code == "I1":
        return _reach(actual, int(actual.target * (0.8 + 0.1 * step)))
    if actual.indicator_code == "I2":
        return replace(actual, has_value=True, value=float(5 + step % 2))
    return replace(actual, has_value=True, value=round(9.6 - 0.4 * step, 1))


def report_content(
    report: Report, cycle: Cycle, demo: DemoReport
) -> tuple[ReportContent, frozenset[str]]:
    """The demo's answers for report (pre-filled from the plan), and the update paths."""
    step = demo.cycle
    activities = tuple(
        replace(a, status=STATUSES[(i + step) % 3], spend=Money("EUR", (4_000 + 1_500 * i) * 100))
        for i, a in enumerate(report.content.activities)
    )
    indicators = tuple(_actual(i, step) for i in report.content.indicators)
    narrative = Narrative(
        achievements=f"Dialogue circles ran in every district in {cycle.code}.",
        challenges="Recruiting volunteer facilitators took longer than planned.",
        lessons="Schools reach young people that youth clubs do not.",
    )
    asks = tuple(
        SupportRequest("", kind, text, Money("EUR", amount * 100) if amount else None)
        for kind, text, amount in demo.support
    )
    content = ReportContent(activities, indicators, narrative, asks)
    return content, PATHS
