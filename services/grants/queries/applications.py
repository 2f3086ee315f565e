"""Application reads: the applicant sees its own; the call's managers see submitted ones.

Other areas may widen who reads an application (e.g. assigned reviewers) by registering an
`ExtraReader` with `register_reader`; a reader that says no leaves the answer NOT_FOUND.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal, Role
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.grants.domain.applications import (
    Application,
    ApplicationState,
    BudgetSummary,
    budget_summary,
)
from services.grants.orm.applications import (
    application_from_rows,
    applications,
    commitment_rows_of,
)
from services.grants.orm.calls import calls
from services.grants.queries.calls import get_visible_call, manages

ExtraReader = Callable[[AsyncSession, Principal, Application], Awaitable[bool]]
_EXTRA_READERS: list[ExtraReader] = []


def register_reader(reader: ExtraReader) -> None:
    """Let reader grant read access to applications the rules here would hide."""
    if reader not in _EXTRA_READERS:
        _EXTRA_READERS.append(reader)


@dataclass(frozen=True)
class ApplicationView:
    """An application as callers see it, with budget figures and audit stamps."""

    application: Application
    currency: str
    summary: BudgetSummary
    managing_org_id: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def id(self) -> str:
        return self.application.id

    @property
    def etag(self) -> str:
        return str(self.application.version)


def _view(row: Any, commitments: list[Any], managing_org_id: str) -> ApplicationView:
    app = application_from_rows(row, commitments)
    return ApplicationView(
        app,
        row.currency_code,
        budget_summary(app.content, row.currency_code),
        managing_org_id,
        row.created_at,
        row.created_by,
        row.updated_at,
        row.updated_by,
    )


async def find_applications(
    session: AsyncSession, application_ids: Collection[str], *, lock: bool = False
) -> dict[str, ApplicationView]:
    """The applications with these ids that exist, whoever may see them, in three queries; with
    lock, their rows stay locked (in id order) until the transaction ends."""
    if not application_ids:
        return {}
    t = applications
    query = select(t).where(t.c.id.in_(sorted(application_ids))).order_by(t.c.id)
    rows = list(await session.execute(query.with_for_update() if lock else query))
    if not rows:
        return {}
    commitments = await commitment_rows_of(session, [row.id for row in rows])
    call_ids = sorted({row.call_id for row in rows})
    managing_query = select(calls.c.id, calls.c.managing_org_id).where(calls.c.id.in_(call_ids))
    managing = {r.id: r.managing_org_id for r in await session.execute(managing_query)}
    return {row.id: _view(row, commitments.get(row.id, []), managing[row.call_id]) for row in rows}


async def find_application(session: AsyncSession, application_id: str) -> ApplicationView | None:
    """The application whoever may see it, or None."""
    return (await find_applications(session, [application_id])).get(application_id)


async def get_application(session: AsyncSession, application_id: str) -> ApplicationView:
    """The application whoever may see it; NotFound when missing."""
    found = await find_application(session, application_id)
    if found is None:
        raise NotFound(f"application {application_id} not found")
    return found


def is_applicant(actor: Principal, app: Application) -> bool:
    """A CSO member of the applying organisation (not, say, a reviewer who works there)."""
    return (
        actor.has_any(Role.CSO_MEMBER)
        and actor.org_id is not None
        and actor.org_id == app.applicant_org_id
    )


def manager_sees(actor: Principal, view: ApplicationView) -> bool:
    """Managers of the call's organisation (and platform admins) see all but drafts."""
    if view.application.state == ApplicationState.DRAFT:
        return False
    if actor.has_any(Role.PLATFORM_ADMIN):
        return True
    return actor.has_any(Role.GRANT_MANAGER) and actor.org_id == view.managing_org_id


async def can_see(session: AsyncSession, actor: Principal, view: ApplicationView) -> bool:
    if is_applicant(actor, view.application) or manager_sees(actor, view):
        return True
    for reader in _EXTRA_READERS:
        if await reader(session, actor, view.application):
            return True
    return False


async def get_visible_application(
    session: AsyncSession, application_id: str, actor: Principal
) -> ApplicationView:
    """The application if actor may see it; NotFound otherwise."""
    found = await find_application(session, application_id)
    return await visible_or_not_found(session, actor, application_id, found)


async def visible_or_not_found(
    session: AsyncSession, actor: Principal, application_id: str, found: ApplicationView | None
) -> ApplicationView:
    """found if actor may see it; NotFound (the same as for a missing one) otherwise."""
    if found is None or not await can_see(session, actor, found):
        raise NotFound(f"application {application_id} not found")
    return found


def _visible_clause(actor: Principal) -> Any:
    t = applications
    not_draft = t.c.state != ApplicationState.DRAFT.value
    if actor.has_any(Role.PLATFORM_ADMIN):
        return or_(not_draft, t.c.applicant_org_id == actor.org_id)
    clauses = []
    if actor.org_id:
        clauses.append(t.c.applicant_org_id == actor.org_id)
        if actor.has_any(Role.GRANT_MANAGER):
            managed = select(calls.c.id).where(calls.c.managing_org_id == actor.org_id)
            clauses.append(and_(not_draft, t.c.call_id.in_(managed)))
    return or_(*clauses) if clauses else false()


async def list_applications(
    session: AsyncSession,
    actor: Principal,
    *,
    call_id: str | None = None,
    state: ApplicationState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[ApplicationView]:
    """Applications actor may see, oldest first, optionally of one call and in one state."""
    t = applications
    query = select(t.c.id).where(_visible_clause(actor))
    if call_id is not None:
        await get_visible_call(session, call_id, actor)
        query = query.where(t.c.call_id == call_id)
    if state is not None:
        query = query.where(t.c.state == state.value)
    query = query.order_by(t.c.created_at, t.c.id)
    fingerprint = {"call": call_id, "state": state, "sub": actor.sub}
    page = await fetch_page(
        session, query, lambda r: r.id, fingerprint, requested_size=requested_size, token=token
    )
    found = await find_applications(session, page.items)
    return Page([found[app_id] for app_id in page.items], page.next_page_token)


__all__ = ["ApplicationView", "manages"]
