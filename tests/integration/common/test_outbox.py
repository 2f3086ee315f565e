"""The relay publishes committed events to JetStream once, even across crashes and outages."""

from __future__ import annotations

import asyncio

import pytest
from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.common.auth import SYSTEM
from services.common.clock import FixedClock
from services.common.db import is_postgres
from services.common.kit_tables import outbox
from services.common.messaging import connect, ensure_stream
from services.common.outbox import OutboxRelay, event_headers
from services.common.uow import uow_factory
from tests.integration.common.conftest import SAMPLE_STREAM
from tests.integration.common.polling import eventually
from tests.support.nats import NatsServer

SUBJECT = "nlc.sample.item.created"


async def emit(sessions: async_sessionmaker[AsyncSession], clock, *names: str) -> list[str]:
    async with uow_factory(sessions, clock)(SYSTEM) as uow:
        ids = [uow.emit(SUBJECT, StringValue(value=name)) for name in names]
        await uow.commit()
    return ids


async def unpublished(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        query = select(outbox.c.id).where(outbox.c.published_at.is_(None))
        return list((await session.scalars(query)).all())


async def stream_messages(js: JetStreamContext) -> int:
    return int((await js.stream_info(SAMPLE_STREAM)).state.messages)


async def read_all(js: JetStreamContext) -> list:
    sub = await js.pull_subscribe(SUBJECT, durable="probe", stream=SAMPLE_STREAM)
    msgs = await sub.fetch(100, timeout=1)
    for msg in msgs:
        await msg.ack()
    return msgs


async def test_relay_publishes_pending_rows_with_headers_and_marks_them(
    sessions, js: JetStreamContext, clock: FixedClock
):
    relay = OutboxRelay(sessions, js, idle_poll_s=60)
    task = asyncio.create_task(relay.run())
    try:
        async with uow_factory(sessions, clock, lambda _subjects: relay.wake())(SYSTEM) as uow:
            event_id = uow.emit(SUBJECT, StringValue(value="a"))
            await uow.commit()
        await eventually(lambda: unpublished(sessions), lambda ids: ids == [], what="relay")
    finally:
        task.cancel()

    [msg] = await read_all(js)
    assert msg.subject == SUBJECT
    assert StringValue.FromString(msg.data).value == "a"
    assert msg.headers == event_headers(event_id, "google.protobuf.StringValue", clock.now())
    assert msg.headers["Nlc-Occurred-At"] == "2025-03-01T09:30:00+00:00"


async def test_republishing_after_a_crash_is_dropped_by_jetstream(
    sessions, js: JetStreamContext, clock: FixedClock
):
    [event_id] = await emit(sessions, clock, "a")
    relay = OutboxRelay(sessions, js)
    assert await relay.publish_pending() == 1
    # The relay crashed after the PubAck, before marking the row.
    async with sessions() as session:
        await session.execute(update(outbox).values(published_at=None))
        await session.commit()

    assert await relay.publish_pending() == 1
    assert relay.duplicates == 1
    assert await unpublished(sessions) == []
    ack = await js.publish(SUBJECT, b"", headers=event_headers(event_id, "x", clock.now()))
    assert ack.duplicate
    assert await stream_messages(js) == 1
    assert [m.headers["Nats-Msg-Id"] for m in await read_all(js)] == [event_id]


async def test_relay_keeps_rows_while_nats_is_down_and_publishes_when_back(
    sessions, nats_process: NatsServer, clock: FixedClock
):
    nc = await connect(nats_process.url, name="relay")
    js = nc.jetstream()
    await ensure_stream(js, "sample")
    relay = OutboxRelay(sessions, js, idle_poll_s=0.05, publish_timeout_s=0.5)
    nats_process.stop()
    ids = await emit(sessions, clock, "a", "b", "c")

    with pytest.raises(Exception):  # noqa: B017 - any NATS failure will do
        await relay.publish_pending()
    assert sorted(await unpublished(sessions)) == sorted(ids)

    task = asyncio.create_task(relay.run())
    try:
        nats_process.start()
        await eventually(lambda: unpublished(sessions), lambda left: left == [], what="relay")
    finally:
        task.cancel()
    assert await stream_messages(js) == 3
    await nc.close()


async def test_two_relays_on_postgres_publish_each_row_once(
    sessions, db_engine: AsyncEngine, js: JetStreamContext, clock: FixedClock
):
    if not is_postgres(db_engine):
        pytest.skip("several relays need PostgreSQL row locks")
    await emit(sessions, clock, *[f"item-{n}" for n in range(60)])
    relays = [OutboxRelay(sessions, js, batch=5), OutboxRelay(sessions, js, batch=5)]

    async def drain(relay: OutboxRelay) -> int:
        total = 0
        while published := await relay.publish_pending():
            total += published
        return total

    counts = await asyncio.gather(*(drain(relay) for relay in relays))

    assert sum(counts) == 60
    assert [relay.duplicates for relay in relays] == [0, 0]
    assert await unpublished(sessions) == []
    assert await stream_messages(js) == 60


async def test_relays_of_two_replicas_publish_in_commit_order(
    sessions, db_engine: AsyncEngine, js: JetStreamContext, clock: FixedClock
):
    if not is_postgres(db_engine):
        pytest.skip("several relays need PostgreSQL locks")
    relays = [OutboxRelay(sessions, js, batch=3), OutboxRelay(sessions, js, batch=3)]
    tasks = [asyncio.create_task(relay.run()) for relay in relays]
    emitted: list[str] = []
    try:
        for burst in range(10):
            emitted += await emit(sessions, clock, *[f"item-{burst}-{n}" for n in range(4)])
            relays[burst % 2].wake()
        await eventually(lambda: unpublished(sessions), lambda ids: ids == [], what="relays")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    published = [msg.headers["Nats-Msg-Id"] for msg in await read_all(js)]
    assert published == emitted
