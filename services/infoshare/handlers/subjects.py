"""Subject requests, for an organisation's data-protection officer: every share about a subject
(access), crypto-shredding what the organisation sent about it (erasure), and revealing the
subject reference behind a share's pseudonym (re-identification). Each is on the record."""

from __future__ import annotations

from services.common.errors import PermissionDenied, invalid_if
from services.common.uow import UnitOfWork
from services.infoshare.convert.shares import share_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain import share_rules as rules
from services.infoshare.domain.chain import Decision
from services.infoshare.handlers.gate import own_org, refuse, require_training
from services.infoshare.handlers.retention import shred_share
from services.infoshare.handlers.sealing import unseal_version
from services.infoshare.handlers.shares import refuse_unreadable, visible_to_caller
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm import share_rows as rows
from services.infoshare.orm.chain_rows import append
from services.infoshare.queries.shares import ShareView, subject_shares

FIND, ERASE, REIDENTIFY = "subject.find", "subject.erase", "subject.reidentify"
# The state reason recipients see on a share erased at its subject's request; the officer's own
# words stay in the audit chain.
SUBJECT_ERASURE = "subject_erasure"


def subject_resource(subject_index: str) -> str:
    """How the chain names a subject: by its keyed blind index, never in clear."""
    return f"subjects/{subject_index}"


async def find_subject_shares(
    uow: UnitOfWork, keyring: Keyring, subject_reference: str
) -> list[ShareView]:
    """Every share about the subject the caller's organisation sent or received."""
    invalid_if(rules.subject_violations(subject_reference), "the subject request is not valid")
    index = keyring.subject_index(subject_reference)
    resource = subject_resource(index)
    async with uow:
        org = own_org(uow)
        await require_training(uow, keyring, action=FIND, resource=resource)
        views = await subject_shares(uow.session, org, index)
        entry = chain_entry(
            uow.actor,
            uow.clock.now(),
            action=FIND,
            resource=resource,
            decision=Decision.RECORDED,
            reason=f"{len(views)} share(s) listed",
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return views


async def erase_subject(
    uow: UnitOfWork, keyring: Keyring, subject_reference: str, reason: str
) -> list[str]:
    """Crypto-shred every share the caller's organisation sent about the subject; their ids."""
    violations = rules.subject_violations(subject_reference) + rules.reason_violations(reason)
    invalid_if(violations, "the erasure request is not valid")
    index = keyring.subject_index(subject_reference)
    resource = subject_resource(index)
    async with uow:
        org = own_org(uow)
        await require_training(uow, keyring, action=ERASE, resource=resource)
        ids = await rows.sent_share_ids_about(uow.session, org, index)
        entries, erased = [], []
        for share in await rows.load_shares(uow.session, ids):
            entry = await shred_share(uow, share, SUBJECT_ERASURE, detail=reason)
            if entry is not None:
                entries.append(entry)
                erased.append(share.id)
        request = chain_entry(
            uow.actor,
            uow.clock.now(),
            action=ERASE,
            resource=resource,
            decision=Decision.RECORDED,
            reason=f"{len(erased)} share(s) erased: {reason}",
        )
        await append(uow.session, keyring, [request, *entries])
        await uow.commit()
    return erased


async def reidentify_subject(uow: UnitOfWork, keyring: Keyring, share_id: str, reason: str) -> str:
    """The subject reference the sender gave, for the sending organisation's DPO only."""
    invalid_if(rules.reason_violations(reason), "the re-identification request is not valid")
    resource = share_name(share_id)
    async with uow:
        own_org(uow)
        await require_training(uow, keyring, action=REIDENTIFY, resource=resource)
        share = (await visible_to_caller(uow, keyring, share_id, REIDENTIFY)).share
        if share.sender_org_id != uow.actor.org_id:
            await refuse(
                uow,
                keyring,
                PermissionDenied("only the sending organisation's DPO re-identifies a subject"),
                action=REIDENTIFY,
                resource=resource,
                purpose=share.purpose_code,
                reason="not_the_sender",
            )
        await refuse_unreadable(uow, keyring, share, resource, REIDENTIFY, revoked_readable=True)
        content = await unseal_version(uow.session, keyring, share.id, share.content_version)
        entry = chain_entry(
            uow.actor,
            uow.clock.now(),
            action=REIDENTIFY,
            resource=resource,
            decision=Decision.ALLOWED,
            purpose=share.purpose_code,
            reason=reason,
        )
        await append(uow.session, keyring, [entry])
        await uow.commit()
    return content.subject_reference
