"""Compliance status in SQL: the CASE twin of domain.compliance.compliance_status, so a whole
country's expected reports are classified and counted inside the database.

The day enters only through two comparisons (`due_on >= today`, `lock_on >= today`); counting
queries group on the report state and those two flags first and classify the few groups after,
which PostgreSQL does several times faster than classifying every row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, String, case, literal, literal_column
from sqlalchemy.sql import ColumnElement

from services.reporting.domain.compliance import ComplianceStatus, ReportState

# Report states whose compliance status is the state itself, whatever the day.
FOLLOWS_REPORT = (ReportState.ACCEPTED, ReportState.SUBMITTED, ReportState.RETURNED)


def _text(value: str) -> ColumnElement[str]:
    return literal_column(f"'{value}'", String)


def on_day(today: date) -> Any:
    """today as a value written into the statement, so each day is planned for itself."""
    return literal(today, Date, literal_execute=True)


def not_due_yet(due_on: ColumnElement[date], today: date) -> ColumnElement[bool]:
    return due_on >= on_day(today)


def not_locked_yet(lock_on: ColumnElement[date], today: date) -> ColumnElement[bool]:
    return lock_on >= on_day(today)


def status_case(
    report_state: ColumnElement[str],
    not_due: ColumnElement[bool],
    not_locked: ColumnElement[bool],
) -> ColumnElement[str]:
    """The stored ComplianceStatus value from the report state and the two day flags."""
    return case(
        *(
            (report_state == _text(s.value), _text(ComplianceStatus(s.value)))
            for s in FOLLOWS_REPORT
        ),
        (not_due, _text(ComplianceStatus.NOT_YET_DUE)),
        (not_locked, _text(ComplianceStatus.LATE)),
        else_=_text(ComplianceStatus.MISSING),
    )


def status_sql(
    report_state: ColumnElement[str],
    due_on: ColumnElement[date],
    lock_on: ColumnElement[date],
    today: date,
) -> ColumnElement[str]:
    """The stored ComplianceStatus value of an expected report on `today`."""
    return status_case(report_state, not_due_yet(due_on, today), not_locked_yet(lock_on, today))
