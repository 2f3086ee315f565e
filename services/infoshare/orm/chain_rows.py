"""Appending to and reading back the audit chain: one locked head, rows linked in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import FailedPrecondition
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import (
    ChainEntry,
    ChainHead,
    ChainVerdict,
    ChainWalk,
    Decision,
    StoredLink,
    link_hash,
)
from services.infoshare.orm.tables import audit_chain, audit_chain_head

HEAD_ID = 1
VERIFY_BATCH = 1000


class ChainHeadAltered(FailedPrecondition):
    """The head's seal does not vouch for it: linking after it would hide the tampering, so every
    audited action is refused (fail closed) until the chain is repaired."""


def _select_head() -> Select[Any]:
    c = audit_chain_head.c
    return select(c.sequence, c.hash, c.seal).where(c.id == HEAD_ID)


def _chain_head(row: Any) -> ChainHead:
    return ChainHead(int(row.sequence), row.hash, row.seal)


async def append(session: AsyncSession, keyring: Keyring, entries: Sequence[ChainEntry]) -> None:
    """Link entries after the chain's head and move the head (sealed), in the session's
    transaction; the head row stays locked until it ends, so concurrent appends queue instead
    of forking. A head whose seal fails is refused: nothing is recorded after a rewound head."""
    if not entries:
        return
    head = _chain_head((await session.execute(_select_head().with_for_update())).one())
    if not head.is_genuine(keyring.chain_key):
        raise ChainHeadAltered(
            "the audit chain's head was altered: nothing more can be recorded until it is "
            "repaired; ask an auditor to verify the chain"
        )
    sequence, previous = head.sequence, head.hash
    rows: list[dict[str, Any]] = []
    for entry in entries:
        sequence += 1
        linked = link_hash(keyring.chain_key, previous, sequence, entry)
        rows.append(_row(sequence, entry, previous, linked))
        previous = linked
    await session.execute(audit_chain.insert(), rows)
    moved = ChainHead.sealed(keyring.chain_key, sequence, previous)
    await session.execute(
        update(audit_chain_head)
        .where(audit_chain_head.c.id == HEAD_ID)
        .values(sequence=moved.sequence, hash=moved.hash, seal=moved.seal)
    )


def _row(sequence: int, entry: ChainEntry, previous_hash: str, linked: str) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "occurred_at": entry.occurred_at,
        "actor_sub": entry.actor_sub,
        "actor_username": entry.actor_username,
        "actor_org_id": entry.actor_org_id,
        "token_id": entry.token_id,
        "action": entry.action,
        "resource": entry.resource,
        "purpose": entry.purpose,
        "agreement_version": entry.agreement_version,
        "decision": str(entry.decision),
        "reason": entry.reason,
        "previous_hash": previous_hash,
        "hash": linked,
    }


def stored_link(row: Any) -> StoredLink:
    """A row of audit_chain as a StoredLink."""
    entry = ChainEntry(
        occurred_at=row.occurred_at,
        actor_sub=row.actor_sub,
        actor_username=row.actor_username,
        actor_org_id=row.actor_org_id,
        token_id=row.token_id,
        action=row.action,
        resource=row.resource,
        decision=_decision(row.decision),
        purpose=row.purpose,
        agreement_version=row.agreement_version,
        reason=row.reason,
    )
    return StoredLink(int(row.sequence), entry, row.previous_hash, row.hash)


def _decision(value: str) -> Decision:
    """The stored decision; an unknown (tampered) value is kept as is, so its hash fails."""
    try:
        return Decision(value)
    except ValueError:
        return value  # type: ignore[return-value]


async def _head(session: AsyncSession) -> ChainHead:
    return _chain_head((await session.execute(_select_head())).one())


async def _batch(session: AsyncSession, after: int) -> list[StoredLink]:
    result = await session.execute(
        select(audit_chain)
        .where(audit_chain.c.sequence > after)
        .order_by(audit_chain.c.sequence)
        .limit(VERIFY_BATCH)
    )
    return [stored_link(row) for row in result]


async def verify_chain(session: AsyncSession, keyring: Keyring) -> ChainVerdict:
    """Walk the whole chain in batches; rows appended meanwhile are walked too before the head
    is compared, so a verification beside live traffic does not report a false break."""
    walk = ChainWalk(keyring.chain_key)
    while True:
        batch = await _batch(session, walk.last_sequence)
        if not batch:
            head = await _head(session)
            if head.sequence <= walk.last_sequence:
                return walk.finish(head)
            batch = await _batch(session, walk.last_sequence)
            if not batch:
                return walk.finish(head)
        for link in batch:
            broken = walk.step(link)
            if broken is not None:
                return broken
