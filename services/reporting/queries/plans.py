"""Plan reads: one plan or version, lists filtered to what the caller may see, transitions, diffs;
and the read-model facts plan handlers check content against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.errors import NotFound, invalid
from services.common.paging import Page, fetch_page
from services.common.versioned import Versioned, versioned_fields
from services.reporting.domain.access import PLAN_REVIEWERS, WRITERS, may_read, sees_all
from services.reporting.domain.plan_diff import Change, diff
from services.reporting.domain.plan_rules import FrameworkFacts
from services.reporting.domain.plan_workflow import ActionPlan, PlanVersion, Transition
from services.reporting.domain.plans import PlanState
from services.reporting.orm.plan_rows import plan_from_row, transition_from_row, version_from_row
from services.reporting.orm.plans import action_plans, plan_transitions, plan_versions
from services.reporting.orm.read_model import (
    known_frameworks,
    known_jurisdictions,
    known_mandates,
    known_organisations,
)


@dataclass(frozen=True)
class PlanView:
    """A plan shown at one version, with the audit stamps of what is shown."""

    plan: ActionPlan
    version: PlanVersion
    stamps: Versioned

    @property
    def etag(self) -> str:
        return str(self.plan.version)


@dataclass(frozen=True)
class DiffView:
    from_version: int
    to_version: int
    changes: list[Change]


@dataclass(frozen=True)
class OrganisationFacts:
    id: str
    kind: str | None
    jurisdiction_id: str | None


# Read-model facts --------------------------------------------------------------------------


async def overseeing_org(session: AsyncSession, org_id: str) -> str | None:
    """The national body the organisation's mandate says it reports to, if known."""
    query = select(known_mandates.c.overseeing_org_id).where(
        known_mandates.c.organisation_id == org_id
    )
    return await session.scalar(query)


async def organisation(session: AsyncSession, org_id: str) -> OrganisationFacts | None:
    query = select(known_organisations).where(known_organisations.c.id == org_id)
    row = (await session.execute(query)).first()
    return OrganisationFacts(row.id, row.kind, row.jurisdiction_id) if row else None


async def known_org_ids(session: AsyncSession, ids: Iterable[str]) -> frozenset[str]:
    """Those of ids the read model knows."""
    wanted = sorted(set(ids))
    if not wanted:
        return frozenset()
    query = select(known_organisations.c.id).where(known_organisations.c.id.in_(wanted))
    return frozenset(await session.scalars(query))


async def jurisdiction_path(session: AsyncSession, jurisdiction_id: str) -> str | None:
    """The path ("/root/.../id/") of a known jurisdiction, or None."""
    query = select(known_jurisdictions.c.path).where(known_jurisdictions.c.id == jurisdiction_id)
    return await session.scalar(query)


async def framework_facts(session: AsyncSession, framework_id: str | None) -> FrameworkFacts | None:
    """Pillars and standard indicators of a known framework; None when unknown."""
    if not framework_id:
        return None
    query = select(known_frameworks).where(known_frameworks.c.id == framework_id)
    row = (await session.execute(query)).first()
    if row is None:
        return None
    return FrameworkFacts(
        pillar_codes=frozenset(p["code"] for p in row.pillars),
        standard_indicators={
            i["code"]: frozenset(i.get("disaggregations") or ()) for i in row.indicators
        },
    )


# Access ------------------------------------------------------------------------------------


async def may_read_plan(session: AsyncSession, actor: Principal, plan: ActionPlan) -> bool:
    """Owner, administrators, the reviewing body's reviewers, and the reviewers of the body the
    owner's mandate reports to (before the plan is first submitted too)."""
    if may_read(
        actor, owner_org_id=plan.owner_org_id, reviewing_org_id=plan.reviewing_org_id, grant=False
    ):
        return True
    if not actor.org_id or not actor.has_any(*PLAN_REVIEWERS):
        return False
    return await overseeing_org(session, plan.owner_org_id) == actor.org_id


def _visible_clause(actor: Principal) -> Any:
    """The plans actor may see, as a WHERE clause (None: all)."""
    if sees_all(actor):
        return None
    p, org = action_plans.c, actor.org_id
    if not org:
        return false()
    clauses = []
    if actor.has_any(*WRITERS):
        clauses.append(p.owner_org_id == org)
    if actor.has_any(*PLAN_REVIEWERS):
        overseen = select(known_mandates.c.organisation_id).where(
            known_mandates.c.overseeing_org_id == org
        )
        clauses += [p.reviewing_org_id == org, p.owner_org_id.in_(overseen)]
    return or_(*clauses) if clauses else false()


# Plans and versions ------------------------------------------------------------------------


async def find_plan(session: AsyncSession, plan_id: str) -> tuple[ActionPlan, Versioned] | None:
    """A plan and its row's stamps, whoever may see it; None when missing."""
    row = (await session.execute(select(action_plans).where(action_plans.c.id == plan_id))).first()
    return (plan_from_row(row), Versioned(**versioned_fields(row))) if row else None


async def _version_row(session: AsyncSession, plan_id: str, number: int) -> Any:
    query = select(plan_versions).where(
        plan_versions.c.plan_id == plan_id, plan_versions.c.number == number
    )
    return (await session.execute(query)).first()


async def plan_view(session: AsyncSession, plan_id: str) -> PlanView:
    """The plan at its current version (no access check); NotFound when missing."""
    found = await find_plan(session, plan_id)
    if found is None:
        raise NotFound(f"action plan {plan_id} not found")
    plan, stamps = found
    row = await _version_row(session, plan.id, plan.current_version)
    return PlanView(plan, version_from_row(row), stamps)


async def visible_plan(session: AsyncSession, plan_id: str, actor: Principal) -> ActionPlan:
    """The plan if actor may see it; NotFound otherwise (never revealing that it exists)."""
    found = await find_plan(session, plan_id)
    if found is None or not await may_read_plan(session, actor, found[0]):
        raise NotFound(f"action plan {plan_id} not found")
    return found[0]


async def get_visible_plan(session: AsyncSession, plan_id: str, actor: Principal) -> PlanView:
    """The plan at its current version, if actor may see it."""
    await visible_plan(session, plan_id, actor)
    return await plan_view(session, plan_id)


def _version_view(plan: ActionPlan, row: Any) -> PlanView:
    stamps = Versioned(plan.version, row.created_at, row.created_by, row.updated_at, row.updated_by)
    return PlanView(plan, version_from_row(row), stamps)


async def get_plan_version(
    session: AsyncSession, plan_id: str, number: int, actor: Principal
) -> PlanView:
    """Version number of the plan as it was frozen, if actor may see the plan."""
    plan = await visible_plan(session, plan_id, actor)
    row = await _version_row(session, plan.id, number)
    if row is None:
        raise NotFound(f"action plan {plan_id} has no version {number}")
    return _version_view(plan, row)


async def list_plans(
    session: AsyncSession,
    actor: Principal,
    *,
    owner_org_id: str | None = None,
    jurisdiction_id: str | None = None,
    state: PlanState | None = None,
    requested_size: int = 0,
    token: str = "",
) -> Page[PlanView]:
    """Plans actor may see, newest first, optionally filtered."""
    p = action_plans.c
    conditions = [c for c in (_visible_clause(actor),) if c is not None]
    if owner_org_id:
        conditions.append(p.owner_org_id == owner_org_id)
    if jurisdiction_id:
        conditions.append(p.jurisdiction_id == jurisdiction_id)
    if state is not None:
        conditions.append(p.state == state.value)
    query = select(p.id).where(and_(True, *conditions)).order_by(p.created_at.desc(), p.id)
    fingerprint = {
        "owner": owner_org_id,
        "jurisdiction": jurisdiction_id,
        "state": state,
        "sub": actor.sub,
    }
    page = await fetch_page(
        session, query, lambda r: r.id, fingerprint, requested_size=requested_size, token=token
    )
    return Page([await plan_view(session, i) for i in page.items], page.next_page_token)


async def list_versions(
    session: AsyncSession, plan_id: str, actor: Principal, *, requested_size: int, token: str
) -> Page[PlanView]:
    """The plan's versions, newest first."""
    plan = await visible_plan(session, plan_id, actor)
    query = (
        select(plan_versions)
        .where(plan_versions.c.plan_id == plan.id)
        .order_by(plan_versions.c.number.desc())
    )
    fingerprint = {"plan": plan.id, "what": "versions"}
    return await fetch_page(
        session,
        query,
        lambda row: _version_view(plan, row),
        fingerprint,
        requested_size=requested_size,
        token=token,
    )


async def list_transitions(
    session: AsyncSession, plan_id: str, actor: Principal, *, requested_size: int, token: str
) -> Page[Transition]:
    """The plan's workflow steps, oldest first."""
    plan = await visible_plan(session, plan_id, actor)
    t = plan_transitions.c
    query = select(plan_transitions).where(t.plan_id == plan.id).order_by(t.id)
    fingerprint = {"plan": plan.id, "what": "transitions"}
    return await fetch_page(
        session,
        query,
        transition_from_row,
        fingerprint,
        requested_size=requested_size,
        token=token,
    )


async def diff_versions(
    session: AsyncSession, plan_id: str, actor: Principal, from_version: int, to_version: int
) -> DiffView:
    """Changes from one version to another (to_version 0: the current version)."""
    plan = await visible_plan(session, plan_id, actor)
    to_number = to_version or plan.current_version
    known = f"the plan has versions 1 to {plan.current_version}"
    for field, number in (("from_version", from_version), ("to_version", to_number)):
        if not 1 <= number <= plan.current_version:
            raise invalid(field, f"{number} is not a version of this plan; {known}")
    before = await _version_row(session, plan.id, from_version)
    after = await _version_row(session, plan.id, to_number)
    changes = diff(version_from_row(before).content, version_from_row(after).content)
    return DiffView(from_version, to_number, changes)
