"""Share use cases: send (decide per recipient, seal, notify), fetch (only allowed fields, only
while the agreement is open), acknowledge, correct and revoke. Every decision and read is linked
into the audit chain as the last step of its transaction; refusals are recorded too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import NoReturn

from services.common.clock import today
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    Violation,
    invalid_if,
)
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.infoshare.convert.shares import share_name, share_notice, version_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain import share_rules as rules
from services.infoshare.domain.chain import ChainEntry, Decision
from services.infoshare.domain.policy import (
    EXPLANATIONS,
    DenialReason,
    Outcome,
    RecipientDecision,
    ShareIntent,
    decide,
)
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RECORD_TYPES, RecordType
from services.infoshare.domain.share_rules import Consent
from services.infoshare.domain.shares import Delivery, Share, ShareContent, ShareState
from services.infoshare.handlers.gate import checked, own_org, refuse, require_training
from services.infoshare.handlers.sealing import seal_first, seal_version, unseal_version
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm import share_rows as rows
from services.infoshare.orm.agreement_rows import agreements_for_party, load_in_force
from services.infoshare.orm.chain_rows import append
from services.infoshare.orm.purpose_rows import load_purpose
from services.infoshare.queries.shares import ShareView, view_for, visible

SUBJECT = "nlc.infoshare.share"
SEND, FETCH, ACKNOWLEDGE = "share.send", "share.fetch", "share.acknowledge"
CORRECT, REVOKE = "share.correct", "share.revoke"
CONSENT_RECORDED = "consent recorded"
DECISIONS = {
    Outcome.DELIVERED: Decision.ALLOWED,
    Outcome.MINIMISED: Decision.MINIMISED,
    Outcome.DENIED: Decision.DENIED,
}


@dataclass(frozen=True)
class SendShare:
    purpose_code: str
    record_type: str
    recipients: tuple[str, ...]
    subject_reference: str
    fields: Mapping[str, str]
    all_or_nothing: bool = False
    consent: Consent = field(default_factory=Consent)


@dataclass(frozen=True)
class SendResult:
    """The share (None when nobody received anything) and the decision per recipient."""

    share: ShareView | None
    decisions: tuple[RecipientDecision, ...]


@dataclass(frozen=True)
class FetchResult:
    view: ShareView
    fields: dict[str, str]
    agreement_version: str


def _send_entries(
    uow: UnitOfWork, resource: str, purpose: Purpose, decisions: Sequence[RecipientDecision]
) -> list[ChainEntry]:
    """One entry per recipient: the decision, the agreement version relied on, the reason
    (noting the subject's consent where the purpose relies on it)."""
    now = uow.clock.now()
    consent = CONSENT_RECORDED if purpose.consent_required else ""
    return [
        chain_entry(
            uow.actor,
            now,
            action=SEND,
            resource=resource,
            decision=DECISIONS[d.outcome],
            purpose=purpose.code,
            agreement_version=version_name(d.agreement_id, d.version),
            reason="; ".join(r for r in (_decision_reason(d), consent if d.receives else "") if r),
        )
        for d in decisions
    ]


def _decision_reason(d: RecipientDecision) -> str:
    if d.denial_reason is not None:
        return d.denial_reason.value
    return f"dropped: {', '.join(d.dropped_fields)}" if d.dropped_fields else ""


def _pseudonym(keyring: Keyring, d: RecipientDecision, subject_reference: str) -> str:
    """The subject's pseudonym under the agreement delivering to d's recipient ("" if denied)."""
    if not d.receives or d.agreement_id is None:
        return ""
    return keyring.pseudonym(d.agreement_id, subject_reference)


async def _store(
    uow: UnitOfWork,
    keyring: Keyring,
    share_id: str,
    purpose: Purpose,
    cmd: SendShare,
    decisions: Sequence[RecipientDecision],
) -> Share:
    """The share row, its deliveries, sealed content and wrapped key; notices to recipients."""
    now = uow.clock.now()
    share = Share(
        id=share_id,
        sender_org_id=own_org(uow),
        sender_sub=uow.actor.sub,
        purpose_code=purpose.code,
        record_type=cmd.record_type,
        state=ShareState.ACTIVE,
        content_version=1,
        subject_index=keyring.subject_index(cmd.subject_reference),
        sent_at=now,
        expires_at=now + timedelta(days=purpose.retention_days),
        state_reason="",
        updated_at=now,
        deliveries=tuple(
            Delivery.of(d, _pseudonym(keyring, d, cmd.subject_reference)) for d in decisions
        ),
    )
    await rows.insert_share(uow.session, share)
    consent = cmd.consent.reference if cmd.consent.obtained else ""
    content = ShareContent(cmd.subject_reference, dict(cmd.fields), consent)
    await seal_first(uow.session, keyring, share_id, content, now)
    notify(uow, share, "delivered")
    return share


async def _send_inputs(
    uow: UnitOfWork, keyring: Keyring, cmd: SendShare, resource: str
) -> tuple[Purpose, RecordType]:
    """The purpose and record type of a valid request; refuses (recorded) missing consent."""
    purpose = await load_purpose(uow.session, cmd.purpose_code)
    record_type = RECORD_TYPES.get(cmd.record_type)
    violations = rules.send_violations(
        sender_id=own_org(uow),
        purpose=purpose,
        record_type=record_type,
        recipients=cmd.recipients,
        subject_reference=cmd.subject_reference,
        fields=cmd.fields,
        consent=cmd.consent,
    )
    invalid_if(violations, "the share request is not valid")
    assert purpose is not None and record_type is not None
    problem = rules.consent_problem(purpose, cmd.consent)
    if problem is not None:
        error = FailedPrecondition(problem, [Violation("consent", problem)])
        await refuse(
            uow,
            keyring,
            error,
            action=SEND,
            resource=resource,
            purpose=purpose.code,
            reason="consent_required",
        )
    return purpose, record_type


async def send_share(uow: UnitOfWork, keyring: Keyring, cmd: SendShare) -> SendResult:
    """Decide per recipient; store and notify when anyone receives anything; record every
    decision (denials too) in the audit chain."""
    share_id = new_id()
    resource = share_name(share_id)
    async with uow:
        sender = own_org(uow)
        await require_training(
            uow, keyring, action=SEND, resource=resource, purpose=cmd.purpose_code
        )
        purpose, record_type = await _send_inputs(uow, keyring, cmd, resource)
        agreements = await agreements_for_party(uow.session, sender)
        intent = ShareIntent(sender, purpose, record_type, tuple(cmd.fields), cmd.all_or_nothing)
        day = today(uow.clock)
        decisions = tuple(decide(intent, r, agreements, day) for r in cmd.recipients)
        share = None
        if any(d.receives for d in decisions):
            share = await _store(uow, keyring, share_id, purpose, cmd, decisions)
        await append(uow.session, keyring, _send_entries(uow, resource, purpose, decisions))
        await uow.commit()
    view = view_for(share, sender) if share is not None else None
    return SendResult(view, decisions)


# Reading ------------------------------------------------------------------------------------


async def visible_to_caller(
    uow: UnitOfWork, keyring: Keyring, share_id: str, action: str
) -> ShareView:
    """The share as the caller's organisation sees it; NotFound, recorded under the requested
    name and revealing nothing else, when it may not."""
    organisation_id = own_org(uow)
    try:
        return visible(await rows.load_share(uow.session, share_id), organisation_id, share_id)
    except NotFound as error:
        resource = share_name(share_id)
        await refuse(uow, keyring, error, action=action, resource=resource, reason="not_found")


async def _reloaded(uow: UnitOfWork, share_id: str) -> ShareView:
    """The share as the caller's organisation sees it after a change in this transaction."""
    return visible(await rows.load_share(uow.session, share_id), uow.actor.org_id, share_id)


async def _refuse_reading(
    uow: UnitOfWork,
    keyring: Keyring,
    share: Share,
    resource: str,
    reason: DenialReason,
    agreement_version: str,
) -> NoReturn:
    error = FailedPrecondition(
        f"the content cannot be read: {EXPLANATIONS[reason]}",
        [Violation("agreement", reason.value)],
    )
    await refuse(
        uow,
        keyring,
        error,
        action=FETCH,
        resource=resource,
        purpose=share.purpose_code,
        agreement_version=agreement_version,
        reason=reason.value,
    )


async def _allowed_now(
    uow: UnitOfWork, keyring: Keyring, view: ShareView, resource: str
) -> RecipientDecision:
    """The reader's delivered fields that the version of its agreement in force now still
    allows (the same decision as a send); refuses (recorded) when the agreement is not open or
    no longer allows any of them."""
    share, delivery = view.share, view.deliveries[0]
    agreement = await load_in_force(uow.session, delivery.agreement_id or "")
    purpose = await load_purpose(uow.session, share.purpose_code)
    if agreement is None or purpose is None:
        name = version_name(delivery.agreement_id, delivery.agreement_version)
        await _refuse_reading(uow, keyring, share, resource, DenialReason.TERMINATED, name)
    record_type = RECORD_TYPES[share.record_type]
    intent = ShareIntent(share.sender_org_id, purpose, record_type, delivery.allowed_fields)
    decision = decide(intent, delivery.recipient_id, [agreement], today(uow.clock))
    if decision.denial_reason is not None:
        name = version_name(agreement.agreement_id, agreement.version)
        await _refuse_reading(uow, keyring, share, resource, decision.denial_reason, name)
    return decision


async def refuse_unreadable(
    uow: UnitOfWork,
    keyring: Keyring,
    share: Share,
    resource: str,
    action: str,
    *,
    revoked_readable: bool = False,
) -> None:
    """Refuse (recorded) reading an erased or expired share, and a revoked one unless
    revoked_readable (the sender's DPO may still re-identify a revoked share's subject)."""
    why = rules.unreadable_reason(share.state, share.expires_at, uow.clock.now())
    if why == "revoked" and revoked_readable:
        why = rules.unreadable_reason(ShareState.ACTIVE, share.expires_at, uow.clock.now())
    if why is not None:
        error = FailedPrecondition(
            rules.UNREADABLE[why], [Violation("name", rules.UNREADABLE[why])]
        )
        await refuse(
            uow,
            keyring,
            error,
            action=action,
            resource=resource,
            purpose=share.purpose_code,
            reason=why,
        )


async def fetch_share(
    uow: UnitOfWork, keyring: Keyring, share_id: str, purpose_code: str
) -> FetchResult:
    """The latest content's fields the reader may see, for the share's own purpose only; a
    recipient gets those its delivery allowed that the agreement in force now still allows."""
    resource = share_name(share_id)
    async with uow:
        own_org(uow)
        await require_training(uow, keyring, action=FETCH, resource=resource, purpose=purpose_code)
        view = await visible_to_caller(uow, keyring, share_id, FETCH)
        share = view.share
        if purpose_code != share.purpose_code:
            error = FailedPrecondition(
                "purpose mismatch: the share was made for another purpose",
                [Violation("purpose", "must be the purpose the share was made for")],
            )
            await refuse(
                uow,
                keyring,
                error,
                action=FETCH,
                resource=resource,
                purpose=purpose_code,
                reason="purpose_mismatch",
            )
        await refuse_unreadable(uow, keyring, share, resource, FETCH)
        decision = None
        if share.sender_org_id != uow.actor.org_id:
            decision = await _allowed_now(uow, keyring, view, resource)
        content = await unseal_version(uow.session, keyring, share.id, share.content_version)
        version, fields, reason = "", content.fields, ""
        if decision is not None:
            version = version_name(decision.agreement_id, decision.version)
            fields = content.only(decision.allowed_fields)
            if decision.dropped_fields:
                reason = f"no longer allowed: {', '.join(decision.dropped_fields)}"
        entry = chain_entry(
            uow.actor,
            uow.clock.now(),
            action=FETCH,
            resource=resource,
            decision=Decision.ALLOWED,
            purpose=share.purpose_code,
            agreement_version=version,
            reason=reason,
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return FetchResult(view, fields, version)


# Obligations ---------------------------------------------------------------------------------


async def acknowledge_share(
    uow: UnitOfWork, keyring: Keyring, share_id: str, content_version: int
) -> ShareView:
    """The recipient confirms it has seen content_version (at most the current one)."""
    invalid_if(rules.acknowledge_violations(content_version), "the acknowledgement is not valid")
    resource = share_name(share_id)
    async with uow:
        own_org(uow)
        await require_training(uow, keyring, action=ACKNOWLEDGE, resource=resource)
        share = (await visible_to_caller(uow, keyring, share_id, ACKNOWLEDGE)).share
        delivery = share.received_by(uow.actor.org_id)
        if delivery is None:
            await refuse(
                uow,
                keyring,
                PermissionDenied("only a recipient acknowledges a share"),
                action=ACKNOWLEDGE,
                resource=resource,
                purpose=share.purpose_code,
                reason="not_a_recipient",
            )
        version = await checked(
            uow,
            keyring,
            lambda: rules.acknowledged(
                share.content_version, delivery.acknowledged_version, content_version
            ),
            action=ACKNOWLEDGE,
            resource=resource,
            purpose=share.purpose_code,
            reason="bad_content_version",
        )
        now = uow.clock.now()
        await rows.acknowledge(
            uow.session, share_id, delivery.recipient_id, version, now, uow.actor.sub
        )
        acknowledged = await _reloaded(uow, share_id)
        entry = chain_entry(
            uow.actor,
            now,
            action=ACKNOWLEDGE,
            resource=resource,
            decision=Decision.RECORDED,
            purpose=share.purpose_code,
            reason=f"content version {version}",
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return acknowledged


async def _sent(uow: UnitOfWork, keyring: Keyring, share_id: str, action: str, done: str) -> Share:
    """The share if the caller's organisation sent it, still active; refusals are recorded
    (PermissionDenied for its recipients, FailedPrecondition once revoked or erased)."""
    share = (await visible_to_caller(uow, keyring, share_id, action)).share
    resource = share_name(share_id)
    if share.sender_org_id != uow.actor.org_id:
        await refuse(
            uow,
            keyring,
            PermissionDenied("only the sending organisation corrects or revokes a share"),
            action=action,
            resource=resource,
            purpose=share.purpose_code,
            reason="not_the_sender",
        )
    await checked(
        uow,
        keyring,
        lambda: rules.check_active(share.state, done),
        action=action,
        resource=resource,
        purpose=share.purpose_code,
        reason=share.state.value,
    )
    return share


def notify(uow: UnitOfWork, share: Share, event: str) -> None:
    """Tell every recipient of share: nlc.infoshare.share.<event>.<recipient org>."""
    now = uow.clock.now()
    for d in share.receiving:
        uow.emit(f"{SUBJECT}.{event}.{d.recipient_id}", share_notice(share, d.recipient_id, now))


async def _record(
    uow: UnitOfWork, keyring: Keyring, share: Share, action: str, reason: str
) -> None:
    entry = chain_entry(
        uow.actor,
        uow.clock.now(),
        action=action,
        resource=share_name(share.id),
        decision=Decision.RECORDED,
        purpose=share.purpose_code,
        reason=reason,
    )
    await append(uow.session, keyring, [entry])


async def correct_share(
    uow: UnitOfWork, keyring: Keyring, share_id: str, changes: Mapping[str, str], reason: str
) -> ShareView:
    """A new content version (fields not named keep their value, none is added); every
    recipient is told."""
    invalid_if(rules.reason_violations(reason), "the correction is not valid")
    resource = share_name(share_id)
    async with uow:
        own_org(uow)
        await require_training(uow, keyring, action=CORRECT, resource=resource)
        share = await _sent(uow, keyring, share_id, CORRECT, "corrected")
        await refuse_unreadable(uow, keyring, share, resource, CORRECT)
        current = await unseal_version(uow.session, keyring, share.id, share.content_version)
        record_type = RECORD_TYPES[share.record_type]
        merged, violations = rules.corrected_fields(record_type, current.fields, changes)
        invalid_if(violations, "the correction is not valid")
        version, now = share.content_version + 1, uow.clock.now()
        if not await rows.bump_content_version(uow.session, share.id, share.content_version, now):
            raise Conflict("the share was changed meanwhile; reload and retry")
        content = replace(current, fields=merged)
        await seal_version(uow.session, keyring, share.id, version, content, now)
        corrected = await _reloaded(uow, share_id)
        notify(uow, corrected.share, "corrected")
        await _record(uow, keyring, corrected.share, CORRECT, reason)
        await uow.commit()
    return corrected


async def revoke_share(uow: UnitOfWork, keyring: Keyring, share_id: str, reason: str) -> ShareView:
    """The content can no longer be read by anyone; every recipient is told."""
    invalid_if(rules.reason_violations(reason), "the revocation is not valid")
    resource = share_name(share_id)
    async with uow:
        own_org(uow)
        await require_training(uow, keyring, action=REVOKE, resource=resource)
        share = await _sent(uow, keyring, share_id, REVOKE, "revoked")
        moved = await rows.move_state(
            uow.session,
            share.id,
            from_states=[share.state],
            to=rules.revoked(share.state),
            reason=reason,
            at=uow.clock.now(),
        )
        if not moved:
            raise Conflict("the share was changed meanwhile; reload and retry")
        revoked = await _reloaded(uow, share_id)
        notify(uow, revoked.share, "revoked")
        await _record(uow, keyring, revoked.share, REVOKE, reason)
        await uow.commit()
    return revoked
