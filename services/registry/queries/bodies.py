"""Coordination body reads: one body, filtered lists and whole-of-society sector coverage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.registry.domain.bodies import BodyKind, CoordinationBody, SectorCoverage
from services.registry.domain.bodies import sector_coverage as coverage_of
from services.registry.domain.organisations import HIDDEN_STATES, PRIVILEGED_READERS
from services.registry.orm.bodies import coordination_bodies as t
from services.registry.orm.bodies import load, to_entity
from services.registry.orm.organisations import organisations as orgs
from services.registry.queries import public_or_own
from services.registry.queries.jurisdictions import get_jurisdiction, subtree_ids


def _visible_to(actor: Principal) -> Any:
    """Bodies whose owner the actor may see (unverified owners stay hidden from others)."""
    if actor.has_any(*PRIVILEGED_READERS):
        return None
    hidden = select(orgs.c.id).where(
        orgs.c.verification_state.in_([s.value for s in HIDDEN_STATES])
    )
    return public_or_own(actor, t.c.owner_organisation_id.not_in(hidden), t.c.owner_organisation_id)


async def get_body(session: AsyncSession, body_id: str, actor: Principal) -> CoordinationBody:
    """The body with this id; NotFound when missing or its owner is hidden from actor."""
    query = select(t).where(t.c.id == body_id)
    visible = _visible_to(actor)
    if visible is not None:
        query = query.where(visible)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(f"coordination body {body_id} not found")
    return to_entity(row)


async def find_body(
    session: AsyncSession, body_id: str, *, owner_id: str, display_name: str
) -> CoordinationBody | None:
    """The body with this id, else the oldest owner_id convenes under display_name, or None."""
    if (by_id := await load(session, body_id)) is not None:
        return by_id
    query = select(t).where(t.c.owner_organisation_id == owner_id, t.c.display_name == display_name)
    row = (await session.execute(query.order_by(t.c.created_at).limit(1))).first()
    return to_entity(row) if row else None


async def list_bodies(
    session: AsyncSession,
    actor: Principal,
    *,
    owner_id: str | None = None,
    jurisdiction_id: str | None = None,
    kind: BodyKind | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[CoordinationBody]:
    """Bodies actor may see, by owner, jurisdiction subtree and kind, sorted by name."""
    query = select(t)
    visible = _visible_to(actor)
    if visible is not None:
        query = query.where(visible)
    if owner_id is not None:
        query = query.where(t.c.owner_organisation_id == owner_id)
    if jurisdiction_id is not None:
        await get_jurisdiction(session, jurisdiction_id)
        query = query.where(t.c.jurisdiction_id.in_(await subtree_ids(session, jurisdiction_id)))
    if kind is not None:
        query = query.where(t.c.kind == kind.value)
    fingerprint = {"owner": owner_id, "jurisdiction": jurisdiction_id, "kind": kind}
    query = query.order_by(t.c.display_name, t.c.id)
    return await fetch_page(
        session, query, to_entity, fingerprint, requested_size=requested_size, token=token
    )


async def get_sector_coverage(
    session: AsyncSession, body_id: str, actor: Principal
) -> SectorCoverage:
    """Which expected sectors a body's members cover and which are missing."""
    body = await get_body(session, body_id, actor)
    return coverage_of(body.content.members)
