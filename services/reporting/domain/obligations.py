"""Reporting obligations (who reports to whom, how often, from when) and the reports they expect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.common.vocabulary import ReportingPeriodicity
from services.reporting.domain.compliance import ComplianceStatus, ReportState, compliance_status
from services.reporting.domain.cycles import Cycle, cycles_between

DEFAULT_PERIODICITY = ReportingPeriodicity.SEMIANNUAL
DEFAULT_FISCAL_START_MONTH = 1


class ObligationKind(StrEnum):
    ACTION_PLAN = "action_plan"
    GRANT = "grant"


@dataclass(frozen=True)
class Obligation:
    """A local government's duty to report on its plan, or a grantee's on its award."""

    id: str
    kind: ObligationKind
    organisation_id: str
    jurisdiction_id: str | None
    reviewing_org_id: str
    plan_id: str | None
    award_id: str | None
    call_id: str | None
    periodicity: ReportingPeriodicity
    fiscal_start_month: int
    start_on: date
    end_on: date | None
    final_evaluation_required: bool
    created_at: datetime


@dataclass(frozen=True)
class ExpectedReport:
    """One obligation's report for one cycle, mirroring the report's state."""

    obligation_id: str
    cycle_code: str
    kind: ObligationKind
    organisation_id: str
    jurisdiction_id: str | None
    reviewing_org_id: str
    due_on: date
    lock_on: date
    report_id: str | None
    report_state: ReportState
    submitted_at: datetime | None

    def status(self, today: date) -> ComplianceStatus:
        return compliance_status(self.report_state, self.due_on, self.lock_on, today)


def expected_cycles(
    periodicity: ReportingPeriodicity,
    fiscal_start_month: int,
    start_on: date,
    end_on: date | None,
    today: date,
) -> list[Cycle]:
    """Cycles from the one containing start_on to the one containing today, keeping those whose
    period ends by end_on (none while start_on is still ahead)."""
    cycles = cycles_between(start_on, today, periodicity, fiscal_start_month)
    return [c for c in cycles if end_on is None or c.period_end <= end_on]
