"""Mandate reads: the current version and the history of a local government's mandate."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound
from services.common.paging import Page, fetch_page
from services.registry.domain.mandates import MandateVersion
from services.registry.orm.mandates import mandate_versions as v
from services.registry.orm.mandates import mandates as m
from services.registry.orm.mandates import to_version
from services.registry.queries.organisations import get_visible_organisation


def _history(organisation_id: str) -> Select:
    return (
        select(v, m.c.created_at, m.c.created_by)
        .join(m, m.c.organisation_id == v.c.organisation_id)
        .where(v.c.organisation_id == organisation_id)
        .order_by(v.c.version.desc())
    )


async def latest_mandate(session: AsyncSession, organisation_id: str) -> MandateVersion | None:
    """The current version of the organisation's mandate, or None."""
    row = (await session.execute(_history(organisation_id).limit(1))).first()
    return to_version(row) if row else None


async def get_mandate(
    session: AsyncSession, organisation_id: str, actor: Principal
) -> MandateVersion:
    """The current mandate; NotFound when the organisation is hidden or has none."""
    await get_visible_organisation(session, organisation_id, actor)
    found = await latest_mandate(session, organisation_id)
    if found is None:
        raise NotFound(f"organisation {organisation_id} has no mandate recorded")
    return found


async def list_mandate_history(
    session: AsyncSession,
    organisation_id: str,
    actor: Principal,
    *,
    requested_size: int = 0,
    token: str = "",
) -> Page[MandateVersion]:
    """Every version of the mandate, newest first."""
    await get_visible_organisation(session, organisation_id, actor)
    fingerprint = {"mandate": organisation_id}
    return await fetch_page(
        session,
        _history(organisation_id),
        to_version,
        fingerprint,
        requested_size=requested_size,
        token=token,
    )
