"""Periodic background jobs that run on one replica at a time, under a JobLease."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from services.common.app import Wiring
from services.common.leases import JobLease

log = logging.getLogger(__name__)

# A lease outlives a few missed passes, so a slow pass does not hand the job over.
LEASE_PASSES = 3
MIN_LEASE_TTL_S = 15.0


def lease_ttl_s(interval_s: float) -> float:
    """How long a job's lease lasts when it is renewed every interval_s seconds."""
    return max(interval_s * LEASE_PASSES, MIN_LEASE_TTL_S)


async def run_periodically(
    lease: JobLease, one_pass: Callable[[], Awaitable[None]], interval_s: float
) -> None:
    """Every interval_s: renew the lease and, while holding it, run one pass; until cancelled.

    A failed pass is logged and tried again next time; the lease is released on cancellation.
    """
    try:
        while True:
            try:
                if await lease.acquire():
                    await one_pass()
            except Exception:
                log.exception("job %s failed; retrying in %.0fs", lease.name, interval_s)
            await asyncio.sleep(interval_s)
    finally:
        await _release_quietly(lease)


async def _release_quietly(lease: JobLease) -> None:
    try:
        await lease.release()
    except Exception as error:
        log.warning("job %s: could not release its lease: %r", lease.name, error)


def periodic_job(
    wiring: Wiring, name: str, one_pass: Callable[[], Awaitable[None]], interval_s: float
) -> Coroutine[Any, Any, None]:
    """The coroutine that runs one_pass every interval_s on whichever replica holds lease name."""
    lease = JobLease(
        wiring.sessions,
        name,
        clock=wiring.clock,
        ttl_s=lease_ttl_s(interval_s),
        read_sessions=wiring.read_sessions,
    )
    return run_periodically(lease, one_pass, interval_s)
