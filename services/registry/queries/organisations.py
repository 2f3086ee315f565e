"""Organisation reads, hiding unverified organisations from callers who may not see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import found
from services.common.paging import Page, fetch_page
from services.common.versioned import Versioned, versioned_fields
from services.registry.domain.organisations import (
    HIDDEN_STATES,
    PRIVILEGED_READERS,
    Details,
    OrganisationKind,
    VerificationState,
    can_see,
)
from services.registry.orm.organisations import organisations as t
from services.registry.orm.organisations import to_entity
from services.registry.queries import public_or_own
from services.registry.queries.jurisdictions import get_jurisdiction, subtree_ids


@dataclass(frozen=True)
class OrganisationView(Versioned):
    """An organisation as callers see it, with its audit stamps."""

    id: str
    details: Details
    verification_state: VerificationState
    verification_reason: str
    verification_time: datetime | None

    @property
    def display_name(self) -> str:
        return self.details.display_name

    @property
    def kind(self) -> OrganisationKind | None:
        return self.details.kind

    @property
    def jurisdiction_id(self) -> str | None:
        return self.details.jurisdiction_id


def _view(row: Any) -> OrganisationView:
    return OrganisationView(**vars(to_entity(row)) | versioned_fields(row))


_BY_ID = select(t).where(t.c.id == bindparam("org_id"))


async def find_organisation(session: AsyncSession, org_id: str) -> OrganisationView | None:
    """The organisation with this id whoever may see it, or None."""
    row = (await session.execute(_BY_ID, {"org_id": org_id})).first()
    return _view(row) if row else None


async def get_organisation(session: AsyncSession, org_id: str) -> OrganisationView:
    """The organisation with this id whoever may see it; NotFound otherwise."""
    return found(await find_organisation(session, org_id), f"organisation {org_id}")


def visible_organisation(
    org: OrganisationView | None, org_id: str, actor: Principal
) -> OrganisationView:
    """org if actor may see it; NotFound when it is missing or hidden from actor."""
    if org and not can_see(actor, org.id, org.verification_state):
        org = None
    return found(org, f"organisation {org_id}")


async def get_visible_organisation(
    session: AsyncSession, org_id: str, actor: Principal
) -> OrganisationView:
    """The organisation if actor may see it; NotFound when it is missing or hidden from actor."""
    return visible_organisation(await find_organisation(session, org_id), org_id, actor)


async def list_organisations(
    session: AsyncSession,
    actor: Principal,
    *,
    kind: OrganisationKind | None = None,
    jurisdiction_id: str | None = None,
    verification_state: VerificationState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[OrganisationView]:
    """Organisations actor may see, filtered by kind, jurisdiction subtree and state."""
    query = select(t)
    if not actor.has_any(*PRIVILEGED_READERS):
        visible = t.c.verification_state.not_in([s.value for s in HIDDEN_STATES])
        query = query.where(public_or_own(actor, visible, t.c.id))
    if kind is not None:
        query = query.where(t.c.kind == kind.value)
    if verification_state is not None:
        query = query.where(t.c.verification_state == verification_state.value)
    if jurisdiction_id is not None:
        await get_jurisdiction(session, jurisdiction_id)
        ids = await subtree_ids(session, jurisdiction_id)
        query = query.where(t.c.jurisdiction_id.in_(ids))
    fingerprint = {
        "kind": kind,
        "jurisdiction": jurisdiction_id,
        "state": verification_state,
        "sub": actor.sub,
    }
    query = query.order_by(t.c.display_name, t.c.id)
    return await fetch_page(
        session, query, _view, fingerprint, requested_size=requested_size, token=token
    )
