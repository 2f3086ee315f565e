"""Rows with a version column: insert at version 1, save under an optimistic lock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, String, Table, bindparam, insert, select, update
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


@dataclass(frozen=True)
class LockedChange:
    """New values for a row this transaction read at version with a lock (FOR UPDATE)."""

    row_id: str
    version: int
    values: dict[str, Any]
    stamp: Stamp


async def update_locked(
    session: AsyncSession, table: Table, changes: Sequence[LockedChange]
) -> None:
    """Write changes (all to the same columns) in one executemany, bumping each version.

    The rows must be locked by this transaction since they were read, so none can have moved on:
    the version in the WHERE clause only guards against a caller that forgot the lock."""
    if not changes:
        return
    columns = sorted(changes[0].values)
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("row_version"))
        .values(
            version=bindparam("next_version"),
            updated_at=bindparam("stamp_at"),
            updated_by=bindparam("stamp_by"),
            **{c: bindparam(f"new_{c}") for c in columns},
        )
    )
    params = [
        {
            "row_id": change.row_id,
            "row_version": change.version,
            "next_version": change.version + 1,
            "stamp_at": change.stamp.at,
            "stamp_by": change.stamp.by,
            **{f"new_{c}": change.values[c] for c in columns},
        }
        for change in changes
    ]
    await session.execute(statement, params)


def check_etag(etag: str, version: int, what: str) -> None:
    """Conflict when the caller's etag (if any) is not the stored version."""
    if etag and etag != str(version):
        raise Conflict(f"{what} has changed since you read it (etag {etag}); reload and retry")
