"""The daily reminder digest: one digest (and one event) per organisation with reminders today."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.uow import UnitOfWork
from services.reporting.convert.cycles import REMINDERS_DIGESTED, digest_name, reminders_digested
from services.reporting.domain.reminders import Digest, digests, reminder_due_dates
from services.reporting.orm import obligation_rows as rows

log = logging.getLogger(__name__)


async def _pending(sessions: async_sessionmaker[AsyncSession], today: date) -> list[Digest]:
    """Today's digests of organisations that have none stored yet."""
    async with sessions() as session:
        expected = await rows.expected_due_on(session, reminder_due_dates(today))
        done = await rows.digested_organisations(session, today)
    return [d for d in digests(expected, today) if d.organisation_id not in done]


async def _send(uow: UnitOfWork, digest: Digest) -> bool:
    """Store and announce one digest; False when another pass stored it first."""
    try:
        async with uow:
            await rows.insert_digest(uow.session, digest, uow.clock.now())
            uow.emit(REMINDERS_DIGESTED, reminders_digested(digest))
            uow.audit(
                digest_name(digest.organisation_id, digest.day),
                "digested",
                {"reminders": len(digest.reminders)},
            )
            await uow.commit()
    except IntegrityError:
        log.info("reminder digest %s already sent", digest_name(digest.organisation_id, digest.day))
        return False
    return True


async def digest_reminders(
    sessions: async_sessionmaker[AsyncSession], new_uow: Callable[[], UnitOfWork], today: date
) -> int:
    """Send today's digests not sent yet (read through sessions), one unit of work per
    organisation; returns how many were sent (none on a second pass the same day)."""
    sent = 0
    for digest in await _pending(sessions, today):
        sent += await _send(new_uow(), digest)
    return sent
