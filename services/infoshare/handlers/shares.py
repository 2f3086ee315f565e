"""Share use cases: send (decide per recipient, seal, notify), fetch (only allowed fields, only
while the agreement is open), acknowledge, correct and revoke. Every decision and read is linked
into the audit chain as the last step of its transaction; refusals are recorded too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from services.common.clock import today
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    PermissionDenied,
    Violation,
)
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.infoshare.convert.shares import share_name, share_notice, version_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain import share_rules as rules
from services.infoshare.domain.agreements import SharingStatus
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
from services.infoshare.handlers.gate import invalid_if, own_org, refuse, require_training
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
    """One entry per recipient: the decision, the agreement version relied on, the reason."""
    now = uow.clock.now()
    return [
        chain_entry(
            uow.actor,
            now,
            action=SEND,
            resource=resource,
            decision=DECISIONS[d.outcome],
            purpose=purpose.code,
            agreement_version=version_name(d.agreement_id, d.version),
            reason=_decision_reason(d),
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
    content = ShareContent(cmd.subject_reference, dict(cmd.fields))
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
        await require_training(uow, keyring, action=SEND, resource=resource)
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


async def _visible(uow: UnitOfWork, share_id: str) -> ShareView:
    """The share as the caller's organisation sees it; NotFound if it may not."""
    return visible(await rows.load_share(uow.session, share_id), uow.actor.org_id, share_id)


async def _open_agreement_version(
    uow: UnitOfWork, keyring: Keyring, view: ShareView, resource: str
) -> str:
    """The agreement version the reader's delivery relied on, refusing (recorded) when that
    agreement no longer lets information be shared; "" for the sender."""
    if view.share.sender_org_id == uow.actor.org_id:
        return ""
    delivery = view.deliveries[0]
    name = version_name(delivery.agreement_id, delivery.agreement_version)
    found = await load_in_force(uow.session, delivery.agreement_id or "")
    status = found.sharing_status(today(uow.clock)) if found else SharingStatus.TERMINATED
    if status is not SharingStatus.OPEN:
        reason = DenialReason(status.value)
        error = FailedPrecondition(
            f"the content cannot be read: {EXPLANATIONS[reason]}",
            [Violation("agreement", status.value)],
        )
        await refuse(
            uow,
            keyring,
            error,
            action=FETCH,
            resource=resource,
            purpose=view.share.purpose_code,
            agreement_version=name,
            reason=status.value,
        )
    return name


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
    """The latest content's fields the reader may see, for the share's own purpose only."""
    resource = share_name(share_id)
    async with uow:
        await require_training(uow, keyring, action=FETCH, resource=resource, purpose=purpose_code)
        view = await _visible(uow, share_id)
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
        version = await _open_agreement_version(uow, keyring, view, resource)
        content = await unseal_version(uow.session, keyring, share.id, share.content_version)
        sender_reads = share.sender_org_id == uow.actor.org_id
        fields = content.fields if sender_reads else content.only(view.deliveries[0].allowed_fields)
        entry = chain_entry(
            uow.actor,
            uow.clock.now(),
            action=FETCH,
            resource=resource,
            decision=Decision.ALLOWED,
            purpose=share.purpose_code,
            agreement_version=version,
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return FetchResult(view, fields, version)


# Obligations ---------------------------------------------------------------------------------


async def acknowledge_share(
    uow: UnitOfWork, keyring: Keyring, share_id: str, content_version: int
) -> ShareView:
    """The recipient confirms it has seen content_version (at most the current one)."""
    resource = share_name(share_id)
    async with uow:
        await require_training(uow, keyring, action=ACKNOWLEDGE, resource=resource)
        view = await _visible(uow, share_id)
        delivery = view.share.received_by(uow.actor.org_id)
        if delivery is None:
            raise PermissionDenied("only a recipient acknowledges a share")
        version = rules.acknowledged(
            view.share.content_version, delivery.acknowledged_version, content_version
        )
        now = uow.clock.now()
        await rows.acknowledge(
            uow.session, share_id, delivery.recipient_id, version, now, uow.actor.sub
        )
        acknowledged = await _visible(uow, share_id)
        entry = chain_entry(
            uow.actor,
            now,
            action=ACKNOWLEDGE,
            resource=resource,
            decision=Decision.RECORDED,
            purpose=view.share.purpose_code,
            reason=f"content version {version}",
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return acknowledged


async def _sent(uow: UnitOfWork, share_id: str, doing: str) -> Share:
    """The share if the caller's organisation sent it (PermissionDenied for its recipients)."""
    view = await _visible(uow, share_id)
    if view.share.sender_org_id != uow.actor.org_id:
        raise PermissionDenied(f"only the sending organisation {doing} a share")
    return view.share


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
    """A new content version (fields not named keep their value); every recipient is told."""
    invalid_if(rules.reason_violations(reason), "the correction is not valid")
    resource = share_name(share_id)
    async with uow:
        await require_training(uow, keyring, action=CORRECT, resource=resource)
        share = await _sent(uow, share_id, "corrects")
        rules.check_active(share.state, "corrected")
        await refuse_unreadable(uow, keyring, share, resource, CORRECT)
        current = await unseal_version(uow.session, keyring, share.id, share.content_version)
        record_type = RECORD_TYPES[share.record_type]
        merged, violations = rules.corrected_fields(record_type, current.fields, changes)
        invalid_if(violations, "the correction is not valid")
        version, now = share.content_version + 1, uow.clock.now()
        if not await rows.bump_content_version(uow.session, share.id, share.content_version, now):
            raise Conflict("the share was changed meanwhile; reload and retry")
        content = ShareContent(current.subject_reference, merged)
        await seal_version(uow.session, keyring, share.id, version, content, now)
        corrected = await _visible(uow, share_id)
        notify(uow, corrected.share, "corrected")
        await _record(uow, keyring, corrected.share, CORRECT, reason)
        await uow.commit()
    return corrected


async def revoke_share(uow: UnitOfWork, keyring: Keyring, share_id: str, reason: str) -> ShareView:
    """The content can no longer be read by anyone; every recipient is told."""
    invalid_if(rules.reason_violations(reason), "the revocation is not valid")
    resource = share_name(share_id)
    async with uow:
        await require_training(uow, keyring, action=REVOKE, resource=resource)
        share = await _sent(uow, share_id, "revokes")
        to = rules.revoked(share.state)
        moved = await rows.move_state(
            uow.session,
            share.id,
            from_states=[share.state],
            to=to,
            reason=reason,
            at=uow.clock.now(),
        )
        if not moved:
            raise Conflict("the share was changed meanwhile; reload and retry")
        revoked = await _visible(uow, share_id)
        notify(uow, revoked.share, "revoked")
        await _record(uow, keyring, revoked.share, REVOKE, reason)
        await uow.commit()
    return revoked
