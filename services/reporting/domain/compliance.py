"""The status of an expected report on a given day: what the compliance matrix shows."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class ReportState(StrEnum):
    """A report's state as expected_reports mirrors it ("none" before it is started)."""

    NONE = "none"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


class ComplianceStatus(StrEnum):
    ACCEPTED = "accepted"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    LATE = "late"
    MISSING = "missing"
    NOT_YET_DUE = "not_yet_due"


def compliance_status(
    state: ReportState, due_on: date, lock_on: date, today: date
) -> ComplianceStatus:
    """Accepted / submitted / returned follow the report; an unsent report is not yet due until
    its due date, late until its lock date, missing after."""
    if state == ReportState.ACCEPTED:
        return ComplianceStatus.ACCEPTED
    if state == ReportState.SUBMITTED:
        return ComplianceStatus.SUBMITTED
    if state == ReportState.RETURNED:
        return ComplianceStatus.RETURNED
    if today <= due_on:
        return ComplianceStatus.NOT_YET_DUE
    if today <= lock_on:
        return ComplianceStatus.LATE
    return ComplianceStatus.MISSING
