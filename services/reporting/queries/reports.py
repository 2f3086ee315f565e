"""Report reads: one report, lists filtered to what the caller may see, and a report's history.

Owners, reviewers and administrators see reports as domain/access.py says; the funders of an
award also see its grant reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, cast, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.audit import AuditRecord, audit_page
from services.common.auth import Principal, Role
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.common.versioned import Versioned, versioned_fields
from services.reporting.domain.access import (
    GRANT_REPORT_REVIEWERS,
    PLAN_REVIEWERS,
    WRITERS,
    may_read,
    sees_all,
)
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.report_workflow import Report
from services.reporting.orm.read_model import known_awards
from services.reporting.orm.report_rows import load_report_row, report_from_row
from services.reporting.orm.reports import progress_reports


@dataclass(frozen=True)
class ReportView:
    """A report with the audit stamps of its row."""

    report: Report
    stamps: Versioned

    @property
    def etag(self) -> str:
        return str(self.report.version)


@dataclass(frozen=True)
class ReportFilter:
    organisation_id: str | None = None
    cycle_code: str | None = None
    obligation_id: str | None = None
    state: ReportState | None = None


def _view(row: Any) -> ReportView:
    return ReportView(report_from_row(row), Versioned(**versioned_fields(row)))


async def find_report(session: AsyncSession, report_id: str) -> ReportView | None:
    """The report whoever may see it, or None."""
    row = await load_report_row(session, report_id)
    return _view(row) if row else None


async def report_view(session: AsyncSession, report_id: str) -> ReportView:
    """The report (no access check); NotFound when missing."""
    found = await find_report(session, report_id)
    if found is None:
        raise NotFound(f"progress report {report_id} not found")
    return found


async def funders_of(session: AsyncSession, award_id: str | None) -> list[str]:
    """The organisations funding an award, as the read model knows them."""
    if award_id is None:
        return []
    query = select(known_awards.c.funder_org_ids).where(known_awards.c.id == award_id)
    return list(await session.scalar(query) or [])


async def may_read_report(session: AsyncSession, actor: Principal, report: Report) -> bool:
    """Owner, reviewer, administrators, and for grant reports the award's funders."""
    funders = await funders_of(session, report.award_id) if actor.has_any(Role.FUNDER) else []
    return may_read(
        actor,
        owner_org_id=report.organisation_id,
        reviewing_org_id=report.reviewing_org_id,
        grant=report.is_grant,
        funder_org_ids=funders,
    )


async def get_visible_report(session: AsyncSession, report_id: str, actor: Principal) -> ReportView:
    """The report if actor may see it; NotFound otherwise (never revealing that it exists)."""
    found = await find_report(session, report_id)
    if found is None or not await may_read_report(session, actor, found.report):
        raise NotFound(f"progress report {report_id} not found")
    return found


def _visible_clause(actor: Principal) -> Any:
    """The reports actor may see, as a WHERE clause (None: all)."""
    if sees_all(actor):
        return None
    r, org = progress_reports.c, actor.org_id
    if not org:
        return false()
    clauses = []
    if actor.has_any(*WRITERS):
        clauses.append(r.organisation_id == org)
    if actor.has_any(*PLAN_REVIEWERS):
        clauses.append(and_(r.reviewing_org_id == org, r.award_id.is_(None)))
    if actor.has_any(*GRANT_REPORT_REVIEWERS):
        clauses.append(and_(r.reviewing_org_id == org, r.award_id.is_not(None)))
    if actor.has_any(Role.FUNDER):
        funded = select(known_awards.c.id).where(
            cast(known_awards.c.funder_org_ids, String).contains(f'"{org}"', autoescape=True)
        )
        clauses.append(r.award_id.in_(funded))
    return or_(*clauses) if clauses else false()


async def list_reports(
    session: AsyncSession,
    actor: Principal,
    f: ReportFilter,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[ReportView]:
    """Reports actor may see, newest cycle first, optionally filtered."""
    r = progress_reports
    query = select(r)
    visible = _visible_clause(actor)
    if visible is not None:
        query = query.where(visible)
    for column, value in (
        (r.c.organisation_id, f.organisation_id),
        (r.c.cycle_code, f.cycle_code),
        (r.c.obligation_id, f.obligation_id),
        (r.c.state, f.state.value if f.state else None),
    ):
        if value is not None:
            query = query.where(column == value)
    query = query.order_by(r.c.due_on.desc(), r.c.created_at, r.c.id)
    fingerprint = {
        "organisation": f.organisation_id,
        "cycle": f.cycle_code,
        "obligation": f.obligation_id,
        "state": f.state,
        "sub": actor.sub,
    }
    return await fetch_page(
        session, query, _view, fingerprint, requested_size=requested_size, token=token
    )


async def report_history(
    session: AsyncSession,
    report_id: str,
    resource: str,
    actor: Principal,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[AuditRecord]:
    """A visible report's audited changes (resource is its name), oldest first."""
    await get_visible_report(session, report_id, actor)
    return await audit_page(session, resource, requested_size=requested_size, token=token)
