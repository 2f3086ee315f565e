"""Crypto-shredding: a share's wrapped data key and sealed content are deleted, the record of the
share and its audit trail remain. Run on schedule for shares past retention, and on request for
a subject's erasure."""

from __future__ import annotations

from services.common.uow import UnitOfWork
from services.infoshare.convert.shares import share_name
from services.infoshare.crypto.keyring import Keyring
from services.infoshare.domain.chain import ChainEntry, Decision
from services.infoshare.domain.shares import Share, ShareState
from services.infoshare.handlers.shares import notify
from services.infoshare.handlers.trail import chain_entry
from services.infoshare.orm import share_rows as rows
from services.infoshare.orm.chain_rows import append

ERASE = "share.erase"
RETENTION_BATCH = 100
ERASABLE = (ShareState.ACTIVE, ShareState.REVOKED)


async def shred_share(
    uow: UnitOfWork, share: Share, reason: str, *, detail: str = ""
) -> ChainEntry | None:
    """Erase share's content and tell its recipients; the chain entry to append, or None when
    another transaction erased it first. reason (a fixed code) is the share's state reason its
    recipients see; detail (free text) goes only into the chain entry."""
    now = uow.clock.now()
    moved = await rows.move_state(
        uow.session, share.id, from_states=ERASABLE, to=ShareState.ERASED, reason=reason, at=now
    )
    if not moved:
        return None
    await rows.shred(uow.session, share.id)
    notify(uow, share, "erased")
    return chain_entry(
        uow.actor,
        now,
        action=ERASE,
        resource=share_name(share.id),
        decision=Decision.RECORDED,
        purpose=share.purpose_code,
        reason=f"{reason}: {detail}" if detail else reason,
    )


async def erase_expired(uow: UnitOfWork, keyring: Keyring) -> int:
    """Crypto-shred up to RETENTION_BATCH shares whose retention ended; how many it erased."""
    async with uow:
        ids = await rows.expired_share_ids(uow.session, uow.clock.now(), RETENTION_BATCH)
        entries = []
        for share in await rows.load_shares(uow.session, ids):
            entry = await shred_share(uow, share, "retention_expired")
            if entry is not None:
                entries.append(entry)
        await append(uow.session, keyring, entries)
        await uow.commit()
    return len(entries)
