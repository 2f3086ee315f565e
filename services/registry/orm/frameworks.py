"""The `frameworks`, `framework_comments` and `framework_distributions` tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
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
from services.registry.domain.frameworks import (
    Disaggregation,
    Framework,
    FrameworkContent,
    FrameworkKind,
    FrameworkState,
    Indicator,
    IndicatorDirection,
    IndicatorLevel,
    Pillar,
)
from services.registry.orm import METADATA, Stamp

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
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
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


def _indicator(d: dict[str, Any]) -> Indicator:
    return Indicator(
        code=d["code"],
        title=d["title"],
        pillar_code=d["pillar_code"],
        level=IndicatorLevel(d["level"]),
        unit=d["unit"],
        direction=IndicatorDirection(d["direction"]),
        disaggregations=tuple(Disaggregation(x) for x in d["disaggregations"]),
    )


def to_entity(row: Any) -> Framework:
    """A domain framework from a table row."""
    content = FrameworkContent(
        title=row.title,
        summary=row.summary,
        pillars=tuple(Pillar(p["code"], p["title"], p["description"]) for p in row.pillars),
        indicators=tuple(_indicator(i) for i in row.indicators),
        document_url=row.document_url,
    )
    return Framework(
        id=row.id,
        kind=FrameworkKind(row.kind),
        issuing_organisation_id=row.issuing_organisation_id,
        jurisdiction_id=row.jurisdiction_id,
        content=content,
        state=FrameworkState(row.state),
        consultation_closes=row.consultation_closes,
        adopted_at=row.adopted_at,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _values(f: Framework) -> dict[str, Any]:
    c = f.content
    return {
        "title": c.title,
        "kind": str(f.kind),
        "issuing_organisation_id": f.issuing_organisation_id,
        "jurisdiction_id": f.jurisdiction_id,
        "summary": c.summary,
        "pillars": [
            {"code": p.code, "title": p.title, "description": p.description} for p in c.pillars
        ],
        "indicators": [
            {
                "code": i.code,
                "title": i.title,
                "pillar_code": i.pillar_code,
                "level": str(i.level),
                "unit": i.unit,
                "direction": str(i.direction),
                "disaggregations": [str(d) for d in i.disaggregations],
            }
            for i in c.indicators
        ],
        "document_url": c.document_url,
        "state": str(f.state),
        "consultation_closes": f.consultation_closes,
        "adopted_at": f.adopted_at,
    }


async def load(session: AsyncSession, framework_id: str) -> Framework | None:
    """The framework with this id, or None."""
    row = (await session.execute(select(frameworks).where(frameworks.c.id == framework_id))).first()
    return to_entity(row) if row else None


async def add(session: AsyncSession, f: Framework) -> None:
    """Insert a new framework as given (version 1)."""
    await session.execute(
        insert(frameworks).values(
            id=f.id,
            version=f.version,
            created_at=f.created_at,
            created_by=f.created_by,
            updated_at=f.updated_at,
            updated_by=f.updated_by,
            **_values(f),
        )
    )


async def save(session: AsyncSession, f: Framework, stamp: Stamp) -> None:
    """Write a changed framework loaded at f.version; Conflict when someone changed it since."""
    result = await session.execute(
        update(frameworks)
        .where(frameworks.c.id == f.id, frameworks.c.version == f.version)
        .values(version=f.version + 1, updated_at=stamp.at, updated_by=stamp.by, **_values(f))
    )
    if result.rowcount != 1:
        raise Conflict("the framework was changed by someone else; reload and retry")


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
