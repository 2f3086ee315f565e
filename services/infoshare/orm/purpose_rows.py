"""Rows of `purposes` to and from the domain."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import AlreadyExists
from services.infoshare.domain.categories import DataCategory, LawfulBasis
from services.infoshare.domain.purposes import Purpose
from services.infoshare.orm.tables import purposes


def purpose_from_row(row: Any) -> Purpose:
    return Purpose(
        code=row.code,
        description=row.description,
        lawful_basis=LawfulBasis(row.lawful_basis),
        categories=frozenset(DataCategory(c) for c in row.categories),
        retention_days=row.retention_days,
        consent_required=row.consent_required,
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def load_purpose(session: AsyncSession, code: str) -> Purpose | None:
    """The purpose with this code, or None."""
    row = (await session.execute(select(purposes).where(purposes.c.code == code))).first()
    return purpose_from_row(row) if row else None


async def load_purposes(session: AsyncSession, codes: Iterable[str]) -> dict[str, Purpose]:
    """Those of the codes that are known purposes, by code."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = await session.execute(select(purposes).where(purposes.c.code.in_(wanted)))
    return {row.code: purpose_from_row(row) for row in rows}


async def insert_purpose(session: AsyncSession, purpose: Purpose) -> None:
    """Store a new purpose; AlreadyExists when its code is taken."""
    statement = insert(purposes).values(
        code=purpose.code,
        description=purpose.description,
        lawful_basis=purpose.lawful_basis.value,
        categories=sorted(c.value for c in purpose.categories),
        retention_days=purpose.retention_days,
        consent_required=purpose.consent_required,
        created_at=purpose.created_at,
        created_by=purpose.created_by,
    )
    try:
        await session.execute(statement)
    except IntegrityError:
        raise AlreadyExists(f"a purpose with code {purpose.code!r} already exists") from None
