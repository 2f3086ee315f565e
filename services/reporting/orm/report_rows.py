"""progress_reports rows to and from domain reports; expected_reports mirrors their state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.records import from_records, to_record
from services.common.versioned import Stamp, insert_versioned, update_versioned
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.plans import AnchorKind, ReviewComment
from services.reporting.domain.report_workflow import Report
from services.reporting.domain.reports import ReportContent, ReportKind
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.reports import progress_reports, support_requests

STALE = "the report was changed by someone else; reload and retry"
TAKEN = "a report of this kind already exists for this obligation and cycle"


def report_from_row(row: Any) -> Report:
    """The domain report a progress_reports row holds."""
    return Report(
        id=row.id,
        obligation_id=row.obligation_id,
        cycle_code=row.cycle_code,
        kind=ReportKind(row.kind),
        organisation_id=row.organisation_id,
        jurisdiction_id=row.jurisdiction_id,
        reviewing_org_id=row.reviewing_org_id,
        plan_id=row.plan_id,
        plan_version=row.plan_version,
        award_id=row.award_id,
        due_on=row.due_on,
        lock_on=row.lock_on,
        content=ReportContent.from_record(row.content),
        state=ReportState(row.state),
        submitted_at=row.submitted_at,
        on_time=row.on_time,
        accepted_at=row.accepted_at,
        return_reason=row.return_reason,
        comments=from_records(ReviewComment, row.comments, anchor_kind=AnchorKind),
        reopen_reason=row.reopen_reason,
        version=row.version,
    )


def _values(report: Report) -> dict[str, Any]:
    return {
        "obligation_id": report.obligation_id,
        "cycle_code": report.cycle_code,
        "kind": report.kind.value,
        "organisation_id": report.organisation_id,
        "jurisdiction_id": report.jurisdiction_id,
        "reviewing_org_id": report.reviewing_org_id,
        "plan_id": report.plan_id,
        "plan_version": report.plan_version,
        "award_id": report.award_id,
        "state": report.state.value,
        "content": report.content.to_record(),
        "due_on": report.due_on,
        "lock_on": report.lock_on,
        "submitted_at": report.submitted_at,
        "on_time": report.on_time,
        "accepted_at": report.accepted_at,
        "return_reason": report.return_reason,
        "comments": to_record(report.comments),
        "reopen_reason": report.reopen_reason,
    }


async def load_report_row(session: AsyncSession, report_id: str) -> Any | None:
    """The progress_reports row with this id, or None."""
    t = progress_reports
    return (await session.execute(select(t).where(t.c.id == report_id))).first()


async def add_report(session: AsyncSession, report: Report, stamp: Stamp) -> None:
    """Insert a new report at version 1; AlreadyExists when its obligation and cycle have one."""
    await insert_versioned(
        session, progress_reports, report.id, _values(report), stamp, taken=TAKEN
    )
    report.version = 1
    await mirror_state(session, report)


async def save_report(session: AsyncSession, report: Report, stamp: Stamp) -> None:
    """Write a changed report; Conflict when someone changed it since it was loaded."""
    values = _values(report)
    await update_versioned(
        session, progress_reports, report.id, report.version, values, stamp, stale=STALE
    )
    report.version += 1
    await mirror_state(session, report)


async def mirror_state(session: AsyncSession, report: Report) -> None:
    """Copy the report's state to its expected_reports row. The row follows the cycle's progress
    report; a final evaluation holds it only while no progress report does."""
    e = expected_reports
    query = update(e).where(e.c.obligation_id == report.obligation_id)
    query = query.where(e.c.cycle_code == report.cycle_code)
    if report.kind != ReportKind.PROGRESS:
        query = query.where(or_(e.c.report_id.is_(None), e.c.report_id == report.id))
    await session.execute(
        query.values(
            report_id=report.id, report_state=report.state.value, submitted_at=report.submitted_at
        )
    )


async def delete_support_requests(session: AsyncSession, report_id: str) -> None:
    """Remove a report's support requests from the national view."""
    await session.execute(delete(support_requests).where(support_requests.c.report_id == report_id))


async def write_support_requests(session: AsyncSession, report: Report) -> None:
    """Put a plan report's support requests (replacing earlier ones) where the national view reads.

    Requests for national support come from places' plan reports; a grantee's asks stay in its
    report, for the call's managers who review it.
    """
    await delete_support_requests(session, report.id)
    if report.is_grant:
        return
    rows = [
        {
            "id": s.id,
            "report_id": report.id,
            "organisation_id": report.organisation_id,
            "jurisdiction_id": report.jurisdiction_id,
            "reviewing_org_id": report.reviewing_org_id,
            "cycle_code": report.cycle_code,
            "kind": s.kind.value if s.kind else "",
            "description": s.description,
            "currency_code": s.amount.currency_code if s.amount else None,
            "amount": s.amount.minor_units if s.amount else None,
        }
        for s in report.content.support_requests
    ]
    if rows:
        await session.execute(insert(support_requests), rows)
