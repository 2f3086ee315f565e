"""Two managers deciding at the same moment can never overspend the pool (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from services.common.errors import Conflict, FailedPrecondition
from services.grants.deps import GrantsDeps
from services.grants.domain.awards import AwardItem
from services.grants.domain.calls import Funder
from services.grants.handlers import awards as handlers
from services.grants.queries.awards import get_ledger
from tests.integration.grants.conftest import FUNDER_ORG, MANAGER, MANAGER_ORG, eur, member
from tests.integration.grants.test_award_handlers import closed_call

SMALL_POOL = (
    Funder(FUNDER_ORG, "Foundation", eur(30_000)),
    Funder(MANAGER_ORG, "City", eur(20_000)),
)
ROUNDS = 3


async def test_parallel_decisions_that_fit_alone_but_not_together(grants_deps: GrantsDeps) -> None:
    colleague = member(MANAGER_ORG, "grant-manager")
    for _ in range(ROUNDS):
        call_id, (a1, a2) = await closed_call(grants_deps, funders=SMALL_POOL)
        first = handlers.DecideAwards(call_id, (AwardItem(a1.id, eur(30_000)),))
        second = handlers.DecideAwards(call_id, (AwardItem(a2.id, eur(30_000)),))
        results = await asyncio.gather(
            handlers.decide_awards(grants_deps.uow(MANAGER), first),
            handlers.decide_awards(grants_deps.uow(colleague), second),
            return_exceptions=True,
        )
        made = [r for r in results if isinstance(r, list)]
        refused = [r for r in results if isinstance(r, FailedPrecondition | Conflict)]
        assert len(made) == 1 and len(refused) == 1, results
        if isinstance(refused[0], FailedPrecondition):
            assert "the pool has 20,000.00 EUR left" in str(refused[0])
        async with grants_deps.sessions() as session:
            pool, _ = await get_ledger(session, call_id, MANAGER)
        total = pool.total()
        assert total.committed == 3_000_000 <= total.pledged
        assert all(p.committed <= p.pledged for p in pool.positions.values())
