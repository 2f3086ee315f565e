"""Framework reads: frameworks, consultation comments and distributions to local governments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import found
from services.common.paging import Page, fetch_page
from services.common.records import from_row
from services.registry.domain.frameworks import (
    DRAFT_READERS,
    Framework,
    FrameworkState,
    can_see,
    days_waiting,
)
from services.registry.domain.organisations import OrganisationKind, VerificationState
from services.registry.orm.frameworks import (
    framework_comments,
    framework_distributions,
    frameworks,
    load,
    to_entity,
)
from services.registry.orm.organisations import organisations
from services.registry.queries import public_or_own
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
    return from_row(CommentView, row)


def distribution_view(row: Any, now: datetime) -> DistributionView:
    waiting = days_waiting(row.distributed_at, row.acknowledged_at is not None, now)
    return from_row(DistributionView, row, days_waiting=waiting)


async def get_framework(session: AsyncSession, framework_id: str) -> Framework:
    """The framework with this id whoever may see it; NotFound otherwise."""
    return found(await load(session, framework_id), f"framework {framework_id}")


async def find_framework(
    session: AsyncSession, framework_id: str, *, issuer_id: str, title: str
) -> Framework | None:
    """The framework with this id, else the oldest issuer_id issued under title, or None."""
    if (by_id := await load(session, framework_id)) is not None:
        return by_id
    query = select(frameworks).where(
        frameworks.c.issuing_organisation_id == issuer_id, frameworks.c.title == title
    )
    row = (await session.execute(query.order_by(frameworks.c.created_at).limit(1))).first()
    return to_entity(row) if row else None


async def get_visible_framework(
    session: AsyncSession, framework_id: str, actor: Principal
) -> Framework:
    """The framework if actor may see it; NotFound when missing or a draft hidden from actor."""
    framework = await load(session, framework_id)
    if framework and not can_see(actor, framework.issuing_organisation_id, framework.state):
        framework = None
    return found(framework, f"framework {framework_id}")


async def list_frameworks(
    session: AsyncSession,
    actor: Principal,
    *,
    state: FrameworkState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[Framework]:
    """Frameworks actor may see, optionally in one state, oldest first."""
    query = select(frameworks)
    if not actor.has_any(*DRAFT_READERS):
        published = frameworks.c.state != FrameworkState.DRAFT.value
        query = query.where(public_or_own(actor, published, frameworks.c.issuing_organisation_id))
    if state is not None:
        query = query.where(frameworks.c.state == state.value)
    fingerprint = {"state": state, "sub": actor.sub}
    query = query.order_by(frameworks.c.created_at, frameworks.c.id)
    return await fetch_page(
        session, query, to_entity, fingerprint, requested_size=requested_size, token=token
    )


async def list_comments(
    session: AsyncSession,
    framework_id: str,
    actor: Principal,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[CommentView]:
    """Comments on a framework the actor may see, oldest first."""
    await get_visible_framework(session, framework_id, actor)
    t = framework_comments
    fingerprint = {"comments": framework_id}
    query = select(t).where(t.c.framework_id == framework_id).order_by(t.c.created_at, t.c.id)
    return await fetch_page(
        session, query, comment_view, fingerprint, requested_size=requested_size, token=token
    )


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
    actor: Principal,
    *,
    now: datetime,
    pending_only: bool = False,
    requested_size: int = 0,
    token: str = "",
) -> DistributionPage:
    """Local governments a framework went to, by name, with acknowledged and pending counts."""
    await get_visible_framework(session, framework_id, actor)
    t = framework_distributions
    acknowledged = t.c.acknowledged_at.is_not(None)
    count = select(func.count()).select_from(t).where(t.c.framework_id == framework_id)
    acknowledged_count = await session.scalar(count.where(acknowledged)) or 0
    pending_count = await session.scalar(count.where(t.c.acknowledged_at.is_(None))) or 0
    query = select(t).where(t.c.framework_id == framework_id)
    if pending_only:
        query = query.where(t.c.acknowledged_at.is_(None))
    fingerprint = {"distributions": framework_id, "pending": pending_only}
    query = query.order_by(t.c.organisation_display_name, t.c.organisation_id)
    page = await fetch_page(
        session,
        query,
        lambda row: distribution_view(row, now),
        fingerprint,
        requested_size=requested_size,
        token=token,
    )
    return DistributionPage(page.items, page.next_page_token, acknowledged_count, pending_count)


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
