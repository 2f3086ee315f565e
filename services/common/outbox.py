"""Transactional outbox: events staged with the state change, relayed to JetStream afterwards.

Rows are published in `seq` order and marked only after JetStream's PubAck. A crash between
publishing and marking re-publishes the row; the `Nats-Msg-Id` header (the row id) makes
JetStream drop that copy. On PostgreSQL the relays of a service's replicas take turns: a pass
runs only while it holds the schema's outbox advisory lock, so events keep their order and no row
is published twice at once; pending rows are claimed with `FOR UPDATE SKIP LOCKED` besides.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from google.protobuf.message import Message
from nats.js import JetStreamContext
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clock import Clock, SystemClock
from services.common.kit_tables import outbox

log = logging.getLogger(__name__)

MSG_ID_HEADER = "Nats-Msg-Id"
EVENT_TYPE_HEADER = "Nlc-Event-Type"
OCCURRED_AT_HEADER = "Nlc-Occurred-At"
MAX_BACKOFF_S = 5.0
# How soon a relay tries again after finding another replica's relay publishing.
TURN_RETRY_S = 0.02


def outbox_values(subject: str, message: Message, occurred_at: datetime) -> dict[str, Any]:
    """The outbox row of message, to insert with the state change; its "id" is the event id."""
    return {
        "id": str(uuid.uuid4()),
        "subject": subject,
        "event_type": message.DESCRIPTOR.full_name,
        "payload": message.SerializeToString(),
        "occurred_at": occurred_at,
    }


def event_headers(event_id: str, event_type: str, occurred_at: datetime) -> dict[str, str]:
    """The JetStream headers of one outbox row."""
    return {
        MSG_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
        OCCURRED_AT_HEADER: occurred_at.isoformat(),
    }


def _on_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def _relay_turn(session: AsyncSession) -> bool:
    """PostgreSQL: whether this relay may publish now (the lock lasts until the transaction ends).
    Other databases have one relay per file and always may."""
    if not _on_postgres(session):
        return True
    taken = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtext('nlc-outbox:' || current_schema()))")
    )
    return bool(taken.scalar())


class OutboxRelay:
    """Publishes pending outbox rows to JetStream, waiting for each PubAck before marking it."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        js: JetStreamContext,
        *,
        batch: int = 100,
        idle_poll_s: float = 0.5,
        publish_timeout_s: float = 5.0,
        clock: Clock | None = None,
    ) -> None:
        self._sessions = sessions
        self._js = js
        self._batch = batch
        self._idle_poll_s = idle_poll_s
        self._publish_timeout_s = publish_timeout_s
        self._clock = clock or SystemClock()
        self._wake = asyncio.Event()
        self.duplicates = 0

    def wake(self) -> None:
        """Ask the running relay to look for new rows now (call after a commit)."""
        self._wake.set()

    async def publish_pending(self) -> int:
        """One pass: publish up to `batch` pending rows; returns how many were marked published.

        Raises the publish error (after marking the rows already acknowledged) when NATS fails.
        """
        return await self._pass() or 0

    async def _pass(self) -> int | None:
        """publish_pending, or None when another replica's relay has the turn."""
        async with self._sessions() as session:
            if not await _relay_turn(session):
                return None
            rows = await self._claim(session)
            if not _on_postgres(session):
                # SQLite: do not hold the database write lock while talking to NATS.
                await session.commit()
            sent, error = await self._publish(rows)
            if sent:
                await session.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(sent))
                    .values(published_at=self._clock.now())
                )
            await session.commit()
        if error is not None:
            raise error
        return len(sent)

    async def run(self) -> None:
        """Relay until cancelled; while NATS is down keep every row and retry with backoff."""
        backoff = self._idle_poll_s
        while True:
            self._wake.clear()
            try:
                published = await self._pass()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox relay: publish failed, retrying in %.1fs: %r", backoff, exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            backoff = self._idle_poll_s
            if published is None:
                await asyncio.sleep(TURN_RETRY_S)
            elif published < self._batch:
                await self._idle()

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._idle_poll_s)

    async def _claim(self, session: AsyncSession) -> Sequence[Any]:
        query = (
            select(
                outbox.c.id,
                outbox.c.subject,
                outbox.c.event_type,
                outbox.c.payload,
                outbox.c.occurred_at,
            )
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.seq)
            .limit(self._batch)
        )
        if _on_postgres(session):
            query = query.with_for_update(skip_locked=True)
        return (await session.execute(query)).all()

    async def _publish(self, rows: Sequence[Any]) -> tuple[list[str], Exception | None]:
        """Send every row in seq order without waiting, then collect the PubAcks together.

        Returns the ids JetStream acknowledged and the first failure, if any; rows without an
        acknowledgement stay pending and are sent again (JetStream drops a stored copy by id).
        """
        acks: list[tuple[str, asyncio.Future[Any]]] = []
        error: Exception | None = None
        for row in rows:
            try:
                ack = await self._js.publish_async(
                    row.subject,
                    row.payload,
                    wait_stall=self._publish_timeout_s,
                    headers=event_headers(row.id, row.event_type, row.occurred_at),
                )
            except Exception as exc:
                error = exc
                break
            acks.append((row.id, ack))
        if acks:
            await asyncio.wait([ack for _, ack in acks], timeout=self._publish_timeout_s)
        sent: list[str] = []
        for row_id, ack in acks:
            if not ack.done():
                ack.cancel()
                error = error or TimeoutError(f"no PubAck for event {row_id}")
            elif ack.cancelled() or ack.exception() is not None:
                error = error or (ack.exception() or TimeoutError(f"event {row_id} cancelled"))
            else:
                self.duplicates += bool(ack.result().duplicate)
                sent.append(row_id)
        return sent, error
