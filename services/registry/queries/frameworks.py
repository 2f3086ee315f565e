"""Framework reads: frameworks, consultation comments and distributions to local governments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import NotFound
from services.common.paging import decode_token, next_token, page_size
from services.registry.domain.frameworks import Framework, FrameworkState, days_waiting
from services.registry.domain.organisations import OrganisationKind, VerificationState
from services.registry.orm.frameworks import (
    framework_comments,
    framework_distributions,
    frameworks,
    load,
    to_entity,
)
from services.registry.orm.organisations import organisations
from services.registry.queries import Page
from services.registry.queries.jurisdictions import subtree_ids


@dataclass(frozen=True)
class CommentView:
    """A comment made on a framework during consultation."""

    id: str
    framework_id: str
    organisation_id: str | None
    anchor_code: str
    text: str
    author_username: str
    created_at: datetime


@dataclass(frozen=True)
class DistributionView:
    """An adopted framework delivered to a local government, and whether it acknowledged it."""

    framework_id: str
    organisation_id: str
    organisation_display_name: str
    distributed_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str
    days_waiting: int


@dataclass(frozen=True)
class DistributionPage:
    """One page of distributions with counts over the whole framework."""

    items: list[DistributionView]
    next_page_token: str
    acknowledged_count: int
    pending_count: int


def comment_view(row: Any) -> CommentView:
    return CommentView(
        id=row.id,
        framework_id=row.framework_id,
        organisation_id=row.organisation_id,
        anchor_code=row.anchor_code,
        text=row.text,
        author_username=row.author_username,
        created_at=row.created_at,
    )


def distribution_view(row: Any, now: datetime) -> DistributionView:
    acknowledged = row.acknowledged_at is not None
    return DistributionView(
        framework_id=row.framework_id,
        organisation_id=row.organisation_id,
        organisation_display_name=row.organisation_display_name,
        distributed_at=row.distributed_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        days_waiting=days_waiting(row.distributed_at, acknowledged, now),
    )


async def get_framework(session: AsyncSession, framework_id: str) -> Framework:
    """The framework with this id; NotFound otherwise."""
    found = await load(session, framework_id)
    if found is None:
        raise NotFound(f"framework {framework_id} not found")
    return found


async def list_frameworks(
    session: AsyncSession,
    *,
    state: FrameworkState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[Framework]:
    """Frameworks, optionally in one state, oldest first."""
    query = select(frameworks)
    if state is not None:
        query = query.where(frameworks.c.state == state.value)
    fingerprint = {"state": state}
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    query = query.order_by(frameworks.c.created_at, frameworks.c.id).offset(offset)
    items = [to_entity(row) for row in await session.execute(query.limit(size + 1))]
    return Page(items[:size], next_token(offset, size, len(items), fingerprint))


async def list_comments(
    session: AsyncSession, framework_id: str, *, requested_size: int = 0, token: str = ""
) -> Page[CommentView]:
    """Comments on a framework, oldest first."""
    await get_framework(session, framework_id)
    t = framework_comments
    fingerprint = {"comments": framework_id}
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    query = select(t).where(t.c.framework_id == framework_id).order_by(t.c.created_at, t.c.id)
    items = [comment_view(r) for r in await session.execute(query.offset(offset).limit(size + 1))]
    return Page(items[:size], next_token(offset, size, len(items), fingerprint))


async def find_distribution(
    session: AsyncSession, framework_id: str, organisation_id: str, now: datetime
) -> DistributionView | None:
    """The distribution of a framework to one organisation, or None."""
    t = framework_distributions
    query = select(t).where(
        t.c.framework_id == framework_id, t.c.organisation_id == organisation_id
    )
    row = (await session.execute(query)).first()
    return distribution_view(row, now) if row else None


async def list_distributions(
    session: AsyncSession,
    framework_id: str,
    *,
    now: datetime,
    pending_only: bool = False,
    requested_size: int = 0,
    token: str = "",
) -> DistributionPage:
    """Local governments a framework went to, by name, with acknowledged and pending counts."""
    await get_framework(session, framework_id)
    t = framework_distributions
    acknowledged = t.c.acknowledged_at.is_not(None)
    count = select(func.count()).select_from(t).where(t.c.framework_id == framework_id)
    acknowledged_count = await session.scalar(count.where(acknowledged)) or 0
    pending_count = await session.scalar(count.where(t.c.acknowledged_at.is_(None))) or 0
    query = select(t).where(t.c.framework_id == framework_id)
    if pending_only:
        query = query.where(t.c.acknowledged_at.is_(None))
    fingerprint = {"distributions": framework_id, "pending": pending_only}
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    query = query.order_by(t.c.organisation_display_name, t.c.organisation_id)
    rows = await session.execute(query.offset(offset).limit(size + 1))
    items = [distribution_view(r, now) for r in rows]
    return DistributionPage(
        items[:size],
        next_token(offset, size, len(items), fingerprint),
        acknowledged_count,
        pending_count,
    )


async def verified_local_governments(
    session: AsyncSession, jurisdiction_id: str
) -> list[tuple[str, str]]:
    """(id, display name) of every verified local government in a jurisdiction's subtree."""
    places = await subtree_ids(session, jurisdiction_id)
    query = (
        select(organisations.c.id, organisations.c.display_name)
        .where(
            organisations.c.kind == OrganisationKind.LOCAL_GOVERNMENT.value,
            organisations.c.verification_state == VerificationState.VERIFIED.value,
            organisations.c.jurisdiction_id.in_(places),
        )
        .order_by(organisations.c.display_name, organisations.c.id)
    )
    return [(row.id, row.display_name) for row in await session.execute(query)]
