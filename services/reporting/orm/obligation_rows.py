"""Rows of cycles, obligations, expected reports and reminder digests, to and from the domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import insert_ignoring_duplicates
from services.common.records import from_row, to_record
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.cycles import Cycle
from services.reporting.domain.obligations import ExpectedReport, Obligation, ObligationKind
from services.reporting.domain.reminders import UNSUBMITTED, Digest, Reminder, ReminderKind
from services.reporting.orm.obligations import (
    expected_reports,
    obligations,
    reminder_digests,
    reporting_cycles,
)


async def insert_missing(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, leaving any whose primary key is already stored (even by a concurrent
    transaction) as it is."""
    if not rows:
        return
    await session.execute(insert_ignoring_duplicates(session, table), rows)


def cycle_from_row(row: Any) -> Cycle:
    return from_row(Cycle, row, periodicity=ReportingPeriodicity(row.periodicity))


async def ensure_cycles(session: AsyncSession, cycles: Iterable[Cycle]) -> None:
    """Store the cycles not stored yet."""
    wanted = {c.code: c for c in cycles}
    t = reporting_cycles
    stored = set((await session.scalars(select(t.c.code).where(t.c.code.in_(wanted)))).all())
    await insert_missing(session, t, [to_record(c) for k, c in wanted.items() if k not in stored])


async def load_cycle(session: AsyncSession, code: str) -> Cycle | None:
    row = (
        await session.execute(select(reporting_cycles).where(reporting_cycles.c.code == code))
    ).first()
    return cycle_from_row(row) if row else None


def obligation_from_row(row: Any) -> Obligation:
    return Obligation(
        **{
            **row._mapping,
            "kind": ObligationKind(row.kind),
            "periodicity": ReportingPeriodicity(row.periodicity),
        }
    )


async def load_obligation(session: AsyncSession, **key: str) -> Obligation | None:
    """The obligation with the given id, plan_id or award_id, or None."""
    ((column, value),) = key.items()
    row = (await session.execute(select(obligations).where(obligations.c[column] == value))).first()
    return obligation_from_row(row) if row else None


async def insert_obligation(session: AsyncSession, obligation: Obligation) -> None:
    await session.execute(insert(obligations).values(**to_record(obligation)))


async def update_obligation(session: AsyncSession, obligation_id: str, **values: Any) -> None:
    await session.execute(
        update(obligations).where(obligations.c.id == obligation_id).values(**values)
    )


async def expected_codes(session: AsyncSession, obligation_id: str) -> set[str]:
    """Codes of the cycles the obligation already expects a report for."""
    t = expected_reports
    query = select(t.c.cycle_code).where(t.c.obligation_id == obligation_id)
    return set((await session.scalars(query)).all())


async def add_expected_reports(
    session: AsyncSession, obligation: Obligation, cycles: list[Cycle]
) -> int:
    """Expect a report (state "none") for each cycle not expected yet; returns how many."""
    known = await expected_codes(session, obligation.id)
    new = [c for c in cycles if c.code not in known]
    await ensure_cycles(session, new)
    rows = [
        {
            "obligation_id": obligation.id,
            "cycle_code": c.code,
            "kind": obligation.kind.value,
            "organisation_id": obligation.organisation_id,
            "jurisdiction_id": obligation.jurisdiction_id,
            "reviewing_org_id": obligation.reviewing_org_id,
            "due_on": c.due_on,
            "lock_on": c.lock_on,
            "report_id": None,
            "report_state": ReportState.NONE.value,
            "submitted_at": None,
        }
        for c in new
    ]
    await insert_missing(session, expected_reports, rows)
    return len(rows)


def expected_from_row(row: Any) -> ExpectedReport:
    return ExpectedReport(
        **{
            **row._mapping,
            "kind": ObligationKind(row.kind),
            "report_state": ReportState(row.report_state),
        }
    )


async def expected_due_on(session: AsyncSession, days: list[date]) -> list[ExpectedReport]:
    """Unsubmitted expected reports due on one of days (found through their cycles)."""
    codes = select(reporting_cycles.c.code).where(reporting_cycles.c.due_on.in_(days))
    t = expected_reports
    query = select(t).where(
        t.c.cycle_code.in_(codes),
        t.c.report_state.in_([s.value for s in UNSUBMITTED]),
        t.c.due_on.in_(days),
    )
    return [expected_from_row(r) for r in await session.execute(query)]


def reminder_record(r: Reminder) -> dict[str, Any]:
    return {**to_record(r), "due_on": r.due_on.isoformat()}


def reminder_from_record(data: dict[str, Any]) -> Reminder:
    return Reminder(
        obligation_id=data["obligation_id"],
        cycle_code=data["cycle_code"],
        due_on=date.fromisoformat(data["due_on"]),
        kind=ReminderKind(data["kind"]),
        days_to_due=int(data["days_to_due"]),
    )


def digest_from_row(row: Any) -> Digest:
    return Digest(
        organisation_id=row.organisation_id,
        day=row.day,
        reminders=tuple(reminder_from_record(r) for r in row.reminders),
    )


async def digested_organisations(session: AsyncSession, day: date) -> set[str]:
    """Organisations that already have their digest of day."""
    t = reminder_digests
    return set((await session.scalars(select(t.c.organisation_id).where(t.c.day == day))).all())


async def insert_digest(session: AsyncSession, digest: Digest, created_at: datetime) -> None:
    """Store a digest; IntegrityError when the organisation already has that day's."""
    await session.execute(
        insert(reminder_digests).values(
            organisation_id=digest.organisation_id,
            day=digest.day,
            reminders=[reminder_record(r) for r in digest.reminders],
            created_at=created_at,
        )
    )
