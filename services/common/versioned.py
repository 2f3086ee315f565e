"""Rows with a version column: insert at version 1, save under an optimistic lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, String, Table, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.errors import AlreadyExists, Conflict


@dataclass(frozen=True)
class Stamp:
    """Who changes a row, and when."""

    at: datetime
    by: str


@dataclass(frozen=True)
class Versioned:
    """A view of a versioned row: its version (the etag) and who created and last changed it."""

    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def etag(self) -> str:
        return str(self.version)


def versioned_fields(row: Any) -> dict[str, Any]:
    """The Versioned fields of a row of a versioned table."""
    return {
        "version": row.version,
        "created_at": row.created_at,
        "created_by": row.created_by,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
    }


def first_version(stamp: Stamp) -> dict[str, Any]:
    """The Versioned fields of something stamp has just created."""
    return {
        "version": 1,
        "created_at": stamp.at,
        "created_by": stamp.by,
        "updated_at": stamp.at,
        "updated_by": stamp.by,
    }


def version_columns() -> list[Column[Any]]:
    """The version and created/updated stamp columns a versioned table ends with."""
    return [
        Column("version", Integer, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("created_by", String(255), nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("updated_by", String(255), nullable=False),
    ]


async def load_row(session: AsyncSession, table: Table, row_id: str) -> Row[Any] | None:
    """The row of table whose id is row_id, or None."""
    return (await session.execute(select(table).where(table.c.id == row_id))).first()


async def _execute(session: AsyncSession, statement: Any, taken: str | None) -> Any:
    try:
        return await session.execute(statement)
    except IntegrityError:
        if taken is None:
            raise
        raise AlreadyExists(taken) from None


async def insert_versioned(
    session: AsyncSession,
    table: Table,
    row_id: str,
    values: dict[str, Any],
    stamp: Stamp,
    *,
    taken: str | None = None,
) -> None:
    """Insert row_id at version 1, created and updated by stamp; AlreadyExists(taken) on a clash."""
    statement = insert(table).values(id=row_id, **first_version(stamp), **values)
    await _execute(session, statement, taken)


async def update_versioned(
    session: AsyncSession,
    table: Table,
    row_id: str,
    version: int,
    values: dict[str, Any],
    stamp: Stamp,
    *,
    stale: str,
    taken: str | None = None,
) -> None:
    """Write values if row_id is still at version, bumping it; Conflict(stale) when it is not."""
    statement = (
        update(table)
        .where(table.c.id == row_id, table.c.version == version)
        .values(version=version + 1, updated_at=stamp.at, updated_by=stamp.by, **values)
    )
    result = await _execute(session, statement, taken)
    if result.rowcount != 1:
        raise Conflict(stale)


def check_etag(etag: str, version: int, what: str) -> None:
    """Conflict when the caller's etag (if any) is not the stored version."""
    if etag and etag != str(version):
        raise Conflict(f"{what} has changed since you read it (etag {etag}); reload and retry")
