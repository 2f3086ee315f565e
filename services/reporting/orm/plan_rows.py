"""Rows of `action_plans`, `plan_versions` and `plan_transitions` to and from the domain."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.records import from_records, to_record
from services.common.versioned import Stamp, insert_versioned, update_versioned
from services.reporting.domain.plan_workflow import ActionPlan, PlanVersion, Transition
from services.reporting.domain.plans import (
    AnchorKind,
    PlanState,
    ReviewComment,
    content_from_record,
    content_to_record,
)
from services.reporting.orm.plans import action_plans, plan_transitions, plan_versions

STALE = "the action plan has changed since you read it; reload and retry"


def plan_from_row(row: Any) -> ActionPlan:
    return ActionPlan(
        id=row.id,
        owner_org_id=row.owner_org_id,
        jurisdiction_id=row.jurisdiction_id,
        reviewing_org_id=row.reviewing_org_id,
        current_version=row.current_version,
        approved_version=row.approved_version,
        state=PlanState(row.state),
        version=row.version,
    )


def version_from_row(row: Any) -> PlanVersion:
    return PlanVersion(
        number=row.number,
        state=PlanState(row.state),
        content=content_from_record(row.content),
        submitted_at=row.submitted_at,
        approved_at=row.approved_at,
    )


def transition_from_row(row: Any) -> Transition:
    return Transition(
        version_number=row.version_number,
        from_state=PlanState(row.from_state),
        to_state=PlanState(row.to_state),
        actor_sub=row.actor_sub,
        actor_username=row.actor_username,
        actor_org_id=row.actor_org_id,
        at=row.at,
        reason=row.reason,
        comments=from_records(ReviewComment, row.comments, anchor_kind=AnchorKind),
    )


def _plan_values(plan: ActionPlan) -> dict[str, Any]:
    return {
        "reviewing_org_id": plan.reviewing_org_id,
        "current_version": plan.current_version,
        "approved_version": plan.approved_version,
        "state": plan.state.value,
    }


def _version_values(v: PlanVersion) -> dict[str, Any]:
    return {
        "state": v.state.value,
        "content": content_to_record(v.content),
        "submitted_at": v.submitted_at,
        "approved_at": v.approved_at,
    }


async def load_plan(session: AsyncSession, plan_id: str) -> ActionPlan | None:
    row = (await session.execute(select(action_plans).where(action_plans.c.id == plan_id))).first()
    return plan_from_row(row) if row else None


async def load_version(session: AsyncSession, plan_id: str, number: int) -> PlanVersion | None:
    query = select(plan_versions).where(
        plan_versions.c.plan_id == plan_id, plan_versions.c.number == number
    )
    row = (await session.execute(query)).first()
    return version_from_row(row) if row else None


async def insert_plan(session: AsyncSession, plan: ActionPlan, stamp: Stamp) -> ActionPlan:
    """Insert plan at row version 1."""
    fixed = {"owner_org_id": plan.owner_org_id, "jurisdiction_id": plan.jurisdiction_id}
    await insert_versioned(session, action_plans, plan.id, fixed | _plan_values(plan), stamp)
    return replace(plan, version=1)


async def save_plan(session: AsyncSession, plan: ActionPlan, stamp: Stamp) -> ActionPlan:
    """Write plan over its stored row version; Conflict when someone changed it first."""
    values = _plan_values(plan)
    await update_versioned(session, action_plans, plan.id, plan.version, values, stamp, stale=STALE)
    return replace(plan, version=plan.version + 1)


async def insert_version(session: AsyncSession, plan_id: str, v: PlanVersion, stamp: Stamp) -> None:
    stamps = {
        "created_at": stamp.at,
        "created_by": stamp.by,
        "updated_at": stamp.at,
        "updated_by": stamp.by,
    }
    values = {"plan_id": plan_id, "number": v.number, **_version_values(v), **stamps}
    await session.execute(insert(plan_versions).values(**values))


async def save_version(session: AsyncSession, plan_id: str, v: PlanVersion, stamp: Stamp) -> None:
    """Write v (the plan row's version guards against concurrent writers)."""
    statement = (
        update(plan_versions)
        .where(plan_versions.c.plan_id == plan_id, plan_versions.c.number == v.number)
        .values(**_version_values(v), updated_at=stamp.at, updated_by=stamp.by)
    )
    await session.execute(statement)


async def _transition_id(session: AsyncSession, plan_id: str) -> str:
    """An id that sorts after the plan's earlier transitions (its ordinal, then random hex).

    Transitions can share a timestamp, so lists order them by this id; the plan row's version
    keeps two writers from taking the same ordinal."""
    query = select(func.count()).where(plan_transitions.c.plan_id == plan_id)
    ordinal = (await session.scalar(query) or 0) + 1
    return f"{ordinal:06d}-{uuid.uuid4().hex[:29]}"


async def insert_transition(session: AsyncSession, plan_id: str, t: Transition) -> None:
    values = {
        "id": await _transition_id(session, plan_id),
        "plan_id": plan_id,
        "version_number": t.version_number,
        "from_state": t.from_state.value,
        "to_state": t.to_state.value,
        "actor_sub": t.actor_sub,
        "actor_username": t.actor_username,
        "actor_org_id": t.actor_org_id,
        "at": t.at,
        "reason": t.reason,
        "comments": to_record(t.comments),
    }
    await session.execute(insert(plan_transitions).values(**values))
