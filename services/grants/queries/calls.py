"""Call reads: one call, lists by state, hiding drafts from all but their managers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal, Role
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.grants.domain.calls import Call, CallState
from services.grants.orm.calls import call_from_rows, calls, funder_rows

PUBLIC_STATES = (CallState.OPEN, CallState.CLOSED, CallState.DECIDED)


@dataclass(frozen=True)
class CallView:
    """A call as callers see it, with its audit stamps."""

    call: Call
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def id(self) -> str:
        return self.call.id

    @property
    def etag(self) -> str:
        return str(self.call.version)


def manages(actor: Principal, call: Call) -> bool:
    """A grant manager of the managing organisation, or a platform admin."""
    if actor.has_any(Role.PLATFORM_ADMIN):
        return True
    return actor.has_any(Role.GRANT_MANAGER) and actor.org_id == call.managing_org_id


def can_see(actor: Principal, call: Call) -> bool:
    return call.state in PUBLIC_STATES or manages(actor, call)


async def _view(session: AsyncSession, row: Any) -> CallView:
    call = call_from_rows(row, await funder_rows(session, row.id))
    return CallView(call, row.created_at, row.created_by, row.updated_at, row.updated_by)


async def find_call(session: AsyncSession, call_id: str) -> CallView | None:
    """The call whoever may see it, or None."""
    row = (await session.execute(select(calls).where(calls.c.id == call_id))).first()
    return await _view(session, row) if row else None


async def get_call(session: AsyncSession, call_id: str) -> CallView:
    """The call whoever may see it; NotFound when missing."""
    found = await find_call(session, call_id)
    if found is None:
        raise NotFound(f"call {call_id} not found")
    return found


async def get_visible_call(session: AsyncSession, call_id: str, actor: Principal) -> CallView:
    """The call if actor may see it; NotFound when missing or a draft of another organisation."""
    found = await find_call(session, call_id)
    if found is None or not can_see(actor, found.call):
        raise NotFound(f"call {call_id} not found")
    return found


def _visible_clause(actor: Principal) -> Any:
    public = calls.c.state.in_([s.value for s in PUBLIC_STATES])
    if actor.has_any(Role.PLATFORM_ADMIN):
        return None
    if actor.has_any(Role.GRANT_MANAGER) and actor.org_id:
        return or_(public, calls.c.managing_org_id == actor.org_id)
    return public


async def list_calls(
    session: AsyncSession,
    actor: Principal,
    *,
    state: CallState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[CallView]:
    """Calls actor may see, newest first, optionally in one state."""
    conditions = [c for c in (_visible_clause(actor),) if c is not None]
    if state is not None:
        conditions.append(calls.c.state == state.value)
    query = select(calls.c.id).where(and_(True, *conditions))
    query = query.order_by(calls.c.created_at.desc(), calls.c.id)
    fingerprint = {"state": state, "sub": actor.sub}
    page = await fetch_page(
        session, query, lambda r: r.id, fingerprint, requested_size=requested_size, token=token
    )
    views = [await get_call(session, call_id) for call_id in page.items]
    return Page(views, page.next_page_token)


async def open_calls(session: AsyncSession) -> list[CallView]:
    """Every open call, soonest deadline first."""
    query = select(calls).where(calls.c.state == CallState.OPEN.value)
    rows = await session.execute(query.order_by(calls.c.closes_at, calls.c.id))
    return [await _view(session, row) for row in rows.all()]


async def due_call_ids(session: AsyncSession, now: datetime) -> list[str]:
    """Ids of open calls whose deadline has passed."""
    query = select(calls.c.id).where(
        calls.c.state == CallState.OPEN.value, calls.c.closes_at <= now
    )
    return [row.id for row in await session.execute(query.order_by(calls.c.closes_at))]
