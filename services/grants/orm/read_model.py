"""The eligibility read model: registry organisations and jurisdictions as grants knows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.grants.domain.eligibility import (
    KnownOrganisation,
    OrganisationKind,
    VerificationState,
)
from services.grants.orm import METADATA

registry_organisations = Table(
    "registry_organisations",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("kind", String(32), nullable=True),
    Column("verification_state", String(16), nullable=False),
    Column("jurisdiction_id", String(36), nullable=True),
    # Occurred-at of the event the row reflects; older events never overwrite newer ones.
    Column("as_of", UtcDateTime, nullable=False),
)

registry_jurisdictions = Table(
    "registry_jurisdictions",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("parent_id", String(36), nullable=True, index=True),
    Column("code", String(32), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("as_of", UtcDateTime, nullable=False),
)


async def _upsert(session: AsyncSession, table: Table, values: dict[str, Any]) -> bool:
    """Insert or update by id unless the stored row is newer; True when written."""
    found = (await session.execute(select(table.c.as_of).where(table.c.id == values["id"]))).first()
    if found is None:
        await session.execute(insert(table).values(**values))
        return True
    if found.as_of > values["as_of"]:
        return False
    await session.execute(update(table).where(table.c.id == values["id"]).values(**values))
    return True


async def upsert_organisation(
    session: AsyncSession, org: KnownOrganisation, as_of: datetime
) -> bool:
    """Record what the registry says about an organisation (skipped when older than stored)."""
    values = {
        "id": org.id,
        "display_name": org.display_name,
        "kind": org.kind.value if org.kind else None,
        "verification_state": org.verification_state.value,
        "jurisdiction_id": org.jurisdiction_id,
        "as_of": as_of,
    }
    return await _upsert(session, registry_organisations, values)


async def upsert_jurisdiction(
    session: AsyncSession,
    *,
    unit_id: str,
    parent_id: str | None,
    code: str,
    display_name: str,
    valid_from: date | None,
    valid_to: date | None,
    as_of: datetime,
) -> bool:
    """Record a jurisdiction and its parent link (skipped when older than stored)."""
    values = {
        "id": unit_id,
        "parent_id": parent_id,
        "code": code,
        "display_name": display_name,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "as_of": as_of,
    }
    return await _upsert(session, registry_jurisdictions, values)


def organisation_from_row(row: Any) -> KnownOrganisation:
    return KnownOrganisation(
        id=row.id,
        display_name=row.display_name,
        kind=OrganisationKind(row.kind) if row.kind else None,
        verification_state=VerificationState(row.verification_state),
        jurisdiction_id=row.jurisdiction_id,
    )


async def load_organisation(session: AsyncSession, org_id: str) -> KnownOrganisation | None:
    """What grants knows of an organisation, or None."""
    t = registry_organisations
    row = (await session.execute(select(t).where(t.c.id == org_id))).first()
    return organisation_from_row(row) if row else None
