"""Award use cases: decide within the pool, sign, release tranches (by hand or on events)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import FailedPrecondition, NotFound, PermissionDenied
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.grants.convert.applications import application_name
from services.grants.convert.awards import award_made, award_name, tranche_released
from services.grants.convert.calls import call_changed, call_name
from services.grants.domain import awards as domain
from services.grants.domain.applications import ApplicationState
from services.grants.domain.awards import Award, AwardItem, Candidate
from services.grants.domain.calls import Call, CallState, TrancheTrigger
from services.grants.domain.tranches import Tranche, match_hold_reason
from services.grants.orm import applications as app_store
from services.grants.orm import awards as store
from services.grants.orm import calls as call_store
from services.grants.queries.awards import can_see_award, pool_of
from services.grants.queries.calls import get_call, get_visible_call, manages

SUBJECT = "nlc.grants.award"


@dataclass(frozen=True)
class DecideAwards:
    call_id: str
    items: tuple[AwardItem, ...]
    final_round: bool = False
    note: str = ""


@dataclass(frozen=True)
class AwardRef:
    award_id: str


@dataclass(frozen=True)
class ReleaseTranche:
    award_id: str
    tranche_code: str


async def _candidates(uow: UnitOfWork, items: tuple[AwardItem, ...]) -> dict[str, Candidate]:
    found = {}
    for item in items:
        app = await app_store.load_application(uow.session, item.application_id)
        if app is not None:
            requested = app.content.requested_amount
            found[app.id] = Candidate(
                app.id,
                app.call_id,
                app.applicant_org_id,
                app.state.value,
                requested.minor_units if requested else None,
            )
    return found


async def _set_state(uow: UnitOfWork, call: Call, app_id: str, state: ApplicationState) -> None:
    app = await app_store.load_application(uow.session, app_id)
    assert app is not None
    app.state = state
    await app_store.save_application(uow.session, app, call.currency, uow.stamp())
    if state == ApplicationState.NOT_AWARDED:
        await app_store.release_claims(uow.session, app_id)
    uow.audit(application_name(app_id), state.value, {"call": call_name(call.id)})


async def _not_awarded(uow: UnitOfWork, call: Call) -> list[str]:
    a = app_store.applications
    query = select(a.c.id).where(
        a.c.call_id == call.id, a.c.state == ApplicationState.SUBMITTED.value
    )
    return list((await uow.session.execute(query.order_by(a.c.id))).scalars())


async def decide_awards(uow: UnitOfWork, cmd: DecideAwards) -> list[Award]:
    """Award several applications at once within what the pool has left; final rounds close it.

    The call's row is locked before the committed totals are read, so two managers deciding at
    the same moment run one after the other and the second sees the first's awards.
    """
    async with uow:
        await store.lock_call(uow.session, cmd.call_id)
        view = await get_visible_call(uow.session, cmd.call_id, uow.actor)
        call = view.call
        if not manages(uow.actor, call):
            raise PermissionDenied("only grant managers of the managing organisation decide awards")
        domain.check_items(call, cmd.items)
        candidates = await _candidates(uow, cmd.items)
        splits = domain.decide(call, cmd.items, candidates, await pool_of(uow.session, call))
        now, made = uow.clock.now(), []
        for item, shares in zip(cmd.items, splits, strict=True):
            app = candidates[item.application_id]
            award = domain.make_award(new_id(), call, item, app, shares, now)
            try:
                async with uow.session.begin_nested():
                    await store.add_award(uow.session, award, cmd.note[:2000], uow.stamp())
            except IntegrityError:
                raise FailedPrecondition(f"application {app.id} was awarded already") from None
            await _set_state(uow, call, app.id, ApplicationState.AWARDED)
            uow.emit(f"{SUBJECT}.made", award_made(award))
            details = {"application": app.id, "amount": award.amount, "shares": shares}
            uow.audit(award_name(award.id), "decide", details | {"note": cmd.note[:2000]})
            made.append(award)
        if cmd.final_round:
            for app_id in await _not_awarded(uow, call):
                await _set_state(uow, call, app_id, ApplicationState.NOT_AWARDED)
            if call.state != CallState.DECIDED:
                call.state = CallState.DECIDED
                await call_store.save_call(uow.session, call, uow.stamp())
                uow.emit(
                    "nlc.grants.call.decided", call_changed(await get_call(uow.session, call.id))
                )
                uow.audit(call_name(call.id), "decide", {"awards": len(made)})
        await uow.commit()
    return made


async def _load_managed(uow: UnitOfWork, award_id: str) -> tuple[Award, Call]:
    award = await store.load_award(uow.session, award_id)
    call = await call_store.load_call(uow.session, award.call_id) if award else None
    if award is None or call is None or not can_see_award(uow.actor, call, award):
        raise NotFound(f"award {award_id} not found")
    if not manages(uow.actor, call):
        raise PermissionDenied("only grant managers of the managing organisation do this")
    return award, call


async def _match_reason(uow: UnitOfWork, award: Award, call: Call) -> str | None:
    app = await app_store.load_application(uow.session, award.application_id)
    assert app is not None
    return match_hold_reason(app.content, call.terms.match_rule, call.currency)


async def _save(uow: UnitOfWork, award: Award, released: list[Tranche], action: str) -> None:
    await store.save_award(uow.session, award, uow.stamp())
    for tranche in released:
        uow.emit("nlc.grants.tranche.released", tranche_released(award, tranche))
    held = [t.code for t in award.tranches if t.hold_reason]
    details = {"released": [t.code for t in released], "held": held}
    uow.audit(award_name(award.id), action, details)


async def sign_award(uow: UnitOfWork, cmd: AwardRef) -> Award:
    """Record signing; on-signing tranches are released, or held while match is unconfirmed."""
    async with uow:
        award, call = await _load_managed(uow, cmd.award_id)
        reason = await _match_reason(uow, award, call)
        released = domain.sign(award, uow.clock.now(), reason)
        await _save(uow, award, released, "sign")
        await uow.commit()
    return award


async def release_tranche(uow: UnitOfWork, cmd: ReleaseTranche) -> Award:
    """Release a pending or held tranche whose trigger happened, once match is confirmed."""
    async with uow:
        award, call = await _load_managed(uow, cmd.award_id)
        reason = await _match_reason(uow, award, call)
        tranche = domain.release_tranche(award, cmd.tranche_code, uow.clock.now(), reason)
        await _save(uow, award, [tranche], "release_tranche")
        await uow.commit()
    return award


async def _on_event(uow: UnitOfWork, award_id: str, kind: TrancheTrigger) -> Tranche | None:
    award = await store.load_award(uow.session, award_id)
    call = await call_store.load_call(uow.session, award.call_id) if award else None
    if award is None or call is None:
        raise NotFound(f"award {award_id} not found")
    reason = await _match_reason(uow, award, call)
    tranche = domain.on_event(award, kind, uow.clock.now(), reason)
    if tranche is not None:
        released = [tranche] if tranche.release_time is not None else []
        await _save(uow, award, released, f"tranche_{kind.value}")
    return tranche


async def release_held_tranches(uow: UnitOfWork, application_id: str) -> list[Tranche]:
    """After match is confirmed, release the award's held tranches if nothing holds them now.

    Runs inside the caller's open unit of work and does not commit.
    """
    award = await store.load_award_of_application(uow.session, application_id)
    call = await call_store.load_call(uow.session, award.call_id) if award else None
    if award is None or call is None:
        return []
    reason = await _match_reason(uow, award, call)
    released = domain.release_held(award, uow.clock.now(), reason)
    if released:
        await _save(uow, award, released, "release_held")
    return released


async def release_on_accepted_report(uow: UnitOfWork, award_id: str) -> Tranche | None:
    """An accepted progress report triggers the next report tranche (released or held).

    Runs inside the caller's open unit of work (e.g. a consumer's) and does not commit.
    Returns the tranche, or None when no tranche waits for a report.
    """
    return await _on_event(uow, award_id, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT)


async def release_on_published_evaluation(uow: UnitOfWork, award_id: str) -> Tranche | None:
    """A published final evaluation triggers the evaluation tranche (see the report variant)."""
    return await _on_event(uow, award_id, TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION)
