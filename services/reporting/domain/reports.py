"""Progress report content: activity progress, indicator actuals, narrative, support requests.

A report's content is stored as `content.to_record()` and read back with
`ReportContent.from_record`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.common.money import Money
from services.common.records import from_record, from_records, to_record
from services.reporting.domain.plans import Disaggregation


class ReportKind(StrEnum):
    PROGRESS = "progress"
    FINAL_EVALUATION = "final_evaluation"


class ActivityStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    DELAYED = "delayed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SupportKind(StrEnum):
    FUNDING = "funding"
    TRAINING = "training"
    GUIDANCE = "guidance"
    INFORMATION = "information"
    COORDINATION = "coordination"


# The categories a breakdown may use, per dimension (reports.proto, DisaggregatedValue).
CATEGORIES: dict[Disaggregation, tuple[str, ...]] = {
    Disaggregation.SEX: ("female", "male", "other", "unknown"),
    Disaggregation.AGE_GROUP: ("0-14", "15-17", "18-24", "25-34", "35-64", "65+", "unknown"),
}


@dataclass(frozen=True)
class ActivityProgress:
    """How one plan activity went in the period; title is copied from the plan."""

    activity_code: str
    title: str = ""
    status: ActivityStatus | None = None
    spend: Money | None = None
    note: str = ""


@dataclass(frozen=True)
class DisaggregatedValue:
    """One part of an actual, e.g. dimension sex, category "female"."""

    dimension: Disaggregation
    category: str
    value: float


@dataclass(frozen=True)
class IndicatorActual:
    """The value an indicator reached (or why there is none); title to baseline from the plan."""

    indicator_code: str
    title: str = ""
    unit: str = ""
    target: float = 0.0
    baseline: float = 0.0
    has_value: bool = False
    value: float = 0.0
    gap_explanation: str = ""
    breakdown: tuple[DisaggregatedValue, ...] = ()


@dataclass(frozen=True)
class Narrative:
    achievements: str = ""
    challenges: str = ""
    lessons: str = ""


@dataclass(frozen=True)
class SupportRequest:
    """A request for national support; amount only for funding."""

    id: str
    kind: SupportKind | None
    description: str
    amount: Money | None = None


def _money(value: dict[str, Any] | None) -> Money | None:
    return None if value is None else Money(value["currency_code"], value["minor_units"])


def _activity(data: dict[str, Any]) -> ActivityProgress:
    return from_record(
        ActivityProgress,
        data,
        status=lambda v: ActivityStatus(v) if v else None,
        spend=_money,
    )


def _indicator(data: dict[str, Any]) -> IndicatorActual:
    return from_record(
        IndicatorActual,
        data,
        breakdown=lambda v: from_records(DisaggregatedValue, v, dimension=Disaggregation),
    )


def _support(data: dict[str, Any]) -> SupportRequest:
    kind = data["kind"]
    return SupportRequest(
        id=data["id"],
        kind=SupportKind(kind) if kind else None,
        description=data["description"],
        amount=_money(data["amount"]),
    )


@dataclass(frozen=True)
class ReportContent:
    """Everything a report says; what its writer edits and its reviewer reads."""

    activities: tuple[ActivityProgress, ...] = ()
    indicators: tuple[IndicatorActual, ...] = ()
    narrative: Narrative = Narrative()
    support_requests: tuple[SupportRequest, ...] = ()
    evaluation_url: str = ""

    def to_record(self) -> dict[str, Any]:
        """This content as a JSON-ready dict."""
        return to_record(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> ReportContent:
        """The content a stored record describes."""
        return cls(
            activities=tuple(_activity(a) for a in data["activities"]),
            indicators=tuple(_indicator(i) for i in data["indicators"]),
            narrative=Narrative(**data["narrative"]),
            support_requests=tuple(_support(s) for s in data["support_requests"]),
            evaluation_url=data["evaluation_url"],
        )

    def activity(self, code: str) -> ActivityProgress | None:
        return next((a for a in self.activities if a.activity_code == code), None)

    def indicator(self, code: str) -> IndicatorActual | None:
        return next((i for i in self.indicators if i.indicator_code == code), None)
