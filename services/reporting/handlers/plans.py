"""Action plan use cases: create and edit drafts, submit, request changes, approve, amend."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from services.common.clock import today
from services.common.errors import FailedPrecondition, NotFound, PermissionDenied, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.versioned import check_etag
from services.common.vocabulary import OrganisationKind
from services.reporting.convert.plans import plan_changed, plan_name
from services.reporting.domain import plan_workflow as workflow
from services.reporting.domain.access import may_review, may_write, sees_all
from services.reporting.domain.plan_rules import (
    PlanFacts,
    check_complete,
    check_content,
    referenced_org_ids,
)
from services.reporting.domain.plan_workflow import ActionPlan, PlanVersion, Step
from services.reporting.domain.plans import PlanContent, PlanState, ReviewComment
from services.reporting.handlers.obligations import open_plan_obligation
from services.reporting.orm import plan_rows as rows
from services.reporting.queries import plans as queries
from services.reporting.queries.plans import PlanView

SUBJECT = "nlc.reporting.plan"
CONTENT_PATHS = frozenset(
    {"title", "period", "theory_of_change", "activities", "indicators", "framework"}
)
NO_OVERSEER = (
    "no overseeing body: record the reporting obligation in the organisation's mandate first"
)
# Update-mask path -> the PlanContent fields it replaces.
_FIELDS = {
    "title": ("title",),
    "period": ("period_start", "period_end"),
    "theory_of_change": ("theory_of_change",),
    "activities": ("activities",),
    "indicators": ("indicators",),
    "framework": ("framework_id",),
}


@dataclass(frozen=True)
class CreatePlan:
    content: PlanContent
    owner_org_id: str | None = None
    jurisdiction_id: str | None = None
    plan_id: str | None = None  # a fixed id (demo data); a new one when None


@dataclass(frozen=True)
class UpdatePlan:
    plan_id: str
    content: PlanContent
    paths: frozenset[str]
    etag: str = ""


@dataclass(frozen=True)
class SubmitPlan:
    plan_id: str
    etag: str = ""
    note: str = ""


@dataclass(frozen=True)
class RequestChanges:
    plan_id: str
    reason: str
    comments: tuple[ReviewComment, ...] = ()
    etag: str = ""


@dataclass(frozen=True)
class ApprovePlan:
    plan_id: str
    note: str = ""
    etag: str = ""


@dataclass(frozen=True)
class AmendPlan:
    plan_id: str
    reason: str = ""


async def _check_content(uow: UnitOfWork, content: PlanContent) -> None:
    """InvalidArgument for every shape problem, checked against the read model."""
    session = uow.session
    facts = PlanFacts(
        framework=await queries.framework_facts(session, content.framework_id),
        known_org_ids=await queries.known_org_ids(session, referenced_org_ids(content)),
    )
    check_content(content, facts)


async def _owner_and_place(uow: UnitOfWork, cmd: CreatePlan) -> tuple[str, str]:
    """The owning local government and the jurisdiction the plan covers."""
    actor = uow.actor
    owner = cmd.owner_org_id or actor.org_id
    if owner is None:
        raise invalid("action_plan.owner_organisation", "is required")
    if not sees_all(actor) and not may_write(actor, owner):
        raise PermissionDenied("a city officer creates plans for their own organisation only")
    facts = await queries.organisation(uow.session, owner)
    if facts is None or facts.kind != OrganisationKind.LOCAL_GOVERNMENT:
        raise invalid(
            "action_plan.owner_organisation", "must be a local government known to reporting"
        )
    place = cmd.jurisdiction_id or facts.jurisdiction_id
    if place is None:
        raise invalid("action_plan.jurisdiction", "is required: the owner's place is not known")
    path = await queries.jurisdiction_path(uow.session, place)
    home = facts.jurisdiction_id
    if path is None:
        raise invalid("action_plan.jurisdiction", "is not a jurisdiction known to reporting")
    if home is not None and f"/{home}/" not in path:
        raise invalid("action_plan.jurisdiction", "must be the owner's jurisdiction or within it")
    return owner, place


async def create_plan(uow: UnitOfWork, cmd: CreatePlan) -> PlanView:
    """A draft plan (version 1) of the caller's organisation (administrators: any)."""
    async with uow:
        owner, place = await _owner_and_place(uow, cmd)
        await _check_content(uow, cmd.content)
        plan, first = workflow.new_plan(cmd.plan_id or new_id(), owner, place, cmd.content)
        stamp = uow.stamp()
        await rows.insert_plan(uow.session, plan, stamp)
        await rows.insert_version(uow.session, plan.id, first, stamp)
        details = {"owner_org_id": owner, "jurisdiction_id": place, "title": cmd.content.title}
        uow.audit(plan_name(plan.id), "create", details)
        view = await queries.plan_view(uow.session, plan.id)
        await uow.commit()
    return view


async def _load(uow: UnitOfWork, plan_id: str, etag: str) -> tuple[ActionPlan, PlanVersion]:
    """The plan (visible to the actor, at the caller's etag) and its current version."""
    plan = await queries.visible_plan(uow.session, plan_id, uow.actor)
    check_etag(etag, plan.version, "the action plan")
    current = await rows.load_version(uow.session, plan.id, plan.current_version)
    if current is None:
        raise NotFound(f"action plan {plan_id} not found")
    return plan, current


def _require_writer(uow: UnitOfWork, plan: ActionPlan) -> None:
    if not (sees_all(uow.actor) or may_write(uow.actor, plan.owner_org_id)):
        raise PermissionDenied("only the owner's city officers change this plan")


async def _require_reviewer(uow: UnitOfWork, plan: ActionPlan) -> None:
    """The reviewing body's reviewers (the owner's overseeing body before a first submit)."""
    body = plan.reviewing_org_id or await queries.overseeing_org(uow.session, plan.owner_org_id)
    if not may_review(uow.actor, body, grant=False):
        raise PermissionDenied("only reviewers of the reviewing body review this plan")


async def update_plan(uow: UnitOfWork, cmd: UpdatePlan) -> PlanView:
    """Replace the masked parts of the draft (or changes-requested) version."""
    async with uow:
        plan, current = await _load(uow, cmd.plan_id, cmd.etag)
        _require_writer(uow, plan)
        workflow.check_editable(plan)
        fields = [f for path in sorted(cmd.paths) for f in _FIELDS[path]]
        content = replace(current.content, **{f: getattr(cmd.content, f) for f in fields})
        await _check_content(uow, content)
        stamp = uow.stamp()
        await rows.save_version(uow.session, plan.id, replace(current, content=content), stamp)
        await rows.save_plan(uow.session, plan, stamp)
        uow.audit(plan_name(plan.id), "update", {"paths": sorted(cmd.paths)})
        view = await queries.plan_view(uow.session, plan.id)
        await uow.commit()
    return view


async def _record(uow: UnitOfWork, step: Step, action: str, event: str | None) -> PlanView:
    """Save a workflow step: plan, versions, transition, audit entry and (optionally) event."""
    stamp, session = uow.stamp(), uow.session
    for version in step.changed:
        await rows.save_version(session, step.plan.id, version, stamp)
    if step.created is not None:
        await rows.insert_version(session, step.plan.id, step.created, stamp)
    plan = await rows.save_plan(session, step.plan, stamp)
    t = step.transition
    await rows.insert_transition(session, plan.id, t)
    details: dict[str, Any] = {
        "version": t.version_number,
        "from": t.from_state.value,
        "to": t.to_state.value,
        "reason": t.reason,
        "comments": len(t.comments),
    }
    uow.audit(plan_name(plan.id), action, details)
    view = await queries.plan_view(session, plan.id)
    if event is not None:
        uow.emit(f"{SUBJECT}.{event}", plan_changed(view, t))
    return view


async def submit_plan(uow: UnitOfWork, cmd: SubmitPlan) -> PlanView:
    """To the owner's overseeing body for review, once complete."""
    async with uow:
        plan, current = await _load(uow, cmd.plan_id, cmd.etag)
        _require_writer(uow, plan)
        workflow.check_editable(plan)
        reviewer = await queries.overseeing_org(uow.session, plan.owner_org_id)
        if not reviewer:
            raise FailedPrecondition(NO_OVERSEER)
        check_complete(current.content)
        step = workflow.submit(plan, current, reviewer, uow.actor, uow.clock.now(), cmd.note)
        action = "resubmit" if step.plan.state == PlanState.RESUBMITTED else "submit"
        view = await _record(uow, step, action, "submitted")
        await uow.commit()
    return view


async def request_changes(uow: UnitOfWork, cmd: RequestChanges) -> PlanView:
    """Send the plan back with a reason and comments anchored to its activities or indicators."""
    async with uow:
        plan, current = await _load(uow, cmd.plan_id, cmd.etag)
        await _require_reviewer(uow, plan)
        now = uow.clock.now()
        step = workflow.request_changes(plan, current, cmd.reason, cmd.comments, uow.actor, now)
        view = await _record(uow, step, "request_changes", "changes_requested")
        await uow.commit()
    return view


async def approve_plan(uow: UnitOfWork, cmd: ApprovePlan) -> PlanView:
    """Approve the version under review and open (or follow) the plan's reporting obligation."""
    async with uow:
        plan, current = await _load(uow, cmd.plan_id, cmd.etag)
        await _require_reviewer(uow, plan)
        in_force = None
        if plan.approved_version:
            in_force = await rows.load_version(uow.session, plan.id, plan.approved_version)
        now = uow.clock.now()
        step = workflow.approve(plan, current, in_force, uow.actor, now, cmd.note)
        content = current.content
        await open_plan_obligation(
            uow,
            plan_id=plan.id,
            organisation_id=plan.owner_org_id,
            jurisdiction_id=plan.jurisdiction_id,
            reviewing_org_id=step.plan.reviewing_org_id or "",
            start_on=content.period_start or today(uow.clock),
            end_on=content.period_end,
        )
        view = await _record(uow, step, "approve", "approved")
        await uow.commit()
    return view


async def amend_plan(uow: UnitOfWork, cmd: AmendPlan) -> PlanView:
    """Start version n+1 as a draft copy of the approved one, which stays in force."""
    async with uow:
        plan, current = await _load(uow, cmd.plan_id, "")
        _require_writer(uow, plan)
        step = workflow.amend(plan, current, uow.actor, uow.clock.now(), cmd.reason)
        view = await _record(uow, step, "amend", None)
        await uow.commit()
    return view
