"""Purpose and record type reads: one by code, or all of them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RECORD_TYPES, RecordType
from services.infoshare.orm.purpose_rows import load_purpose, purpose_from_row
from services.infoshare.orm.tables import purposes


async def get_purpose(session: AsyncSession, code: str) -> Purpose:
    """The purpose with this code; NotFound otherwise."""
    found = await load_purpose(session, code)
    if found is None:
        raise NotFound(f"purpose {code} not found")
    return found


async def list_purposes(
    session: AsyncSession, *, requested_size: int = 0, token: str = ""
) -> Page[Purpose]:
    """Every purpose, by code."""
    query = select(purposes).order_by(purposes.c.code)
    return await fetch_page(
        session,
        query,
        purpose_from_row,
        {"list": "purposes"},
        requested_size=requested_size,
        token=token,
    )


def get_record_type(code: str) -> RecordType:
    """The standard record type with this code; NotFound otherwise."""
    found = RECORD_TYPES.get(code)
    if found is None:
        raise NotFound(f"record type {code} not found")
    return found


def list_record_types() -> list[RecordType]:
    """Every standard record type, by code."""
    return [RECORD_TYPES[code] for code in sorted(RECORD_TYPES)]
