"""Background jobs of the reporting service: extend obligations to today's cycle and send the
day's reminder digests, on one replica at a time. Every pass is idempotent besides."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import Any

from services.common.app import Wiring
from services.common.auth import SYSTEM
from services.common.clock import today
from services.common.jobs import periodic_job
from services.reporting.deps import ReportingDeps
from services.reporting.handlers.obligations import ensure_expected_reports
from services.reporting.handlers.reminders import digest_reminders

log = logging.getLogger(__name__)

IDLE_POLL_S = 1.0
# A day's pass is repeated this often after it succeeded (obligations opened later that day).
REPEAT_S = 60.0


async def run_daily_pass(deps: ReportingDeps, day: date) -> tuple[int, int]:
    """One pass for day: (expected reports added, reminder digests sent)."""
    added = await ensure_expected_reports(deps.uow(SYSTEM), day)
    sent = await digest_reminders(deps.sessions, lambda: deps.uow(SYSTEM), day)
    return added, sent


def daily_pass_when_due(deps: ReportingDeps) -> Callable[[], Awaitable[None]]:
    """A check to run about every second: the pass runs when the day changed, after a failure,
    or REPEAT_S after its last success."""
    done_day: date | None = None
    done_at: float | None = None

    async def check() -> None:
        nonlocal done_day, done_at
        day = today(deps.clock)
        if day == done_day and done_at is not None and _loop_time() - done_at < REPEAT_S:
            return
        added, sent = await run_daily_pass(deps, day)
        done_day, done_at = day, _loop_time()
        if added or sent:
            log.info("expected %d more report(s), sent %d digest(s)", added, sent)

    return check


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


def background_jobs(wiring: Wiring, deps: ReportingDeps) -> list[Coroutine[Any, Any, None]]:
    """The reporting service's long-running jobs."""
    return [periodic_job(wiring, "daily-reporting-pass", daily_pass_when_due(deps), IDLE_POLL_S)]
