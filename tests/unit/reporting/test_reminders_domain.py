"""Which reminders fall on a day, and one digest per organisation per day."""

from __future__ import annotations

from datetime import date, timedelta

from services.reporting.domain.compliance import ReportState
from services.reporting.domain.obligations import ExpectedReport, ObligationKind
from services.reporting.domain.reminders import ReminderKind, digests, reminder_kind

DUE = date(2026, 7, 30)
ORG_A, ORG_B = "a0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002"


def _days_with_reminders(state: ReportState) -> dict[int, ReminderKind]:
    """Days relative to the due date (positive = after) that give a reminder, over a year."""
    found = {}
    for offset in range(-60, 300):
        kind = reminder_kind(DUE, state, DUE + timedelta(days=offset))
        if kind is not None:
            found[offset] = kind
    return found


def test_unsubmitted_reports_are_reminded_before_on_the_day_after_and_weekly() -> None:
    for state in (ReportState.NONE, ReportState.DRAFT, ReportState.RETURNED):
        days = _days_with_reminders(state)
        assert days == {
            -14: ReminderKind.DUE_SOON,
            -3: ReminderKind.DUE_SOON,
            **{after: ReminderKind.OVERDUE for after in range(1, 85, 7)},
        }
    assert max(_days_with_reminders(ReportState.NONE)) == 78  # the last within 12 weeks


def test_submitted_and_accepted_reports_are_left_alone() -> None:
    assert _days_with_reminders(ReportState.SUBMITTED) == {}
    assert _days_with_reminders(ReportState.ACCEPTED) == {}


def _expected(org: str, cycle: str, due: date, state: ReportState = ReportState.NONE):
    return ExpectedReport(
        obligation_id=f"{org[:8]}-{cycle}",
        cycle_code=cycle,
        kind=ObligationKind.ACTION_PLAN,
        organisation_id=org,
        jurisdiction_id=None,
        reviewing_org_id=ORG_B,
        due_on=due,
        lock_on=due + timedelta(days=14),
        report_id=None,
        report_state=state,
        submitted_at=None,
    )


def test_one_digest_per_organisation_holds_all_its_reminders_of_the_day() -> None:
    today = date(2026, 7, 16)
    expected = [
        _expected(ORG_A, "2026-H1", today + timedelta(days=14)),
        _expected(ORG_A, "2025-H2", today - timedelta(days=8)),
        _expected(ORG_A, "2025-H1", today - timedelta(days=2)),  # no reminder today
        _expected(ORG_B, "2026-H1", today + timedelta(days=14), ReportState.SUBMITTED),
    ]
    found = digests(expected, today)
    assert [(d.organisation_id, d.day) for d in found] == [(ORG_A, today)]
    assert [(r.cycle_code, r.kind, r.days_to_due) for r in found[0].reminders] == [
        ("2025-H2", ReminderKind.OVERDUE, -8),
        ("2026-H1", ReminderKind.DUE_SOON, 14),
    ]
