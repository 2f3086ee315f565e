"""Group commit: requests that arrive together share a group; each gets its own outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from services.common.errors import FailedPrecondition
from services.common.group_commit import GroupCommit


class Ledger:
    """A group function that doubles numbers, refuses negatives, and can fail a whole group."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.fail_groups_with: int | None = None
        self.started = asyncio.Event()

    async def run(self, group: Sequence[int]) -> list[int | Exception]:
        self.groups.append(list(group))
        self.started.set()
        await asyncio.sleep(0)  # a transaction's round trip
        if self.fail_groups_with in group and len(group) > 1:
            raise ConnectionError("the transaction failed")
        if self.fail_groups_with in group:
            raise ConnectionError(f"{self.fail_groups_with} fails alone too")
        return [FailedPrecondition(f"{n} is negative") if n < 0 else 2 * n for n in group]


async def test_requests_that_arrive_together_share_one_group_and_keep_their_order() -> None:
    ledger = Ledger()
    commit = GroupCommit(ledger.run)
    assert await asyncio.gather(*(commit(n) for n in range(5))) == [0, 2, 4, 6, 8]
    assert ledger.groups == [[0, 1, 2, 3, 4]]


async def test_requests_arriving_during_a_group_form_the_next_one() -> None:
    ledger = Ledger()
    commit = GroupCommit(ledger.run)
    first = asyncio.ensure_future(commit(1))
    await ledger.started.wait()
    later = await asyncio.gather(commit(2), commit(3))
    assert (await first, later) == (2, [4, 6])
    assert ledger.groups == [[1], [2, 3]]


async def test_a_domain_error_reaches_only_its_own_caller() -> None:
    commit = GroupCommit(Ledger().run)
    outcomes = await asyncio.gather(commit(1), commit(-1), commit(2), return_exceptions=True)
    assert outcomes[0] == 2 and outcomes[2] == 4
    assert isinstance(outcomes[1], FailedPrecondition)
    assert str(outcomes[1]) == "-1 is negative"


async def test_a_failed_group_runs_each_request_alone() -> None:
    ledger = Ledger()
    ledger.fail_groups_with = 7
    commit = GroupCommit(ledger.run)
    outcomes = await asyncio.gather(commit(1), commit(7), commit(3), return_exceptions=True)
    assert outcomes[0] == 2 and outcomes[2] == 6
    assert isinstance(outcomes[1], ConnectionError)
    assert ledger.groups == [[1, 7, 3], [1], [7], [3]]


async def test_groups_are_at_most_max_group_long() -> None:
    ledger = Ledger()
    commit = GroupCommit(ledger.run, max_group=2)
    assert await asyncio.gather(*(commit(n) for n in range(5))) == [0, 2, 4, 6, 8]
    assert [len(g) for g in ledger.groups] == [2, 2, 1]


async def test_a_caller_gone_before_its_group_starts_is_not_processed() -> None:
    ledger = Ledger()
    commit = GroupCommit(ledger.run)
    gone = asyncio.ensure_future(commit(5))
    stays = asyncio.ensure_future(commit(6))
    await asyncio.sleep(0)
    gone.cancel()
    assert await stays == 12
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert ledger.groups == [[6]]
