"""Group commit: requests that arrive while a transaction runs share the next one.

Under a surge each request would otherwise pay for its own transaction: a BEGIN, the same reads,
one statement per row and a COMMIT. A `GroupCommit` queues requests and runs one group at a
time: a group takes everything queued (up to `max_group`) once the previous one has committed.
The group function answers each request with its result or the domain error it alone caused,
so one bad request never fails the others. When the group's transaction fails as a whole (a
lost connection, a deadlock), each of its requests runs again in a group of its own.

A request whose caller has gone (cancelled) before its group starts is dropped unprocessed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# One result or domain error per request, in the order of the requests.
GroupFunction = Callable[[Sequence[T]], Awaitable[Sequence[R | Exception]]]
MAX_GROUP = 200
# Loop turns a group waits before it starts, so that requests already being read and
# authorised can still join it: fewer, larger transactions under load, no timer when idle.
GATHER_TURNS = 2


class GroupCommit(Generic[T, R]):
    """`await group_commit(request)`: its result, or its error raised, once its group committed."""

    def __init__(self, run_group: GroupFunction[T, R], max_group: int = MAX_GROUP) -> None:
        self._run_group = run_group
        self._max_group = max_group
        self._queued: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, request: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queued.append((request, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run_queued())
        return await future

    async def _run_queued(self) -> None:
        group: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self._queued:
                for _ in range(GATHER_TURNS):
                    await asyncio.sleep(0)
                group = self._queued[: self._max_group]
                del self._queued[: self._max_group]
                live = [(request, future) for request, future in group if not future.done()]
                if live:
                    await self._run(live)
        except BaseException:
            for _, future in group + self._queued:
                future.cancel()
            self._queued.clear()
            raise

    async def _run(self, group: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            outcomes = await self._run_group([request for request, _ in group])
        except Exception as error:
            if len(group) == 1:
                _settle(group[0][1], error)
                return
            for member in group:
                await self._run([member])
            return
        for (_, future), outcome in zip(group, outcomes, strict=True):
            _settle(future, outcome)


def _settle(future: asyncio.Future[R], outcome: R | Exception) -> None:
    if future.done():
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
