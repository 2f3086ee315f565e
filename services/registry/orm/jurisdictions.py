"""The `jurisdictions` table and the mapping between its rows and domain units."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.errors import AlreadyExists, Conflict
from services.registry.domain.jurisdictions import Jurisdiction, Level
from services.registry.orm import METADATA, Stamp

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
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
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


async def _execute(session: AsyncSession, unit: Jurisdiction, statement: Any) -> Any:
    try:
        return await session.execute(statement)
    except IntegrityError:
        raise AlreadyExists(f"jurisdiction code {unit.code} is already used") from None


async def load(session: AsyncSession, jurisdiction_id: str) -> Jurisdiction | None:
    """The unit with this id, or None."""
    row = (
        await session.execute(select(jurisdictions).where(jurisdictions.c.id == jurisdiction_id))
    ).first()
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
    await _execute(
        session,
        unit,
        insert(jurisdictions).values(
            id=unit.id,
            version=1,
            created_at=stamp.at,
            created_by=stamp.by,
            updated_at=stamp.at,
            updated_by=stamp.by,
            **_values(unit),
        ),
    )


async def save(session: AsyncSession, unit: Jurisdiction, stamp: Stamp) -> None:
    """Write a changed unit; Conflict when someone else changed it since it was loaded."""
    result = await _execute(
        session,
        unit,
        update(jurisdictions)
        .where(jurisdictions.c.id == unit.id, jurisdictions.c.version == unit.version)
        .values(
            version=unit.version + 1, updated_at=stamp.at, updated_by=stamp.by, **_values(unit)
        ),
    )
    if result.rowcount != 1:
        raise Conflict(f"jurisdiction {unit.code} was changed by someone else; reload and retry")
    unit.version += 1
