"""The `coordination_bodies` table and its mapping to domain coordination bodies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.ext.asyncio import AsyncSession

from services.common import versioned
from services.common.enums import enum_tuple, enum_values
from services.common.records import from_records, to_record
from services.common.versioned import Stamp
from services.registry.domain import bodies as domain
from services.registry.domain.organisations import Sector
from services.registry.orm import METADATA

coordination_bodies = Table(
    "coordination_bodies",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("kind", String(32), nullable=False, index=True),
    Column(
        "owner_organisation_id",
        String(36),
        ForeignKey("organisations.id"),
        nullable=False,
        index=True,
    ),
    Column(
        "jurisdiction_id", String(36), ForeignKey("jurisdictions.id"), nullable=False, index=True
    ),
    Column("mandate_items", JSON, nullable=False),
    Column("decision_making", Text, nullable=False),
    Column("communication", Text, nullable=False),
    Column("chairs", JSON, nullable=False),
    Column("members", JSON, nullable=False),
    Column("meeting_cadence", String(16), nullable=False),
    Column("established_on", Date, nullable=True),
    *versioned.version_columns(),
)


def to_entity(row: Any) -> domain.CoordinationBody:
    """A domain coordination body from a table row."""
    content = domain.BodyContent(
        display_name=row.display_name,
        kind=domain.BodyKind(row.kind),
        mandate_items=enum_tuple(domain.MandateItem)(row.mandate_items),
        decision_making=row.decision_making,
        communication=row.communication,
        chairs=from_records(domain.Chair, row.chairs),
        members=from_records(domain.Member, row.members, sector=Sector),
        meeting_cadence=domain.MeetingCadence(row.meeting_cadence),
        established_on=row.established_on,
    )
    return domain.CoordinationBody(
        id=row.id,
        owner_organisation_id=row.owner_organisation_id,
        jurisdiction_id=row.jurisdiction_id,
        content=content,
        **versioned.versioned_fields(row),
    )


def _values(b: domain.CoordinationBody) -> dict[str, Any]:
    c = b.content
    return {
        "display_name": c.display_name,
        "kind": str(c.kind),
        "owner_organisation_id": b.owner_organisation_id,
        "jurisdiction_id": b.jurisdiction_id,
        "mandate_items": enum_values(c.mandate_items),
        "decision_making": c.decision_making,
        "communication": c.communication,
        "chairs": to_record(c.chairs),
        "members": to_record(c.members),
        "meeting_cadence": str(c.meeting_cadence),
        "established_on": c.established_on,
    }


async def load(session: AsyncSession, body_id: str) -> domain.CoordinationBody | None:
    """The body with this id, or None."""
    row = await versioned.load_row(session, coordination_bodies, body_id)
    return to_entity(row) if row else None


async def add(session: AsyncSession, b: domain.CoordinationBody) -> None:
    """Insert a new body at version 1, stamped with its creation."""
    stamp = Stamp(b.created_at, b.created_by)
    await versioned.insert_versioned(session, coordination_bodies, b.id, _values(b), stamp)


async def save(session: AsyncSession, b: domain.CoordinationBody, stamp: Stamp) -> None:
    """Write a changed body loaded at b.version; Conflict when someone changed it since."""
    stale = "the coordination body was changed by someone else; reload and retry"
    await versioned.update_versioned(
        session, coordination_bodies, b.id, b.version, _values(b), stamp, stale=stale
    )
