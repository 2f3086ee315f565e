"""Writes and lookups of the read model kept from registry and grants events.

Every upsert is skipped when the stored row reflects a newer event (`as_of`). Jurisdiction paths
("/root/.../id/") follow parent links: a unit whose parent is not known yet starts a tree of its
own ("/id/") and is moved under its parent when the parent arrives; moving a unit moves its whole
subtree by replacing the path prefix.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.vocabulary import ReportingPeriodicity
from services.reporting.orm.read_model import (
    known_awards,
    known_calls,
    known_frameworks,
    known_jurisdictions,
    known_mandates,
    known_organisations,
)


async def _upsert(session: AsyncSession, table: Table, key: str, values: dict[str, Any]) -> bool:
    """Insert or update by key unless the stored row is newer; True when written."""
    column = table.c[key]
    found = (await session.execute(select(table.c.as_of).where(column == values[key]))).first()
    if found is None:
        await session.execute(insert(table).values(**values))
        return True
    if found.as_of > values["as_of"]:
        return False
    await session.execute(update(table).where(column == values[key]).values(**values))
    return True


async def _path_of(session: AsyncSession, unit_id: str) -> str | None:
    t = known_jurisdictions
    return await session.scalar(select(t.c.path).where(t.c.id == unit_id))


async def _repath(session: AsyncSession, old: str, new: str) -> None:
    """Give every unit under old (itself included) the prefix new instead."""
    if old == new:
        return
    t = known_jurisdictions
    await session.execute(
        update(t)
        .where(t.c.path.startswith(old, autoescape=True))
        .values(path=literal(new) + func.substr(t.c.path, len(old) + 1))
        .execution_options(synchronize_session=False)
    )


async def _path_under(session: AsyncSession, unit_id: str, parent_id: str | None) -> str:
    """The unit's path under its parent; its own root while the parent is unknown (or would be
    its own descendant)."""
    own = f"/{unit_id}/"
    parent_path = await _path_of(session, parent_id) if parent_id else None
    if parent_path is None or own in parent_path:
        return own
    return f"{parent_path}{unit_id}/"


async def upsert_jurisdiction(
    session: AsyncSession,
    *,
    unit_id: str,
    parent_id: str | None,
    code: str,
    display_name: str,
    level: str | None,
    valid_from: date | None,
    valid_to: date | None,
    as_of: datetime,
) -> bool:
    """Record a unit and keep the paths of it, its subtree and its waiting children right."""
    old_path = await _path_of(session, unit_id)
    path = await _path_under(session, unit_id, parent_id)
    values = {
        "id": unit_id,
        "parent_id": parent_id,
        "code": code,
        "display_name": display_name,
        "level": level,
        "path": old_path or path,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "as_of": as_of,
    }
    if not await _upsert(session, known_jurisdictions, "id", values):
        return False
    if old_path is not None:
        await _repath(session, old_path, path)
    await _adopt_children(session, unit_id, path)
    return True


async def _adopt_children(session: AsyncSession, unit_id: str, path: str) -> None:
    """Move children that named this unit as parent before it was known under it."""
    t = known_jurisdictions
    rows = await session.execute(select(t.c.id, t.c.path).where(t.c.parent_id == unit_id))
    for child in rows.all():
        wanted = f"{path}{child.id}/"
        if child.path != wanted and f"/{child.id}/" not in path:
            await _repath(session, child.path, wanted)


async def upsert_organisation(session: AsyncSession, values: dict[str, Any]) -> bool:
    """values: id, display_name, kind, verification_state, jurisdiction_id, as_of."""
    return await _upsert(session, known_organisations, "id", values)


async def upsert_mandate(session: AsyncSession, values: dict[str, Any]) -> bool:
    """values: organisation_id, version, overseeing_org_id, periodicity, fiscal_start_month,
    as_of."""
    return await _upsert(session, known_mandates, "organisation_id", values)


async def upsert_framework(session: AsyncSession, values: dict[str, Any]) -> bool:
    """values: id, title, state, pillars, indicators, as_of."""
    return await _upsert(session, known_frameworks, "id", values)


async def upsert_call(session: AsyncSession, values: dict[str, Any]) -> bool:
    """values: id, managing_org_id, title, as_of."""
    return await _upsert(session, known_calls, "id", values)


async def upsert_award(session: AsyncSession, values: dict[str, Any]) -> bool:
    """values: id, call_id, grantee_org_id, funder_org_ids, periodicity,
    final_evaluation_required, award_time, as_of."""
    return await _upsert(session, known_awards, "id", values)


async def mandate_series(session: AsyncSession, org_id: str) -> tuple[ReportingPeriodicity, int]:
    """Periodicity and fiscal start month of an organisation's mandate (semiannual, 1 unknown)."""
    t = known_mandates
    query = select(t.c.periodicity, t.c.fiscal_start_month).where(t.c.organisation_id == org_id)
    row = (await session.execute(query)).first()
    periodicity = row.periodicity if row and row.periodicity else ReportingPeriodicity.SEMIANNUAL
    month = row.fiscal_start_month if row and 1 <= row.fiscal_start_month <= 12 else 1
    return ReportingPeriodicity(periodicity), month


async def managing_org_of_call(session: AsyncSession, call_id: str) -> str | None:
    t = known_calls
    return await session.scalar(select(t.c.managing_org_id).where(t.c.id == call_id))


async def jurisdiction_of_organisation(session: AsyncSession, org_id: str) -> str | None:
    t = known_organisations
    return await session.scalar(select(t.c.jurisdiction_id).where(t.c.id == org_id))
