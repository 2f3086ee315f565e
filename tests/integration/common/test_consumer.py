"""ConsumerRunner: each event changes state once; a poison event ends up in dead_letter."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from google.protobuf.wrappers_pb2 import StringValue
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.auth import SYSTEM
from services.common.clock import FixedClock
from services.common.kit_tables import dead_letter
from services.common.messaging import ConsumerRunner, EventEnvelope, EventHandler
from services.common.outbox import OutboxRelay
from services.common.uow import uow_factory
from tests.integration.common.conftest import SAMPLE_STREAM, sample_item
from tests.integration.common.polling import eventually

SUBJECT = "nlc.sample.item.created"
DURABLE = "sample-projector"


async def record_item(session: AsyncSession, event: EventEnvelope) -> None:
    """The handler's effect: one sample_item row per processed event."""
    name = event.parse(StringValue).value
    await session.execute(insert(sample_item).values(id=event.id, name=name))


async def publish(sessions, js: JetStreamContext, clock, *names: str) -> list[str]:
    async with uow_factory(sessions, clock)(SYSTEM) as uow:
        ids = [uow.emit(SUBJECT, StringValue(value=name)) for name in names]
        await uow.commit()
    await OutboxRelay(sessions, js).publish_pending()
    return ids


async def items(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessions() as session:
        return sorted((await session.scalars(select(sample_item.c.name))).all())


async def settled(js: JetStreamContext) -> bool:
    """Every message was delivered and answered (acked, or terminated)."""
    try:
        info = await js.consumer_info(SAMPLE_STREAM, DURABLE)
    except NotFoundError:
        return False
    return info.num_pending == 0 and info.num_ack_pending == 0


@asynccontextmanager
async def running(
    js: JetStreamContext, sessions, handler: EventHandler, **options
) -> AsyncIterator[ConsumerRunner]:
    runner = ConsumerRunner(
        js,
        sessions,
        stream=SAMPLE_STREAM,
        durable=DURABLE,
        filter_subjects=["nlc.sample.item.>"],
        handler=handler,
        retry_delay_s=0.05,
        **options,
    )
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        await asyncio.wait_for(runner.stop(), 5)
        await asyncio.wait_for(task, 5)


def counting(handler: EventHandler) -> tuple[EventHandler, list[str]]:
    calls: list[str] = []

    async def counted(session: AsyncSession, event: EventEnvelope) -> None:
        calls.append(event.id)
        await handler(session, event)

    return counted, calls


async def test_each_event_is_handled_once(sessions, js: JetStreamContext, clock: FixedClock):
    await publish(sessions, js, clock, "a", "b")

    async with running(js, sessions, record_item):
        await eventually(lambda: items(sessions), lambda got: got == ["a", "b"], what="items")


async def test_replayed_events_change_nothing(sessions, js: JetStreamContext, clock: FixedClock):
    await publish(sessions, js, clock, "a", "b")
    handler, calls = counting(record_item)
    async with running(js, sessions, handler):
        await eventually(lambda: items(sessions), lambda got: got == ["a", "b"], what="items")
        await eventually(lambda: settled(js), bool, what="acks")

    # The consumer's acks are lost: JetStream delivers every event again.
    await js.delete_consumer(SAMPLE_STREAM, DURABLE)
    async with running(js, sessions, handler):
        await eventually(lambda: settled(js), bool, what="redelivery")

    assert await items(sessions) == ["a", "b"]
    assert len(calls) == 2


async def test_a_failed_attempt_is_retried_and_applied_once(
    sessions, js: JetStreamContext, clock: FixedClock
):
    await publish(sessions, js, clock, "a")
    failures = ["once"]

    async def flaky(session: AsyncSession, event: EventEnvelope) -> None:
        await record_item(session, event)
        if failures:
            raise RuntimeError(failures.pop())

    async with running(js, sessions, flaky):
        await eventually(lambda: items(sessions), lambda got: got == ["a"], what="retry")
        await eventually(lambda: settled(js), bool, what="ack")

    assert await dead_letters(sessions) == []


async def dead_letters(sessions: async_sessionmaker[AsyncSession]) -> list:
    async with sessions() as session:
        return list((await session.execute(select(dead_letter))).all())


async def test_a_poison_event_is_dead_lettered_and_not_redelivered(
    sessions, js: JetStreamContext, clock: FixedClock
):
    [event_id] = await publish(sessions, js, clock, "poison")

    async def broken(session: AsyncSession, event: EventEnvelope) -> None:
        await record_item(session, event)
        raise ValueError("cannot project this")

    handler, calls = counting(broken)
    async with running(js, sessions, handler, max_deliveries=3, clock=clock):
        [row] = await eventually(lambda: dead_letters(sessions), _one, what="dead letter")
        await eventually(lambda: settled(js), bool, what="term")

    assert (row.consumer, row.event_id, row.subject, row.deliveries) == (
        DURABLE,
        event_id,
        SUBJECT,
        3,
    )
    assert row.error == "ValueError: cannot project this"
    assert StringValue.FromString(row.payload).value == "poison"
    assert row.created_at == clock.now()
    assert calls == [event_id] * 3
    assert await items(sessions) == []


def _one(rows: list) -> bool:
    return len(rows) == 1


async def test_stop_returns_while_waiting_for_messages(sessions, js: JetStreamContext):
    runner = ConsumerRunner(
        js,
        sessions,
        stream=SAMPLE_STREAM,
        durable=DURABLE,
        filter_subjects=[SUBJECT],
        handler=record_item,
        fetch_timeout_s=30,
    )
    task = asyncio.create_task(runner.run())
    await eventually(lambda: settled(js), bool, what="subscription")

    await asyncio.wait_for(runner.stop(), 2)

    assert task.done() and task.exception() is None


async def test_a_redelivery_after_a_crash_mid_dead_lettering_stores_the_event_once(
    sessions, js: JetStreamContext, clock: FixedClock
):
    [event_id] = await publish(sessions, js, clock, "poison")
    # A replica stored the dead letter, then died before terminating the message.
    async with sessions() as session:
        await session.execute(
            insert(dead_letter).values(
                id="earlier-replica",
                consumer=DURABLE,
                event_id=event_id,
                subject=SUBJECT,
                payload=b"",
                error="ValueError: cannot project this",
                deliveries=1,
                created_at=clock.now(),
            )
        )
        await session.commit()

    async def broken(session: AsyncSession, event: EventEnvelope) -> None:
        raise ValueError("cannot project this")

    async with running(js, sessions, broken, max_deliveries=1, clock=clock):
        await eventually(lambda: settled(js), bool, what="term")

    assert [row.id for row in await dead_letters(sessions)] == ["earlier-replica"]


def hog_the_event_loop(seconds: float) -> None:
    """What a CPU-bound request does to every other task: nothing else runs meanwhile."""
    time.sleep(seconds)


async def test_a_busy_event_loop_does_not_make_a_quiet_consumer_resubscribe(
    sessions, js: JetStreamContext, clock: FixedClock, caplog
):
    async with running(js, sessions, record_item, fetch_timeout_s=0.1, clock=clock):
        await eventually(lambda: settled(js), bool, what="subscription")
        busy_until = time.monotonic() + 1.5
        while time.monotonic() < busy_until:
            hog_the_event_loop(0.02)
            await asyncio.sleep(0)
        await publish(sessions, js, clock, "after the busy spell")
        await eventually(lambda: items(sessions), lambda names: names != [], what="handled")

    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert retries == []


async def test_a_poison_event_in_a_batch_spoils_none_of_the_others(
    sessions, js: JetStreamContext, clock: FixedClock
):
    ids = await publish(sessions, js, clock, "a", "b", "poison", "c", "d")

    async def poisoned(session: AsyncSession, event: EventEnvelope) -> None:
        await record_item(session, event)
        if event.parse(StringValue).value == "poison":
            raise ValueError("cannot project this")

    handler, calls = counting(poisoned)
    async with running(js, sessions, handler, max_deliveries=2, clock=clock):
        await eventually(lambda: dead_letters(sessions), _one, what="dead letter")
        await eventually(lambda: settled(js), bool, what="acks")

    assert await items(sessions) == ["a", "b", "c", "d"]
    (letter,) = await dead_letters(sessions)
    assert (letter.event_id, letter.deliveries) == (ids[2], 2)
    assert set(calls) == set(ids)
