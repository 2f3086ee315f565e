"""Call use cases: create and edit drafts, open, close (by a manager or at the deadline)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.common.auth import Role
from services.common.errors import Conflict, NotFound, PermissionDenied, invalid
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.versioned import check_etag
from services.grants.convert.calls import call_changed, call_name
from services.grants.domain import calls as domain
from services.grants.domain.calls import Call, CallState, CallTerms
from services.grants.orm import calls as store
from services.grants.queries.calls import CallView, get_call, get_visible_call, manages

SUBJECT = "nlc.grants.call"


@dataclass(frozen=True)
class CreateCall:
    terms: CallTerms
    managing_org_id: str | None = None
    call_id: str | None = None  # a fixed id (demo data); a new one when None


@dataclass(frozen=True)
class UpdateCall:
    call_id: str
    terms: CallTerms
    paths: frozenset[str]
    etag: str = ""
    managing_org_id: str | None = None


@dataclass(frozen=True)
class CallRef:
    call_id: str
    etag: str = ""


async def _load_managed(uow: UnitOfWork, call_id: str) -> Call:
    """The call if the actor manages it; NotFound if hidden, PermissionDenied if only visible."""
    view = await get_visible_call(uow.session, call_id, uow.actor)
    if not manages(uow.actor, view.call):
        raise PermissionDenied("only grant managers of the managing organisation manage this call")
    return view.call


async def create_call(uow: UnitOfWork, cmd: CreateCall) -> CallView:
    """A draft call managed by the caller's organisation (platform admins: any organisation)."""
    actor = uow.actor
    managing = cmd.managing_org_id or actor.org_id
    if managing is None:
        raise invalid("call.managing_organisation", "is required")
    if not actor.has_any(Role.PLATFORM_ADMIN) and managing != actor.org_id:
        raise PermissionDenied("grant managers create calls for their own organisation only")
    domain.check_terms(cmd.terms)
    async with uow:
        call = Call(id=cmd.call_id or new_id(), managing_org_id=managing, terms=cmd.terms)
        await store.add_call(uow.session, call, uow.stamp())
        view = await get_call(uow.session, call.id)
        uow.audit(call_name(call.id), "create", {"title": cmd.terms.title[:200]})
        await uow.commit()
    return view


async def update_call(uow: UnitOfWork, cmd: UpdateCall) -> CallView:
    """Change cmd.paths: any field of a draft; description or a later close when open."""
    async with uow:
        call = await _load_managed(uow, cmd.call_id)
        check_etag(cmd.etag, call.version, "the call")
        term_paths = cmd.paths - {"managing_organisation"}
        new_terms = replace(call.terms, **{p: getattr(cmd.terms, p) for p in term_paths})
        domain.check_update(call, cmd.paths, new_terms, uow.clock.now())
        if "managing_organisation" in cmd.paths:
            if not uow.actor.has_any(Role.PLATFORM_ADMIN):
                raise PermissionDenied("only a platform admin moves a call to another organisation")
            if not cmd.managing_org_id:
                raise invalid("call.managing_organisation", "is required")
            call.managing_org_id = cmd.managing_org_id
        domain.check_terms(new_terms)
        call.terms = new_terms
        await store.save_call(uow.session, call, uow.stamp())
        view = await get_call(uow.session, call.id)
        uow.audit(call_name(call.id), "update", {"paths": sorted(cmd.paths)})
        await uow.commit()
    return view


async def open_call(uow: UnitOfWork, cmd: CallRef) -> CallView:
    """draft -> open once every rule holds (FailedPrecondition lists each unmet rule)."""
    async with uow:
        call = await _load_managed(uow, cmd.call_id)
        check_etag(cmd.etag, call.version, "the call")
        domain.open_call(call, uow.clock.now())
        return await _save_and_emit(uow, call, "opened", "open")


async def close_call(uow: UnitOfWork, cmd: CallRef) -> CallView:
    """open -> closed, by a manager before the deadline."""
    async with uow:
        call = await _load_managed(uow, cmd.call_id)
        check_etag(cmd.etag, call.version, "the call")
        domain.close_call(call, uow.clock.now())
        return await _save_and_emit(uow, call, "closed", "close")


async def close_if_due(uow: UnitOfWork, call_id: str) -> bool:
    """Close the call if it is open and past its deadline; False when there was nothing to do."""
    async with uow:
        call = await store.load_call(uow.session, call_id)
        if call is None:
            raise NotFound(f"call {call_id} not found")
        if call.state != CallState.OPEN or not call.past_deadline(uow.clock.now()):
            return False
        domain.close_call(call, uow.clock.now())
        try:
            await _save_and_emit(uow, call, "closed", "close_at_deadline")
        except Conflict:
            return False  # another replica (or a manager) changed it first
        return True


async def _save_and_emit(uow: UnitOfWork, call: Call, event: str, action: str) -> CallView:
    await store.save_call(uow.session, call, uow.stamp())
    view = await get_call(uow.session, call.id)
    uow.emit(f"{SUBJECT}.{event}", call_changed(view))
    uow.audit(call_name(call.id), action, {"state": call.state.value})
    await uow.commit()
    return view
