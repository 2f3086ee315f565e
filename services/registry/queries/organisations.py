"""Organisation reads, hiding unverified organisations from callers who may not see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.paging import decode_token, next_token, page_size
from services.registry.domain.organisations import (
    HIDDEN_STATES,
    PRIVILEGED_READERS,
    Details,
    OrganisationKind,
    VerificationState,
    can_see,
)
from services.registry.orm.organisations import details_from_row
from services.registry.orm.organisations import organisations as t
from services.registry.queries import Page
from services.registry.queries.jurisdictions import get_jurisdiction, subtree_ids


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as callers see it, with its audit stamps."""

    id: str
    details: Details
    verification_state: VerificationState
    verification_reason: str
    verification_time: datetime | None
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def etag(self) -> str:
        return str(self.version)

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
    return OrganisationView(
        id=row.id,
        details=details_from_row(row),
        verification_state=VerificationState(row.verification_state),
        verification_reason=row.verification_reason,
        verification_time=row.verification_time,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


async def find_organisation(session: AsyncSession, org_id: str) -> OrganisationView | None:
    """The organisation with this id whoever may see it, or None."""
    row = (await session.execute(select(t).where(t.c.id == org_id))).first()
    return _view(row) if row else None


async def get_organisation(session: AsyncSession, org_id: str) -> OrganisationView:
    """The organisation with this id whoever may see it; NotFound otherwise."""
    found = await find_organisation(session, org_id)
    if found is None:
        raise NotFound(f"organisation {org_id} not found")
    return found


async def get_visible_organisation(
    session: AsyncSession, org_id: str, actor: Principal
) -> OrganisationView:
    """The organisation if actor may see it; NotFound when it is missing or hidden from actor."""
    found = await find_organisation(session, org_id)
    if found is None or not can_see(actor, found.id, found.verification_state):
        raise NotFound(f"organisation {org_id} not found")
    return found


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
        query = query.where(or_(visible, t.c.id == actor.org_id) if actor.org_id else visible)
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
    size = page_size(requested_size)
    offset = decode_token(token, fingerprint)
    rows = await session.execute(
        query.order_by(t.c.display_name, t.c.id).offset(offset).limit(size + 1)
    )
    items = [_view(row) for row in rows]
    return Page(items[:size], next_token(offset, size, len(items), fingerprint))
