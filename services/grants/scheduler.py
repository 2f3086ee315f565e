"""Background jobs of the grants service: close calls at their deadline (one replica at a time)."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from services.common.app import Wiring
from services.common.auth import SYSTEM
from services.common.jobs import periodic_job
from services.grants.deps import GrantsDeps
from services.grants.handlers.calls import close_if_due
from services.grants.queries.calls import due_call_ids

log = logging.getLogger(__name__)

IDLE_POLL_S = 1.0


async def close_due_calls(deps: GrantsDeps) -> int:
    """One pass: close every open call whose closes_at <= now; returns how many it closed."""
    async with deps.sessions() as session:
        ids = await due_call_ids(session, deps.clock.now())
    closed = 0
    for call_id in ids:
        if await close_if_due(deps.uow(SYSTEM), call_id):
            closed += 1
    return closed


def background_jobs(wiring: Wiring, deps: GrantsDeps) -> list[Coroutine[Any, Any, None]]:
    """The grants service's long-running jobs."""

    async def close_pass() -> None:
        closed = await close_due_calls(deps)
        if closed:
            log.info("closed %d call(s) at their deadline", closed)

    return [periodic_job(wiring, "close-due-calls", close_pass, IDLE_POLL_S)]
