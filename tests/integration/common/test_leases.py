"""Scheduled jobs run on one replica at a time: the holder of the job's lease."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clock import FixedClock, SystemClock
from services.common.db import read_session_factory
from services.common.jobs import run_periodically
from services.common.leases import JobLease
from tests.integration.common.polling import eventually


def lease(sessions: async_sessionmaker[AsyncSession], clock, holder: str) -> JobLease:
    """The lease of one replica, reading and writing as a service's jobs do."""
    readers = read_session_factory(sessions.kw["bind"])
    return JobLease(
        sessions, "close-due-calls", clock=clock, ttl_s=30, holder=holder, read_sessions=readers
    )


def counted_job(sessions, holder: str, passes: Counter[str]) -> Coroutine[Any, Any, None]:
    """The job as the replica holder runs it (on the system clock), counting its passes."""

    async def one_pass() -> None:
        passes[holder] += 1

    return run_periodically(lease(sessions, SystemClock(), holder), one_pass, interval_s=0.01)


async def test_a_second_replica_waits_while_the_first_holds_the_lease(sessions, clock: FixedClock):
    first, second = lease(sessions, clock, "replica-a"), lease(sessions, clock, "replica-b")

    assert await first.acquire()
    assert not await second.acquire()
    assert await first.acquire(), "the holder renews its own lease"
    assert not await second.acquire()


async def test_a_released_lease_passes_to_the_other_replica_at_once(sessions, clock: FixedClock):
    first, second = lease(sessions, clock, "replica-a"), lease(sessions, clock, "replica-b")
    assert await first.acquire()

    await first.release()

    assert await second.acquire()
    assert not await first.acquire()


async def test_a_dead_holders_lease_lapses_after_its_time_to_live(sessions, clock: FixedClock):
    first, second = lease(sessions, clock, "replica-a"), lease(sessions, clock, "replica-b")
    assert await first.acquire()

    clock.advance(timedelta(seconds=29))
    assert not await second.acquire(), "the lease still runs"
    clock.advance(timedelta(seconds=2))
    assert await second.acquire()
    assert not await first.acquire(), "the old holder came back too late"


async def test_leases_of_different_jobs_are_independent(sessions, clock: FixedClock):
    closing = JobLease(sessions, "close-due-calls", clock=clock, ttl_s=30, holder="replica-a")
    retention = JobLease(sessions, "retention", clock=clock, ttl_s=30, holder="replica-b")

    assert await closing.acquire()
    assert await retention.acquire()


async def test_two_replicas_running_a_job_side_by_side_run_each_pass_once(sessions):
    passes: Counter[str] = Counter()

    holders = ("replica-a", "replica-b")
    replicas = [asyncio.create_task(counted_job(sessions, h, passes)) for h in holders]
    try:
        await eventually(
            lambda: asyncio.sleep(0, sum(passes.values())), lambda n: n >= 20, what="20 passes"
        )
    finally:
        for task in replicas:
            task.cancel()
        await asyncio.gather(*replicas, return_exceptions=True)

    assert len(passes) == 1, f"passes ran on both replicas: {dict(passes)}"


async def test_a_stopped_replica_hands_the_job_to_the_other(sessions):
    passes: Counter[str] = Counter()

    first = asyncio.create_task(counted_job(sessions, "replica-a", passes))
    await eventually(lambda: asyncio.sleep(0, passes["replica-a"]), bool, what="first pass")
    second = asyncio.create_task(counted_job(sessions, "replica-b", passes))
    try:
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await eventually(
            lambda: asyncio.sleep(0, passes["replica-b"]), bool, what="the other replica's pass"
        )
    finally:
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)
