"""The `coordination_bodies` table and its mapping to domain coordination bodies."""

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
    Text,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import UtcDateTime
from services.common.errors import Conflict
from services.registry.domain.bodies import (
    BodyContent,
    BodyKind,
    Chair,
    CoordinationBody,
    MandateItem,
    MeetingCadence,
    Member,
)
from services.registry.domain.organisations import Sector
from services.registry.orm import METADATA, Stamp

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
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
)


def to_entity(row: Any) -> CoordinationBody:
    """A domain coordination body from a table row."""
    content = BodyContent(
        display_name=row.display_name,
        kind=BodyKind(row.kind),
        mandate_items=tuple(MandateItem(i) for i in row.mandate_items),
        decision_making=row.decision_making,
        communication=row.communication,
        chairs=tuple(
            Chair(c["person_name"], c["organisation_id"], c["role_title"]) for c in row.chairs
        ),
        members=tuple(
            Member(Sector(m["sector"]), m["organisation_id"], m["person_name"], m["role_title"])
            for m in row.members
        ),
        meeting_cadence=MeetingCadence(row.meeting_cadence),
        established_on=row.established_on,
    )
    return CoordinationBody(
        id=row.id,
        owner_organisation_id=row.owner_organisation_id,
        jurisdiction_id=row.jurisdiction_id,
        content=content,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _values(b: CoordinationBody) -> dict[str, Any]:
    c = b.content
    return {
        "display_name": c.display_name,
        "kind": str(c.kind),
        "owner_organisation_id": b.owner_organisation_id,
        "jurisdiction_id": b.jurisdiction_id,
        "mandate_items": [str(i) for i in c.mandate_items],
        "decision_making": c.decision_making,
        "communication": c.communication,
        "chairs": [
            {
                "person_name": x.person_name,
                "organisation_id": x.organisation_id,
                "role_title": x.role_title,
            }
            for x in c.chairs
        ],
        "members": [
            {
                "sector": str(m.sector),
                "organisation_id": m.organisation_id,
                "person_name": m.person_name,
                "role_title": m.role_title,
            }
            for m in c.members
        ],
        "meeting_cadence": str(c.meeting_cadence),
        "established_on": c.established_on,
    }


async def load(session: AsyncSession, body_id: str) -> CoordinationBody | None:
    """The body with this id, or None."""
    query = select(coordination_bodies).where(coordination_bodies.c.id == body_id)
    row = (await session.execute(query)).first()
    return to_entity(row) if row else None


async def add(session: AsyncSession, b: CoordinationBody) -> None:
    """Insert a new body as given (version 1)."""
    await session.execute(
        insert(coordination_bodies).values(
            id=b.id,
            version=b.version,
            created_at=b.created_at,
            created_by=b.created_by,
            updated_at=b.updated_at,
            updated_by=b.updated_by,
            **_values(b),
        )
    )


async def save(session: AsyncSession, b: CoordinationBody, stamp: Stamp) -> None:
    """Write a changed body loaded at b.version; Conflict when someone changed it since."""
    t = coordination_bodies
    result = await session.execute(
        update(t)
        .where(t.c.id == b.id, t.c.version == b.version)
        .values(version=b.version + 1, updated_at=stamp.at, updated_by=stamp.by, **_values(b))
    )
    if result.rowcount != 1:
        raise Conflict("the coordination body was changed by someone else; reload and retry")
