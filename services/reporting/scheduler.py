"""Background jobs of the reporting service: extend obligations to today's cycle and send the
day's reminder digests. Every pass is idempotent, so replicas may run it side by side."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import date
from typing import Any

from services.common.app import Wiring
from services.common.auth import SYSTEM
from services.common.clock import today
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


async def run_daily_pass_forever(deps: ReportingDeps, poll_s: float = IDLE_POLL_S) -> None:
    """Check the clock about every poll_s seconds; run the pass when the day changed, after a
    failure, or REPEAT_S after the last success."""
    loop = asyncio.get_running_loop()
    done_day: date | None = None
    done_at = 0.0
    while True:
        day = today(deps.clock)
        if day != done_day or loop.time() - done_at >= REPEAT_S:
            try:
                added, sent = await run_daily_pass(deps, day)
                done_day, done_at = day, loop.time()
                if added or sent:
                    log.info("expected %d more report(s), sent %d digest(s)", added, sent)
            except Exception:
                log.exception("the daily reporting pass failed; retrying")
        await asyncio.sleep(poll_s)


def background_jobs(wiring: Wiring, deps: ReportingDeps) -> list[Coroutine[Any, Any, None]]:
    """The reporting service's long-running jobs."""
    return [run_daily_pass_forever(deps)]
