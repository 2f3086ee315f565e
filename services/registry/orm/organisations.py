"""The `organisations` table and the mapping between its rows and domain organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.ext.asyncio import AsyncSession

from services.common import versioned
from services.common.db import UtcDateTime
from services.common.enums import optional_enum
from services.common.records import from_records, to_record
from services.common.versioned import Stamp
from services.registry.domain.organisations import (
    Details,
    Organisation,
    OrganisationKind,
    RegistrationNumber,
    Sector,
    VerificationState,
)
from services.registry.orm import METADATA

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
    *versioned.version_columns(),
)


def details_from_row(row: Any) -> Details:
    """The editable details stored in a row."""
    return Details(
        display_name=row.display_name,
        kind=OrganisationKind(row.kind),
        sector=optional_enum(Sector, row.sector),
        jurisdiction_id=row.jurisdiction_id,
        registration_numbers=from_records(RegistrationNumber, row.registration_numbers),
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
        "sector": to_record(d.sector),
        "jurisdiction_id": d.jurisdiction_id,
        "registration_numbers": to_record(d.registration_numbers),
        "website": d.website,
        "contact_email": d.contact_email,
        "verification_state": org.verification_state.value,
        "verification_reason": org.verification_reason,
        "verification_time": org.verification_time,
    }


async def load(session: AsyncSession, org_id: str) -> Organisation | None:
    """The organisation with this id, or None."""
    row = await versioned.load_row(session, organisations, org_id)
    return to_entity(row) if row else None


async def add(session: AsyncSession, org: Organisation, stamp: Stamp) -> None:
    """Insert a new organisation at version 1."""
    org.version = 1
    taken = f"organisation {org.id} already exists"
    await versioned.insert_versioned(
        session, organisations, org.id, _values(org), stamp, taken=taken
    )


async def save(session: AsyncSession, org: Organisation, stamp: Stamp) -> None:
    """Write a changed organisation; Conflict when someone else changed it since it was loaded."""
    stale = "organisation was changed by someone else; reload and retry"
    await versioned.update_versioned(
        session, organisations, org.id, org.version, _values(org), stamp, stale=stale
    )
    org.version += 1
