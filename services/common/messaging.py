"""NATS connection, per-service JetStream streams, the event envelope and the consumer runner.

A consumer handler is `async def handler(session: AsyncSession, event: EventEnvelope) -> None`.
It runs inside the runner's transaction: everything it writes through `session` commits together
with the inbox row that marks `event.id` (the producer's `Nats-Msg-Id`) as processed, so a
redelivered event is acked without calling the handler again. To emit events from a handler use
a `services.common.uow.JoinedUnitOfWork` on that session. A raised exception
rolls the transaction back and naks the message; after `max_deliveries` deliveries the event is
stored in `dead_letter` with the error and terminated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import nats
from google.protobuf.message import Message
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clock import Clock, SystemClock
from services.common.db import insert_ignoring_duplicates
from services.common.kit_tables import DeadLetterRow, dead_letter, inbox
from services.common.outbox import (
    EVENT_TYPE_HEADER,
    MAX_BACKOFF_S,
    MSG_ID_HEADER,
    OCCURRED_AT_HEADER,
)

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_S = 120.0
M = TypeVar("M", bound=Message)


async def connect(
    url: str,
    *,
    name: str,
    tls: ssl.SSLContext | None = None,
    on_reconnect: Callable[[], None] | None = None,
) -> Client:
    """Connect to NATS (comma-separated URLs allowed, over TLS when given a context), retrying
    and reconnecting forever; on_reconnect runs after each reconnection."""

    async def on_error(exc: Exception) -> None:
        log.warning("nats %s: %r", name, exc)

    async def on_disconnected() -> None:
        log.warning("nats %s: disconnected", name)

    async def on_reconnected() -> None:
        log.info("nats %s: reconnected", name)
        if on_reconnect is not None:
            on_reconnect()

    return await nats.connect(
        servers=[part.strip() for part in url.split(",") if part.strip()],
        name=name,
        tls=tls,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        error_cb=on_error,
        disconnected_cb=on_disconnected,
        reconnected_cb=on_reconnected,
    )


def stream_name(service: str) -> str:
    """The stream a service publishes to: registry → NLC_REGISTRY."""
    return f"NLC_{service.upper()}"


async def ensure_stream(js: JetStreamContext, service: str, *, replicas: int = 1) -> None:
    """Create or update the service's stream of `nlc.<service>.>` events (file storage, dedup,
    `replicas` copies across a cluster)."""
    config = StreamConfig(
        name=stream_name(service),
        subjects=[f"nlc.{service}.>"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        num_replicas=replicas,
    )
    try:
        await js.add_stream(config)
    except BadRequestError:
        # Exists with another configuration: bring it to this one.
        await js.update_stream(config)


@dataclass(frozen=True)
class EventEnvelope:
    """One event as delivered: id is the producer's outbox id (`Nats-Msg-Id`)."""

    id: str
    subject: str
    event_type: str
    occurred_at: datetime
    data: bytes
    deliveries: int

    @classmethod
    def from_msg(cls, msg: Msg) -> EventEnvelope:
        """The envelope of a JetStream message (falls back to stream/seq without a Msg-Id)."""
        headers = msg.headers or {}
        meta = msg.metadata
        occurred = headers.get(OCCURRED_AT_HEADER)
        return cls(
            id=headers.get(MSG_ID_HEADER) or f"{meta.stream}:{meta.sequence.stream}",
            subject=msg.subject,
            event_type=headers.get(EVENT_TYPE_HEADER, ""),
            occurred_at=datetime.fromisoformat(occurred) if occurred else meta.timestamp,
            data=msg.data,
            deliveries=meta.num_delivered,
        )

    def parse(self, message_type: type[M]) -> M:
        """The payload decoded as message_type."""
        return message_type.FromString(self.data)


EventHandler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]


class ConsumerRunner:
    """Feeds a durable pull consumer's events to handler, each exactly once per durable."""

    def __init__(
        self,
        js: JetStreamContext,
        sessions: async_sessionmaker[AsyncSession],
        *,
        stream: str,
        durable: str,
        filter_subjects: list[str],
        handler: EventHandler,
        max_deliveries: int = 5,
        batch: int = 50,
        clock: Clock | None = None,
        ack_wait_s: float = 30.0,
        retry_delay_s: float = 1.0,
        fetch_timeout_s: float = 1.0,
    ) -> None:
        self._js = js
        self._sessions = sessions
        self._stream = stream
        self._durable = durable
        self._filter_subjects = filter_subjects
        self._handler = handler
        self._max_deliveries = max_deliveries
        self._batch = batch
        self._clock = clock or SystemClock()
        self._ack_wait_s = ack_wait_s
        self._retry_delay_s = retry_delay_s
        self._fetch_timeout_s = fetch_timeout_s
        self._stopping = asyncio.Event()
        self._stopped = asyncio.Event()
        self._stopped.set()
        # The wait before re-subscribing after a failure; back to retry_delay_s once subscribed.
        self._backoff = retry_delay_s

    @property
    def stream(self) -> str:
        return self._stream

    @property
    def durable(self) -> str:
        return self._durable

    async def run(self) -> None:
        """Consume until stop() (a runner runs once); re-subscribes with backoff on NATS errors."""
        self._stopped.clear()
        try:
            while not self._stopping.is_set():
                try:
                    await self._consume()
                except Exception as exc:
                    backoff = self._backoff
                    log.warning("consumer %s: %r; retrying in %.1fs", self._durable, exc, backoff)
                    await self._wait_stopping(backoff)
                    self._backoff = min(backoff * 2, MAX_BACKOFF_S)
        finally:
            self._stopped.set()

    async def stop(self) -> None:
        """Finish the batch in hand, then return once run() has ended."""
        self._stopping.set()
        await self._stopped.wait()

    async def _consume(self) -> None:
        sub = await self._js.pull_subscribe(
            self._filter_subjects[0],
            durable=self._durable,
            stream=self._stream,
            config=ConsumerConfig(
                durable_name=self._durable,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=self._ack_wait_s,
                filter_subjects=self._filter_subjects,
                max_ack_pending=max(self._batch * 4, 1000),
            ),
        )
        self._backoff = self._retry_delay_s
        try:
            while not self._stopping.is_set():
                await self._process_batch(await self._fetch(sub))
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def _fetch(self, sub: JetStreamContext.PullSubscription) -> list[Msg]:
        fetching = asyncio.ensure_future(sub.fetch(self._batch, timeout=self._fetch_timeout_s))
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetching.done():
            fetching.cancel()
            with contextlib.suppress(BaseException):
                await fetching
            return []
        try:
            return fetching.result()
        except TimeoutError:
            # nats.errors.TimeoutError, or the built-in one when the deadline passed while the
            # event loop was busy: either way nothing arrived.
            return []

    async def _process_batch(self, msgs: list[Msg]) -> None:
        """Handle a fetched batch in one transaction and ack after the commit. If any event of
        it fails, the batch is rolled back and each event is handled in a transaction of its
        own, so that only the failing one is retried or dead-lettered."""
        if len(msgs) > 1:
            try:
                await self._handle_together([EventEnvelope.from_msg(msg) for msg in msgs])
            except Exception as exc:
                log.warning(
                    "consumer %s: batch failed (%r); one event at a time", self._durable, exc
                )
            else:
                for msg in msgs:
                    await msg.ack()
                return
        for msg in msgs:
            await self._process(msg)

    async def _process(self, msg: Msg) -> None:
        event = EventEnvelope.from_msg(msg)
        try:
            await self._handle_together([event])
        except Exception as exc:
            await self._failed(msg, event, exc)
        else:
            await msg.ack()

    async def _handle_together(self, events: list[EventEnvelope]) -> None:
        """Mark the events processed by this durable and run the handler on each the inbox did
        not hold yet, in one transaction."""
        async with self._sessions() as session:
            fresh = await self._mark_processed(session, [event.id for event in events])
            for event in events:
                if event.id in fresh:
                    fresh.discard(event.id)
                    await self._handler(session, event)
            await session.commit()

    async def _mark_processed(self, session: AsyncSession, event_ids: list[str]) -> set[str]:
        """Record event_ids in the durable's inbox with one INSERT; the ids it did not hold."""
        now = self._clock.now()
        rows = [
            {"consumer": self._durable, "event_id": event_id, "processed_at": now}
            for event_id in dict.fromkeys(event_ids)
        ]
        statement = insert_ignoring_duplicates(session, inbox).values(rows)
        return set(await session.scalars(statement.returning(inbox.c.event_id)))

    async def _failed(self, msg: Msg, event: EventEnvelope, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        if event.deliveries < self._max_deliveries:
            log.warning(
                "consumer %s: event %s failed (%s), will retry", self._durable, event.id, error
            )
            await msg.nak(delay=self._retry_delay_s)
            return
        try:
            await self._dead_letter(event, error)
        except Exception as dl_exc:
            log.error("consumer %s: cannot dead-letter %s: %r", self._durable, event.id, dl_exc)
            await msg.nak(delay=self._retry_delay_s)
            return
        log.error("consumer %s: event %s dead-lettered: %s", self._durable, event.id, error)
        await msg.term()

    async def _dead_letter(self, event: EventEnvelope, error: str) -> None:
        """Store the event once per durable, though a redelivery after a crash comes here again."""
        async with self._sessions() as session:
            stored = await session.scalar(
                select(dead_letter.c.id).where(
                    dead_letter.c.consumer == self._durable, dead_letter.c.event_id == event.id
                )
            )
            if stored is not None:
                return
            session.add(
                DeadLetterRow(
                    id=str(uuid.uuid4()),
                    consumer=self._durable,
                    event_id=event.id,
                    subject=event.subject,
                    payload=event.data,
                    error=error,
                    deliveries=event.deliveries,
                    created_at=self._clock.now(),
                )
            )
            await session.commit()

    async def _wait_stopping(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
