"""The `frameworks`, `framework_comments` and `framework_distributions` tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    insert,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.common import versioned
from services.common.db import UtcDateTime
from services.common.enums import enum_tuple
from services.common.records import from_records, to_record
from services.common.versioned import Stamp
from services.registry.domain import frameworks as domain
from services.registry.orm import METADATA

frameworks = Table(
    "frameworks",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("issuing_organisation_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("jurisdiction_id", String(36), ForeignKey("jurisdictions.id"), nullable=False),
    Column("summary", Text, nullable=False),
    Column("pillars", JSON, nullable=False),
    Column("indicators", JSON, nullable=False),
    Column("document_url", String(2048), nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("consultation_closes", Date, nullable=True),
    Column("adopted_at", UtcDateTime, nullable=True),
    *versioned.version_columns(),
)

framework_comments = Table(
    "framework_comments",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("framework_id", String(36), ForeignKey("frameworks.id"), nullable=False, index=True),
    Column("organisation_id", String(36), nullable=True),
    Column("anchor_code", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("author_sub", String(255), nullable=False),
    Column("author_username", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

framework_distributions = Table(
    "framework_distributions",
    METADATA,
    Column("framework_id", String(36), ForeignKey("frameworks.id"), nullable=False),
    Column("organisation_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("organisation_display_name", String(200), nullable=False),
    Column("distributed_at", UtcDateTime, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("acknowledged_by", String(255), nullable=False),
    PrimaryKeyConstraint("framework_id", "organisation_id"),
)


def to_entity(row: Any) -> domain.Framework:
    """A domain framework from a table row."""
    content = domain.FrameworkContent(
        title=row.title,
        summary=row.summary,
        pillars=from_records(domain.Pillar, row.pillars),
        indicators=from_records(
            domain.Indicator,
            row.indicators,
            level=domain.IndicatorLevel,
            direction=domain.IndicatorDirection,
            disaggregations=enum_tuple(domain.Disaggregation),
        ),
        document_url=row.document_url,
    )
    return domain.Framework(
        id=row.id,
        kind=domain.FrameworkKind(row.kind),
        issuing_organisation_id=row.issuing_organisation_id,
        jurisdiction_id=row.jurisdiction_id,
        content=content,
        state=domain.FrameworkState(row.state),
        consultation_closes=row.consultation_closes,
        adopted_at=row.adopted_at,
        **versioned.versioned_fields(row),
    )


def _values(f: domain.Framework) -> dict[str, Any]:
    c = f.content
    return {
        "title": c.title,
        "kind": str(f.kind),
        "issuing_organisation_id": f.issuing_organisation_id,
        "jurisdiction_id": f.jurisdiction_id,
        "summary": c.summary,
        "pillars": to_record(c.pillars),
        "indicators": to_record(c.indicators),
        "document_url": c.document_url,
        "state": str(f.state),
        "consultation_closes": f.consultation_closes,
        "adopted_at": f.adopted_at,
    }


async def load(session: AsyncSession, framework_id: str) -> domain.Framework | None:
    """The framework with this id, or None."""
    row = await versioned.load_row(session, frameworks, framework_id)
    return to_entity(row) if row else None


async def add(session: AsyncSession, f: domain.Framework) -> None:
    """Insert a new framework at version 1, stamped with its creation."""
    await versioned.insert_versioned(
        session, frameworks, f.id, _values(f), Stamp(f.created_at, f.created_by)
    )


async def save(session: AsyncSession, f: domain.Framework, stamp: Stamp) -> None:
    """Write a changed framework loaded at f.version; Conflict when someone changed it since."""
    stale = "the framework was changed by someone else; reload and retry"
    await versioned.update_versioned(
        session, frameworks, f.id, f.version, _values(f), stamp, stale=stale
    )


async def add_comment(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert a comment row (id, framework_id, organisation_id, anchor_code, text, author...)."""
    await session.execute(insert(framework_comments).values(**values))


async def add_distribution(
    session: AsyncSession, framework_id: str, organisation_id: str, display_name: str, at: datetime
) -> None:
    """Record that a framework was delivered to a local government."""
    await session.execute(
        insert(framework_distributions).values(
            framework_id=framework_id,
            organisation_id=organisation_id,
            organisation_display_name=display_name,
            distributed_at=at,
            acknowledged_at=None,
            acknowledged_by="",
        )
    )


async def acknowledge(
    session: AsyncSession, framework_id: str, organisation_id: str, at: datetime, by: str
) -> bool:
    """Mark a distribution acknowledged; False when it already was (or does not exist)."""
    t = framework_distributions
    result = await session.execute(
        update(t)
        .where(
            t.c.framework_id == framework_id,
            t.c.organisation_id == organisation_id,
            t.c.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=at, acknowledged_by=by)
    )
    return result.rowcount == 1
