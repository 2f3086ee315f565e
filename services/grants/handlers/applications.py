"""Application use cases: draft, edit, submit, withdraw, and move match commitments along."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common.auth import Principal
from services.common.errors import FailedPrecondition, PermissionDenied, Violation, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.versioned import check_etag
from services.grants.convert.applications import (
    application_changed,
    application_name,
    match_confirmed,
)
from services.grants.domain.applications import (
    Application,
    ApplicationState,
    Content,
    MatchCommitment,
    MatchState,
    change_match_state,
    check_content,
    require_state,
)
from services.grants.handlers.awards import release_held_tranches
from services.grants.orm import applications as store
from services.grants.queries.applications import (
    ApplicationView,
    get_application,
    get_visible_application,
    is_applicant,
    manager_sees,
)
from services.grants.queries.calls import get_visible_call
from services.grants.queries.eligibility import timing_reasons

SUBJECT = "nlc.grants.application"
# Update-mask path -> attribute of Content.
UPDATABLE = {
    "title": "title",
    "summary": "summary",
    "jurisdiction": "jurisdiction_id",
    "prevention_levels": "prevention_levels",
    "budget_lines": "budget_lines",
    "requested_amount": "requested_amount",
    "match_commitments": "match_commitments",
}


@dataclass(frozen=True)
class CreateApplication:
    call_id: str
    content: Content
    applicant_org_id: str | None = None
    application_id: str | None = None  # a fixed id (demo data); a new one when None


@dataclass(frozen=True)
class UpdateApplication:
    application_id: str
    content: Content
    paths: frozenset[str]
    etag: str = ""


@dataclass(frozen=True)
class WithdrawApplication:
    application_id: str
    reason: str = ""


@dataclass(frozen=True)
class ChangeMatch:
    application_id: str
    commitment_id: str
    state: MatchState
    evidence_reference: str


def _not_open(reasons: list[str]) -> FailedPrecondition:
    return FailedPrecondition(reasons[0], [Violation("call", r) for r in reasons])


def _merge_commitments(
    old: tuple[MatchCommitment, ...], new: tuple[MatchCommitment, ...]
) -> tuple[MatchCommitment, ...]:
    """New ones get ids; known ids keep their state and evidence (ChangeMatchState moves them)."""
    known = {m.id: m for m in old}
    merged = []
    for i, m in enumerate(new):
        if not m.id:
            merged.append(replace(m, id=new_id()))
        elif m.id in known:
            was = known[m.id]
            merged.append(replace(m, state=was.state, evidence_reference=was.evidence_reference))
        else:
            raise invalid(
                f"application.match_commitments[{i}].id",
                "is not a commitment of this application; leave it empty for a new one",
            )
    return tuple(merged)


def check_own(actor: Principal, view: ApplicationView, etag: str = "") -> None:
    """PermissionDenied unless actor applies with view's application; Conflict on a stale etag."""
    if not is_applicant(actor, view.application):
        raise PermissionDenied("only the applicant organisation changes its application")
    check_etag(etag, view.application.version, "the application")


async def _load_own(uow: UnitOfWork, application_id: str, etag: str = "") -> ApplicationView:
    view = await get_visible_application(uow.session, application_id, uow.actor)
    check_own(uow.actor, view, etag)
    return view


async def create_application(uow: UnitOfWork, cmd: CreateApplication) -> ApplicationView:
    """A draft for the caller's own organisation on an open call."""
    org_id = uow.actor.org_id
    if org_id is None:
        raise PermissionDenied("your account is not linked to an organisation")
    if cmd.applicant_org_id not in (None, org_id):
        raise PermissionDenied("you can only apply for your own organisation")
    async with uow:
        call = (await get_visible_call(uow.session, cmd.call_id, uow.actor)).call
        reasons = timing_reasons(call, uow.clock.now())
        if reasons:
            raise _not_open(reasons)
        content = replace(
            cmd.content, match_commitments=_merge_commitments((), cmd.content.match_commitments)
        )
        check_content(content, call.currency)
        app_id = cmd.application_id or new_id()
        app = Application(id=app_id, call_id=call.id, applicant_org_id=org_id, content=content)
        await store.add_application(uow.session, app, call.currency, uow.stamp())
        view = await get_application(uow.session, app.id)
        uow.audit(application_name(app.id), "create", {"call": call.id})
        await uow.commit()
    return view


async def update_application(uow: UnitOfWork, cmd: UpdateApplication) -> ApplicationView:
    """Save the fields in cmd.paths of a draft, complete or not (completeness is for submit)."""
    unknown = cmd.paths - UPDATABLE.keys()
    if unknown:
        raise invalid("update_mask.paths", f"cannot change {', '.join(sorted(unknown))[:200]}")
    async with uow:
        view = await _load_own(uow, cmd.application_id, cmd.etag)
        app = view.application
        require_state(app, ApplicationState.DRAFT, doing="changed")
        changes = {UPDATABLE[p]: getattr(cmd.content, UPDATABLE[p]) for p in cmd.paths}
        if "match_commitments" in cmd.paths:
            old = app.content.match_commitments
            changes["match_commitments"] = _merge_commitments(old, cmd.content.match_commitments)
        app.content = replace(app.content, **changes)
        check_content(app.content, view.currency)
        await store.save_application(uow.session, app, view.currency, uow.stamp())
        view = await get_application(uow.session, app.id)
        uow.audit(application_name(app.id), "update", {"paths": sorted(cmd.paths)})
        await uow.commit()
    return view


async def withdraw_application(uow: UnitOfWork, cmd: WithdrawApplication) -> ApplicationView:
    """draft or submitted -> withdrawn; its match commitments are free again."""
    async with uow:
        view = await _load_own(uow, cmd.application_id)
        app = view.application
        require_state(app, ApplicationState.DRAFT, ApplicationState.SUBMITTED, doing="withdrawn")
        app.state = ApplicationState.WITHDRAWN
        details = {"reason": cmd.reason[:2000]}
        return await _save_and_emit(uow, app, view.currency, "withdrawn", "withdraw", details)


async def change_match(uow: UnitOfWork, cmd: ChangeMatch) -> ApplicationView:
    """Record a commitment as confirmed, received or declined by its source, with evidence
    (applicant or call manager); an awarded application's held tranches follow."""
    async with uow:
        view = await get_visible_application(uow.session, cmd.application_id, uow.actor)
        app = view.application
        if not (is_applicant(uow.actor, app) or manager_sees(uow.actor, view)):
            raise PermissionDenied("only the applicant or the call's managers record match funding")
        require_state(
            app, ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.AWARDED,
            doing="given match evidence",
        )  # fmt: skip
        before = next(
            (m.state for m in app.content.match_commitments if m.id == cmd.commitment_id), None
        )
        changed = change_match_state(app, cmd.commitment_id, cmd.state, cmd.evidence_reference)
        await store.save_application(uow.session, app, view.currency, uow.stamp())
        view = await get_application(uow.session, app.id)
        if before == MatchState.PLEDGED and changed.state != MatchState.DECLINED:
            uow.emit("nlc.grants.match.confirmed", match_confirmed(view, changed))
        details = {"commitment": changed.id, "state": changed.state.value}
        uow.audit(application_name(app.id), "change_match_state", details)
        if app.state == ApplicationState.AWARDED:
            await release_held_tranches(uow, app.id)
        await uow.commit()
    return view


async def _save_and_emit(
    uow: UnitOfWork, app: Application, currency: str, event: str, action: str, details: dict
) -> ApplicationView:
    await store.save_application(uow.session, app, currency, uow.stamp())
    view = await get_application(uow.session, app.id)
    uow.emit(f"{SUBJECT}.{event}", application_changed(view))
    uow.audit(application_name(app.id), action, {"state": app.state.value, **details})
    await uow.commit()
    return view
