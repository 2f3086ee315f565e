"""Rows of `shares`, `deliveries`, `share_contents` and `share_keys` to and from the domain.
State changes are guarded by the state they start from, so replicas never apply one twice."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.resource_names import as_utc
from services.infoshare.domain.policy import DenialReason, Outcome
from services.infoshare.domain.shares import Delivery, Share, ShareState
from services.infoshare.orm.tables import deliveries, share_contents, share_keys, shares


def _delivery(row: Any) -> Delivery:
    return Delivery(
        recipient_id=row.recipient_org_id,
        outcome=Outcome(row.outcome),
        denial_reason=DenialReason(row.denial_reason) if row.denial_reason else None,
        explanation=row.explanation,
        allowed_fields=tuple(row.allowed_fields),
        dropped_fields=tuple(row.dropped_fields),
        agreement_id=row.agreement_id,
        agreement_version=row.agreement_version,
        pseudonym=row.pseudonym,
        acknowledged_version=row.acknowledged_version,
        acknowledged_at=as_utc(row.acknowledged_at) if row.acknowledged_at else None,
        acknowledged_by=row.acknowledged_by,
    )


def share_from_row(row: Any, delivery_rows: Iterable[Any] = ()) -> Share:
    return Share(
        id=row.id,
        sender_org_id=row.sender_org_id,
        sender_sub=row.sender_sub,
        purpose_code=row.purpose_code,
        record_type=row.record_type,
        state=ShareState(row.state),
        content_version=row.content_version,
        subject_index=row.subject_index,
        sent_at=as_utc(row.sent_at),
        expires_at=as_utc(row.expires_at),
        state_reason=row.state_reason,
        updated_at=as_utc(row.updated_at),
        deliveries=tuple(_delivery(d) for d in delivery_rows),
    )


async def load_shares(session: AsyncSession, share_ids: Iterable[str]) -> list[Share]:
    """The shares with these ids (those that exist), with their deliveries, in the ids' order."""
    wanted = list(dict.fromkeys(share_ids))
    if not wanted:
        return []
    found = {r.id: r for r in await session.execute(select(shares).where(shares.c.id.in_(wanted)))}
    by_share: dict[str, list[Any]] = {}
    query = (
        select(deliveries)
        .where(deliveries.c.share_id.in_(wanted))
        .order_by(deliveries.c.share_id, deliveries.c.recipient_org_id)
    )
    for d in await session.execute(query):
        by_share.setdefault(d.share_id, []).append(d)
    return [share_from_row(found[i], by_share.get(i, ())) for i in wanted if i in found]


async def load_share(session: AsyncSession, share_id: str) -> Share | None:
    """The share with its deliveries, or None."""
    found = await load_shares(session, [share_id])
    return found[0] if found else None


def _delivery_values(share_id: str, d: Delivery) -> dict[str, Any]:
    return {
        "share_id": share_id,
        "recipient_org_id": d.recipient_id,
        "outcome": d.outcome.value,
        "denial_reason": d.denial_reason.value if d.denial_reason else "",
        "explanation": d.explanation,
        "allowed_fields": list(d.allowed_fields),
        "dropped_fields": list(d.dropped_fields),
        "agreement_id": d.agreement_id,
        "agreement_version": d.agreement_version,
        "pseudonym": d.pseudonym,
        "acknowledged_version": d.acknowledged_version,
        "acknowledged_at": d.acknowledged_at,
        "acknowledged_by": d.acknowledged_by,
    }


async def insert_share(session: AsyncSession, share: Share) -> None:
    """A new share and its deliveries."""
    await session.execute(
        insert(shares).values(
            id=share.id,
            sender_org_id=share.sender_org_id,
            sender_sub=share.sender_sub,
            purpose_code=share.purpose_code,
            record_type=share.record_type,
            state=share.state.value,
            content_version=share.content_version,
            subject_index=share.subject_index,
            sent_at=share.sent_at,
            expires_at=share.expires_at,
            state_reason=share.state_reason,
            updated_at=share.updated_at,
        )
    )
    await session.execute(
        insert(deliveries), [_delivery_values(share.id, d) for d in share.deliveries]
    )


async def insert_key(session: AsyncSession, share_id: str, kek_id: str, wrapped: bytes) -> None:
    await session.execute(
        insert(share_keys).values(share_id=share_id, kek_id=kek_id, wrapped_key=wrapped)
    )


async def load_key(session: AsyncSession, share_id: str) -> tuple[str, bytes] | None:
    """The id of the key-encryption key and the share's wrapped data key; None once shredded."""
    query = select(share_keys.c.kek_id, share_keys.c.wrapped_key).where(
        share_keys.c.share_id == share_id
    )
    stored = (await session.execute(query)).first()
    return None if stored is None else (stored.kek_id, stored.wrapped_key)


async def insert_content(
    session: AsyncSession,
    share_id: str,
    content_version: int,
    sealed: tuple[bytes, bytes],
    at: datetime,
) -> None:
    nonce, ciphertext = sealed
    await session.execute(
        insert(share_contents).values(
            share_id=share_id,
            content_version=content_version,
            nonce=nonce,
            ciphertext=ciphertext,
            created_at=at,
        )
    )


async def load_content(
    session: AsyncSession, share_id: str, content_version: int
) -> tuple[bytes, bytes] | None:
    """(nonce, ciphertext) of one content version, or None."""
    c = share_contents.c
    query = select(c.nonce, c.ciphertext).where(
        c.share_id == share_id, c.content_version == content_version
    )
    row = (await session.execute(query)).first()
    return (row.nonce, row.ciphertext) if row else None


async def move_state(
    session: AsyncSession,
    share_id: str,
    *,
    from_states: Iterable[ShareState],
    to: ShareState,
    reason: str,
    at: datetime,
) -> bool:
    """Set the share's state if it is still in one of from_states; True when it was."""
    result = await session.execute(
        update(shares)
        .where(shares.c.id == share_id, shares.c.state.in_([s.value for s in from_states]))
        .values(state=to.value, state_reason=reason, updated_at=at)
    )
    return result.rowcount == 1


async def bump_content_version(
    session: AsyncSession, share_id: str, current: int, at: datetime
) -> bool:
    """current + 1 if the share is active at current; True when it was."""
    result = await session.execute(
        update(shares)
        .where(
            shares.c.id == share_id,
            shares.c.content_version == current,
            shares.c.state == ShareState.ACTIVE.value,
        )
        .values(content_version=current + 1, updated_at=at)
    )
    return result.rowcount == 1


async def shred(session: AsyncSession, share_id: str) -> None:
    """Delete the wrapped data key and every sealed content version: the content is gone."""
    await session.execute(delete(share_keys).where(share_keys.c.share_id == share_id))
    await session.execute(delete(share_contents).where(share_contents.c.share_id == share_id))


async def acknowledge(
    session: AsyncSession, share_id: str, recipient_id: str, version: int, at: datetime, by: str
) -> None:
    """Record the recipient's acknowledgement of version, unless a concurrent one already
    acknowledged a later version (it never moves backwards)."""
    d = deliveries.c
    key = and_(d.share_id == share_id, d.recipient_org_id == recipient_id)
    await session.execute(
        update(deliveries)
        .where(key, d.acknowledged_version <= version)
        .values(acknowledged_version=version, acknowledged_at=at, acknowledged_by=by)
    )


async def expired_share_ids(session: AsyncSession, now: datetime, limit: int) -> list[str]:
    """Shares past retention whose content is not erased yet, oldest expiry first."""
    query = (
        select(shares.c.id)
        .where(
            shares.c.expires_at <= now,
            shares.c.state.in_([ShareState.ACTIVE.value, ShareState.REVOKED.value]),
        )
        .order_by(shares.c.expires_at, shares.c.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def sent_share_ids_about(
    session: AsyncSession, sender_org_id: str, subject_index: str
) -> list[str]:
    """Shares sender_org_id sent about the subject whose content is not erased yet."""
    query = (
        select(shares.c.id)
        .where(
            shares.c.sender_org_id == sender_org_id,
            shares.c.subject_index == subject_index,
            shares.c.state != ShareState.ERASED.value,
        )
        .order_by(shares.c.sent_at, shares.c.id)
    )
    return list(await session.scalars(query))
