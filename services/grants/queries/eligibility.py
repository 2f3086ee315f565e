"""Eligibility from the read model: an organisation's facts, a call's area, the reasons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.grants.domain.calls import Call
from services.grants.domain.eligibility import (
    MAX_TREE_DEPTH,
    Area,
    KnownOrganisation,
    applicant_reasons,
)
from services.grants.orm.read_model import load_organisation, registry_jurisdictions
from services.grants.queries.calls import CallView, open_calls


async def _parent_links(session: AsyncSession, start: str | None) -> dict[str, str | None]:
    """Parent link of start and each of its ancestors (as far as the read model knows)."""
    t = registry_jurisdictions
    links: dict[str, str | None] = {}
    current = start
    while current is not None and current not in links and len(links) < MAX_TREE_DEPTH:
        row = (await session.execute(select(t.c.parent_id).where(t.c.id == current))).first()
        if row is None:
            break
        links[current] = row.parent_id
        current = row.parent_id
    return links


async def load_area(
    session: AsyncSession, root_id: str | None, *, member: str | None = None
) -> Area | None:
    """The call's area (None for anywhere), with the ancestry of member to test membership."""
    if root_id is None:
        return None
    t = registry_jurisdictions
    row = (await session.execute(select(t.c.display_name).where(t.c.id == root_id))).first()
    name = row.display_name if row else "a place not yet known to grants"
    return Area(root_id, name, await _parent_links(session, member))


async def in_area(session: AsyncSession, root_id: str | None, unit_id: str | None) -> bool:
    """True when unit_id lies in root_id's subtree (always true without a root)."""
    area = await load_area(session, root_id, member=unit_id)
    return area is None or area.contains(unit_id)


async def organisation_reasons(
    session: AsyncSession, call: Call, org_id: str
) -> tuple[KnownOrganisation | None, list[str]]:
    """What grants knows of org_id and each eligibility rule of call it fails."""
    org = await load_organisation(session, org_id)
    member = org.jurisdiction_id if org else None
    area = await load_area(session, call.terms.eligibility.jurisdiction_id, member=member)
    return org, applicant_reasons(call.terms.eligibility, org, area)


def timing_reasons(call: Call, now: datetime) -> list[str]:
    """Why the call does not take applications right now (not open yet, closed)."""
    t = call.terms
    if call.past_deadline(now) or call.state.value in ("closed", "decided"):
        closed_on = t.closes_at.date().isoformat() if t.closes_at else "its deadline"
        return [f"the call closed on {closed_on}"]
    if call.state.value == "draft":
        return ["the call is not open yet"]
    if t.opens_at is not None and t.opens_at > now:
        return [f"the call opens on {t.opens_at.date().isoformat()}"]
    return []


async def eligible_calls(
    session: AsyncSession, org_id: str, now: datetime, *, include_ineligible: bool = False
) -> list[tuple[CallView, list[str]]]:
    """Open calls with the reasons org_id cannot apply (empty: it can); eligible ones only
    unless include_ineligible."""
    found = []
    for view in await open_calls(session):
        _, reasons = await organisation_reasons(session, view.call, org_id)
        reasons = timing_reasons(view.call, now) + reasons
        if include_ineligible or not reasons:
            found.append((view, reasons))
    return found
