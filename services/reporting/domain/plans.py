"""Action plan content: theory of change, activities and indicators, as frozen value objects.

A version's content is stored as `to_record(content)` and read back with `content_from_record`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from services.common.money import Money
from services.common.records import from_record, from_records, to_record
from services.common.vocabulary import PreventionLevel


class PlanState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class IndicatorLevel(StrEnum):
    OUTPUT = "output"
    OUTCOME = "outcome"
    IMPACT = "impact"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class Disaggregation(StrEnum):
    SEX = "sex"
    AGE_GROUP = "age_group"


class Aggregation(StrEnum):
    SUM = "sum"
    AVERAGE = "average"


class AnchorKind(StrEnum):
    PLAN = "plan"
    ACTIVITY = "activity"
    INDICATOR = "indicator"
    SECTION = "section"


@dataclass(frozen=True)
class ReviewComment:
    """A reviewer's comment on an activity, indicator or section (anchor_code empty for PLAN)."""

    anchor_kind: AnchorKind
    anchor_code: str
    text: str


@dataclass(frozen=True)
class TheoryOfChange:
    goal: str = ""
    outcomes: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    code: str
    title: str
    pillar_code: str
    lead_org_id: str | None
    partner_org_ids: tuple[str, ...]
    start: date | None
    end: date | None
    budget: Money | None
    prevention_level: PreventionLevel | None


@dataclass(frozen=True)
class Target:
    """The value an indicator should reach in one cycle (cycle code, e.g. "2026-H1")."""

    cycle: str
    value: float


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    standard_code: str
    level: IndicatorLevel | None
    unit: str
    baseline: float
    baseline_date: date | None
    targets: tuple[Target, ...]
    direction: Direction | None
    disaggregations: tuple[Disaggregation, ...]
    data_source: str
    aggregation: Aggregation
    activity_code: str

    def target_for(self, cycle: str) -> float | None:
        """The target of cycle, or None when the plan sets none."""
        return next((t.value for t in self.targets if t.cycle == cycle), None)


@dataclass(frozen=True)
class PlanContent:
    """Everything a version of a plan says; what a diff compares and a report is pre-filled from."""

    title: str
    framework_id: str | None
    period_start: date | None
    period_end: date | None
    theory_of_change: TheoryOfChange
    activities: tuple[Activity, ...]
    indicators: tuple[Indicator, ...]

    def activity(self, code: str) -> Activity | None:
        return next((a for a in self.activities if a.code == code), None)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _money(value: dict[str, Any] | None) -> Money | None:
    return None if value is None else Money(value["currency_code"], value["minor_units"])


def _activity(data: dict[str, Any]) -> Activity:
    return from_record(
        Activity,
        data,
        partner_org_ids=tuple,
        start=_date,
        end=_date,
        budget=_money,
        prevention_level=lambda v: PreventionLevel(v) if v else None,
    )


def _indicator(data: dict[str, Any]) -> Indicator:
    return from_record(
        Indicator,
        data,
        level=lambda v: IndicatorLevel(v) if v else None,
        baseline_date=_date,
        targets=lambda v: from_records(Target, v),
        direction=lambda v: Direction(v) if v else None,
        disaggregations=lambda v: tuple(Disaggregation(d) for d in v),
        aggregation=Aggregation,
    )


def content_to_record(content: PlanContent) -> dict[str, Any]:
    """content as a JSON-ready dict (dates as ISO strings)."""
    record = to_record(content)
    record["period_start"] = content.period_start.isoformat() if content.period_start else None
    record["period_end"] = content.period_end.isoformat() if content.period_end else None
    for stored, activity in zip(record["activities"], content.activities, strict=True):
        stored["start"] = activity.start.isoformat() if activity.start else None
        stored["end"] = activity.end.isoformat() if activity.end else None
    for stored, indicator in zip(record["indicators"], content.indicators, strict=True):
        day = indicator.baseline_date
        stored["baseline_date"] = day.isoformat() if day else None
    return record


def content_from_record(data: dict[str, Any]) -> PlanContent:
    """The PlanContent a stored record describes."""
    toc = data["theory_of_change"]
    return PlanContent(
        title=data["title"],
        framework_id=data["framework_id"],
        period_start=_date(data["period_start"]),
        period_end=_date(data["period_end"]),
        theory_of_change=TheoryOfChange(
            goal=toc["goal"],
            outcomes=tuple(toc["outcomes"]),
            outputs=tuple(toc["outputs"]),
            assumptions=tuple(toc["assumptions"]),
        ),
        activities=tuple(_activity(a) for a in data["activities"]),
        indicators=tuple(_indicator(i) for i in data["indicators"]),
    )
