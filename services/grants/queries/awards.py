"""Award reads: one award, lists, a call's ledger, and the records of an open-data export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal, Role
from services.common.errors import FailedPrecondition, NotFound
from services.common.paging import Page, fetch_page
from services.grants.domain.awards import Award, funds
from services.grants.domain.calls import Call
from services.grants.domain.ledger import Pool
from services.grants.open_data.mapping import GrantRecord, Org, dumps, to_package
from services.grants.open_data.schema import problems
from services.grants.orm.applications import applications, match_commitments
from services.grants.orm.awards import awards, funder_sums, load_award, load_awards
from services.grants.orm.calls import call_funders, calls, load_call
from services.grants.orm.read_model import registry_organisations
from services.grants.queries.calls import manages

OVERSEERS = (Role.PLATFORM_ADMIN, Role.AUDITOR)


def can_see_money(actor: Principal, call: Call) -> bool:
    """Ledger, awards and export of a call: its managers, every co-funder, admins and auditors.

    A pooled fund is transparent to its co-funders: each sees every funder's row.
    """
    return actor.has_any(*OVERSEERS) or manages(actor, call) or funds(actor, call)


def can_see_award(actor: Principal, call: Call, award: Award) -> bool:
    """Those who see the call's money, and members of the grantee organisation."""
    own = actor.org_id is not None and actor.org_id == award.grantee_org_id
    return can_see_money(actor, call) or own


async def money_call(session: AsyncSession, call_id: str, actor: Principal) -> Call:
    """The call if actor may see its money; NotFound otherwise."""
    call = await load_call(session, call_id)
    if call is None or not can_see_money(actor, call):
        raise NotFound(f"call {call_id} not found")
    return call


async def get_visible_award(session: AsyncSession, award_id: str, actor: Principal) -> Award:
    """The award if actor may see it; NotFound otherwise."""
    award = await load_award(session, award_id)
    call = await load_call(session, award.call_id) if award else None
    if award is None or call is None or not can_see_award(actor, call, award):
        raise NotFound(f"award {award_id} not found")
    return award


def _visible_clause(actor: Principal) -> Any:
    if actor.has_any(*OVERSEERS):
        return true()
    org = actor.org_id
    if org is None:
        return awards.c.id.is_(None)
    clauses = [awards.c.grantee_org_id == org]
    if actor.has_any(Role.GRANT_MANAGER):
        managed = select(calls.c.id).where(calls.c.managing_org_id == org)
        clauses.append(awards.c.call_id.in_(managed))
    if actor.has_any(Role.FUNDER):
        funded = select(call_funders.c.call_id).where(call_funders.c.organisation_id == org)
        clauses.append(awards.c.call_id.in_(funded))
    return or_(*clauses)


async def list_awards(
    session: AsyncSession,
    actor: Principal,
    *,
    call_id: str | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[Award]:
    """Awards actor may see, oldest first, optionally of one call."""
    query = select(awards).where(_visible_clause(actor))
    if call_id is not None:
        query = query.where(awards.c.call_id == call_id)
    query = query.order_by(awards.c.award_time, awards.c.id)
    fingerprint = {"call": call_id, "sub": actor.sub}
    page = await fetch_page(
        session, query, lambda r: r, fingerprint, requested_size=requested_size, token=token
    )
    return Page(await load_awards(session, page.items), page.next_page_token)


async def pool_of(session: AsyncSession, call: Call) -> Pool:
    """The call's pool: pledges, and what awards committed and released tranches disbursed."""
    committed, disbursed = await funder_sums(session, call.id)
    pledges = {f.organisation_id or "": f.pledge.minor_units for f in call.terms.funders}
    return Pool.of(call.currency, pledges, committed, disbursed)


async def org_names(session: AsyncSession, org_ids: set[str]) -> dict[str, str]:
    """Display names the read model knows for org_ids."""
    r = registry_organisations
    rows = await session.execute(select(r.c.id, r.c.display_name).where(r.c.id.in_(org_ids)))
    return {row.id: row.display_name for row in rows}


def funder_names(call: Call, known: dict[str, str]) -> dict[str, str]:
    """Each funder's name: as the call lists it, else as the registry knows it."""
    return {
        f.organisation_id: f.display_name or known.get(f.organisation_id, "")
        for f in call.terms.funders
        if f.organisation_id
    }


async def get_ledger(session: AsyncSession, call_id: str, actor: Principal) -> tuple[Pool, dict]:
    """The call's pool and its funders' names, if actor may see them."""
    call = await money_call(session, call_id, actor)
    ids = {f.organisation_id for f in call.terms.funders if f.organisation_id}
    return await pool_of(session, call), funder_names(call, await org_names(session, ids))


async def _exportable_calls(session: AsyncSession, actor: Principal, call_id: str | None) -> list:
    if call_id is not None:
        return [await money_call(session, call_id, actor)]
    ids = (await session.execute(select(awards.c.call_id).distinct())).scalars().all()
    found = [await load_call(session, i) for i in sorted(ids)]
    return [c for c in found if c is not None and can_see_money(actor, c)]


async def grant_records(
    session: AsyncSession, actor: Principal, call_id: str | None
) -> list[GrantRecord]:
    """The awards of the calls whose money actor may see, ready for the 360Giving mapping."""
    records = []
    for call in await _exportable_calls(session, actor, call_id):
        rows = await session.execute(
            select(awards).where(awards.c.call_id == call.id).order_by(awards.c.award_time)
        )
        found = await load_awards(session, list(rows))
        ids = {a.grantee_org_id for a in found} | {
            f.organisation_id for f in call.terms.funders if f.organisation_id
        }
        known = await org_names(session, ids)
        names = funder_names(call, known)
        funders = tuple(Org(f, names.get(f) or f"organisations/{f}") for f in names)
        for award in found:
            title, summary, has_match = await _application_facts(session, award.application_id)
            grantee = Org(award.grantee_org_id, known.get(award.grantee_org_id, "Recipient"))
            records.append(
                GrantRecord(award, call.terms.title, title, summary, grantee, funders, has_match)
            )
    return records


async def _application_facts(session: AsyncSession, application_id: str) -> tuple[str, str, bool]:
    a, m = applications, match_commitments
    has_match = exists().where(m.c.application_id == a.c.id)
    row = (
        await session.execute(
            select(a.c.title, a.c.summary, has_match.label("m")).where(a.c.id == application_id)
        )
    ).one()
    return row.title, row.summary, bool(row.m)


class ExportInvalid(RuntimeError):
    """The service built a package the 360Giving schema rejects (a bug, never the caller's)."""


async def export_360giving(
    session: AsyncSession, actor: Principal, call_id: str | None
) -> tuple[str, int]:
    """The 360Giving package JSON of the awards actor may see, checked against the schema."""
    records = await grant_records(session, actor, call_id)
    if not records:
        raise FailedPrecondition("there are no awards to export yet")
    package = to_package(records)
    found = problems(package)
    if found:
        raise ExportInvalid("360Giving export does not validate: " + "; ".join(found[:5]))
    return dumps(package), len(records)
