"""Reminders of expected reports: 14 and 3 days before the due date, the day after it, then weekly
while the report is not submitted, for up to 12 weeks; one digest per organisation per day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.reporting.domain.compliance import ReportState
from services.reporting.domain.obligations import ExpectedReport

DUE_SOON_DAYS = (14, 3)
OVERDUE_EVERY_DAYS = 7
OVERDUE_FOR_DAYS = 12 * 7
UNSUBMITTED = (ReportState.NONE, ReportState.DRAFT, ReportState.RETURNED)


class ReminderKind(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Reminder:
    """One expected report's reminder of the day (days_to_due negative once overdue)."""

    obligation_id: str
    cycle_code: str
    due_on: date
    kind: ReminderKind
    days_to_due: int


@dataclass(frozen=True)
class Digest:
    """All of one organisation's reminders of one day."""

    organisation_id: str
    day: date
    reminders: tuple[Reminder, ...]


def reminder_kind(due_on: date, state: ReportState, today: date) -> ReminderKind | None:
    """The reminder an expected report in state gets on today, if any."""
    if state not in UNSUBMITTED:
        return None
    days_to_due = (due_on - today).days
    if days_to_due in DUE_SOON_DAYS:
        return ReminderKind.DUE_SOON
    overdue = -days_to_due
    if 1 <= overdue <= OVERDUE_FOR_DAYS and (overdue - 1) % OVERDUE_EVERY_DAYS == 0:
        return ReminderKind.OVERDUE
    return None


def reminder_due_dates(today: date) -> list[date]:
    """Every due date that can give a reminder on today."""
    ahead = [today + timedelta(days=d) for d in DUE_SOON_DAYS]
    overdue = range(1, OVERDUE_FOR_DAYS + 1, OVERDUE_EVERY_DAYS)
    return ahead + [today - timedelta(days=d) for d in overdue]


def reminder_for(expected: ExpectedReport, today: date) -> Reminder | None:
    kind = reminder_kind(expected.due_on, expected.report_state, today)
    if kind is None:
        return None
    return Reminder(
        obligation_id=expected.obligation_id,
        cycle_code=expected.cycle_code,
        due_on=expected.due_on,
        kind=kind,
        days_to_due=(expected.due_on - today).days,
    )


def digests(expected: Iterable[ExpectedReport], today: date) -> list[Digest]:
    """One digest per organisation with reminders on today, soonest due first inside each."""
    by_org: dict[str, list[Reminder]] = defaultdict(list)
    for report in expected:
        reminder = reminder_for(report, today)
        if reminder is not None:
            by_org[report.organisation_id].append(reminder)
    return [Digest(org, today, tuple(sorted(found, key=_order))) for org, found in by_org.items()]


def _order(r: Reminder) -> tuple[date, str, str]:
    return (r.due_on, r.cycle_code, r.obligation_id)
