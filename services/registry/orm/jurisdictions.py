"""The `jurisdictions` table and the mapping between its rows and domain units."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common import versioned
from services.common.versioned import Stamp
from services.registry.domain.jurisdictions import Jurisdiction, Level
from services.registry.orm import METADATA

jurisdictions = Table(
    "jurisdictions",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("level", String(16), nullable=False, index=True),
    Column("parent_id", String(36), ForeignKey("jurisdictions.id"), nullable=True, index=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("predecessors", JSON, nullable=False),
    Column("successors", JSON, nullable=False),
    *versioned.version_columns(),
)


def to_entity(row: Any) -> Jurisdiction:
    """A domain unit from a table row."""
    return Jurisdiction(
        id=row.id,
        code=row.code,
        display_name=row.display_name,
        level=Level(row.level),
        parent_id=row.parent_id,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        predecessors=list(row.predecessors),
        successors=list(row.successors),
        version=row.version,
    )


def _values(unit: Jurisdiction) -> dict[str, Any]:
    return {
        "code": unit.code,
        "display_name": unit.display_name,
        "level": unit.level.value,
        "parent_id": unit.parent_id,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "predecessors": list(unit.predecessors),
        "successors": list(unit.successors),
    }


def _taken(unit: Jurisdiction) -> str:
    return f"jurisdiction code {unit.code} is already used"


async def load(session: AsyncSession, jurisdiction_id: str) -> Jurisdiction | None:
    """The unit with this id, or None."""
    row = await versioned.load_row(session, jurisdictions, jurisdiction_id)
    return to_entity(row) if row else None


async def code_taken(session: AsyncSession, code: str, *, except_id: str | None = None) -> bool:
    """True when another unit already uses code."""
    query = select(jurisdictions.c.id).where(jurisdictions.c.code == code)
    if except_id is not None:
        query = query.where(jurisdictions.c.id != except_id)
    return (await session.execute(query.limit(1))).first() is not None


async def add(session: AsyncSession, unit: Jurisdiction, stamp: Stamp) -> None:
    """Insert a new unit at version 1."""
    unit.version = 1
    await versioned.insert_versioned(
        session, jurisdictions, unit.id, _values(unit), stamp, taken=_taken(unit)
    )


async def save(session: AsyncSession, unit: Jurisdiction, stamp: Stamp) -> None:
    """Write a changed unit; Conflict when someone else changed it since it was loaded."""
    stale = f"jurisdiction {unit.code} was changed by someone else; reload and retry"
    await versioned.update_versioned(
        session,
        jurisdictions,
        unit.id,
        unit.version,
        _values(unit),
        stamp,
        stale=stale,
        taken=_taken(unit),
    )
    unit.version += 1
