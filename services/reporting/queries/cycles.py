"""Reads of cycles, obligations, expected reports and reminder digests, limited to what the caller
may see: its own organisation's (writers), what it reviews (reviewers), everything (admins)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.domain.access import (
    GRANT_REPORT_REVIEWERS,
    PLAN_REVIEWERS,
    WRITERS,
    sees_all,
)
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.domain.cycles import Cycle
from services.reporting.domain.obligations import ExpectedReport, Obligation, ObligationKind
from services.reporting.domain.reminders import Digest
from services.reporting.orm import obligation_rows as rows
from services.reporting.orm.obligations import (
    expected_reports,
    obligations,
    reminder_digests,
    reporting_cycles,
)
from services.reporting.queries.national.status import status_sql


def visible(actor: Principal, table: Table) -> Any:
    """Rows of obligations or expected_reports actor may see (None: every row)."""
    if sees_all(actor):
        return None
    if not actor.org_id:
        return false()
    seen = []
    if actor.has_any(*WRITERS):
        seen.append(table.c.organisation_id == actor.org_id)
    for roles, kind in (
        (PLAN_REVIEWERS, ObligationKind.ACTION_PLAN),
        (GRANT_REPORT_REVIEWERS, ObligationKind.GRANT),
    ):
        if actor.has_any(*roles):
            seen.append(and_(table.c.reviewing_org_id == actor.org_id, table.c.kind == kind.value))
    return or_(*seen) if seen else false()


def _where(*conditions: Any) -> Any:
    return and_(True, *(c for c in conditions if c is not None))


async def list_cycles(
    session: AsyncSession,
    *,
    periodicity: ReportingPeriodicity,
    fiscal_start_month: int,
    requested_size: int = 0,
    token: str = "",
) -> Page[Cycle]:
    """The stored cycles of one series, newest period first."""
    t = reporting_cycles
    query = select(t).where(
        t.c.periodicity == periodicity.value, t.c.fiscal_start_month == fiscal_start_month
    )
    query = query.order_by(t.c.period_end.desc())
    fingerprint = {"periodicity": periodicity.value, "month": fiscal_start_month}
    return await fetch_page(
        session, query, rows.cycle_from_row, fingerprint, requested_size=requested_size, token=token
    )


async def get_cycle(session: AsyncSession, code: str) -> Cycle:
    """A stored cycle; NotFound when no obligation has expected a report for it."""
    cycle = await rows.load_cycle(session, code)
    if cycle is None:
        raise NotFound(f"reporting cycle {code} not found")
    return cycle


async def list_obligations(
    session: AsyncSession,
    actor: Principal,
    *,
    organisation_id: str | None = None,
    kind: ObligationKind | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[Obligation]:
    """Obligations actor may see, newest first."""
    t = obligations
    query = select(t).where(
        _where(
            visible(actor, t),
            t.c.organisation_id == organisation_id if organisation_id else None,
            t.c.kind == kind.value if kind else None,
        )
    )
    query = query.order_by(t.c.created_at.desc(), t.c.id)
    fingerprint = {"org": organisation_id, "kind": kind, "sub": actor.sub}
    return await fetch_page(
        session,
        query,
        rows.obligation_from_row,
        fingerprint,
        requested_size=requested_size,
        token=token,
    )


async def list_expected_reports(
    session: AsyncSession,
    actor: Principal,
    today: date,
    *,
    organisation_id: str | None = None,
    cycle_code: str | None = None,
    status: ComplianceStatus | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[ExpectedReport]:
    """Expected reports actor may see, soonest due first."""
    t = expected_reports
    query = select(t).where(
        _where(
            visible(actor, t),
            t.c.organisation_id == organisation_id if organisation_id else None,
            t.c.cycle_code == cycle_code if cycle_code else None,
            status_sql(t.c.report_state, t.c.due_on, t.c.lock_on, today) == status.value
            if status
            else None,
        )
    )
    query = query.order_by(t.c.due_on, t.c.organisation_id, t.c.obligation_id)
    fingerprint = {
        "org": organisation_id,
        "cycle": cycle_code,
        "status": status,
        "today": today,
        "sub": actor.sub,
    }
    return await fetch_page(
        session,
        query,
        rows.expected_from_row,
        fingerprint,
        requested_size=requested_size,
        token=token,
    )


async def list_digests(
    session: AsyncSession,
    actor: Principal,
    *,
    organisation_id: str | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[Digest]:
    """Reminder digests, newest first: the caller's organisation's, or any for admins."""
    t = reminder_digests
    if not sees_all(actor):
        if not actor.org_id or organisation_id not in (None, actor.org_id):
            return Page([], "")
        organisation_id = actor.org_id
    query = select(t).where(
        _where(t.c.organisation_id == organisation_id if organisation_id else None)
    )
    query = query.order_by(t.c.day.desc(), t.c.organisation_id)
    fingerprint = {"org": organisation_id, "sub": actor.sub}
    return await fetch_page(
        session,
        query,
        rows.digest_from_row,
        fingerprint,
        requested_size=requested_size,
        token=token,
    )
