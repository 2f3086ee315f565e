"""Background jobs of the infoshare service: crypto-shred shares past retention and announce
agreement reviews falling due, on one replica at a time."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from services.common.app import Wiring
from services.common.auth import SYSTEM
from services.common.jobs import periodic_job
from services.infoshare.deps import InfoshareDeps
from services.infoshare.handlers.agreements import announce_reviews_due
from services.infoshare.handlers.retention import RETENTION_BATCH, erase_expired
from services.infoshare.orm.share_rows import expired_share_ids

log = logging.getLogger(__name__)

INTERVAL_S = 60.0


async def _anything_expired(deps: InfoshareDeps) -> bool:
    """Whether a share awaits shredding (read-only, so idle passes take no write lock)."""
    async with deps.sessions() as session:
        return bool(await expired_share_ids(session, deps.clock.now(), 1))


async def run_pass(deps: InfoshareDeps) -> tuple[int, int]:
    """One pass: (shares erased, reviews announced)."""
    erased = 0
    while await _anything_expired(deps):
        batch = await erase_expired(deps.uow(SYSTEM), deps.keyring)
        erased += batch
        if batch < RETENTION_BATCH:
            break
    announced = await announce_reviews_due(deps.uow(SYSTEM))
    return erased, announced


def background_jobs(wiring: Wiring, deps: InfoshareDeps) -> list[Coroutine[Any, Any, None]]:
    """The infoshare service's long-running jobs."""

    async def retention_pass() -> None:
        erased, announced = await run_pass(deps)
        if erased or announced:
            log.info("erased %d expired share(s), announced %d review(s)", erased, announced)

    return [periodic_job(wiring, "retention-and-reviews", retention_pass, INTERVAL_S)]
