"""The `organisations` table and the mapping between its rows and domain organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.errors import AlreadyExists, Conflict
from services.registry.domain.organisations import (
    Details,
    Organisation,
    OrganisationKind,
    RegistrationNumber,
    Sector,
    VerificationState,
)
from services.registry.orm import METADATA, Stamp

organisations = Table(
    "organisations",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("kind", String(32), nullable=False, index=True),
    Column("sector", String(32), nullable=True),
    Column(
        "jurisdiction_id", String(36), ForeignKey("jurisdictions.id"), nullable=True, index=True
    ),
    Column("registration_numbers", JSON, nullable=False),
    Column("website", String(2048), nullable=False),
    Column("contact_email", String(254), nullable=False),
    Column("verification_state", String(16), nullable=False, index=True),
    Column("verification_reason", Text, nullable=False),
    Column("verification_time", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
)


def details_from_row(row: Any) -> Details:
    """The editable details stored in a row."""
    return Details(
        display_name=row.display_name,
        kind=OrganisationKind(row.kind),
        sector=Sector(row.sector) if row.sector else None,
        jurisdiction_id=row.jurisdiction_id,
        registration_numbers=tuple(
            RegistrationNumber(n["scheme"], n["value"]) for n in row.registration_numbers
        ),
        website=row.website,
        contact_email=row.contact_email,
    )


def to_entity(row: Any) -> Organisation:
    """A domain organisation from a table row."""
    return Organisation(
        id=row.id,
        details=details_from_row(row),
        verification_state=VerificationState(row.verification_state),
        verification_reason=row.verification_reason,
        verification_time=row.verification_time,
        version=row.version,
    )


def _values(org: Organisation) -> dict[str, Any]:
    d = org.details
    assert d.kind is not None
    return {
        "display_name": d.display_name,
        "kind": d.kind.value,
        "sector": d.sector.value if d.sector else None,
        "jurisdiction_id": d.jurisdiction_id,
        "registration_numbers": [
            {"scheme": n.scheme, "value": n.value} for n in d.registration_numbers
        ],
        "website": d.website,
        "contact_email": d.contact_email,
        "verification_state": org.verification_state.value,
        "verification_reason": org.verification_reason,
        "verification_time": org.verification_time,
    }


async def load(session: AsyncSession, org_id: str) -> Organisation | None:
    """The organisation with this id, or None."""
    row = (await session.execute(select(organisations).where(organisations.c.id == org_id))).first()
    return to_entity(row) if row else None


async def add(session: AsyncSession, org: Organisation, stamp: Stamp) -> None:
    """Insert a new organisation at version 1."""
    org.version = 1
    statement = insert(organisations).values(
        id=org.id,
        version=1,
        created_at=stamp.at,
        created_by=stamp.by,
        updated_at=stamp.at,
        updated_by=stamp.by,
        **_values(org),
    )
    try:
        await session.execute(statement)
    except IntegrityError:
        raise AlreadyExists(f"organisation {org.id} already exists") from None


async def save(session: AsyncSession, org: Organisation, stamp: Stamp) -> None:
    """Write a changed organisation; Conflict when someone else changed it since it was loaded."""
    result = await session.execute(
        update(organisations)
        .where(organisations.c.id == org.id, organisations.c.version == org.version)
        .values(version=org.version + 1, updated_at=stamp.at, updated_by=stamp.by, **_values(org))
    )
    if result.rowcount != 1:
        raise Conflict("organisation was changed by someone else; reload and retry")
    org.version += 1
