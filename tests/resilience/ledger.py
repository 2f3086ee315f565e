"""What the workload asked for and what it was told: per kind of request, each unique value and
the status code of the one call that carried it (a call is never repeated with the same value)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

import grpc

T = TypeVar("T")
# A replica or NATS node being killed can only make a call fail with these: the request may or
# may not have taken effect, so it does not count as accepted and the next one uses a new value.
OUTAGE = frozenset({"UNAVAILABLE", "DEADLINE_EXCEEDED"})


class Ledger:
    """Outcomes by kind: {unique value: "OK" or the gRPC status code name}."""

    def __init__(self) -> None:
        self.outcomes: dict[str, dict[str, str]] = defaultdict(dict)

    async def call(self, kind: str, value: str, send: Callable[[], Awaitable[T]]) -> T | None:
        """Send once; record OK with the reply, or the status code and None."""
        assert value not in self.outcomes[kind], f"{kind} {value} sent twice"
        try:
            reply = await send()
        except grpc.aio.AioRpcError as error:
            self.outcomes[kind][value] = error.code().name
            if error.code().name not in OUTAGE:
                self.outcomes[kind][value] += f": {error.details()}"
            return None
        self.outcomes[kind][value] = "OK"
        return reply

    async def chain(
        self, value: str, *steps: tuple[str, Callable[[Any], Awaitable[Any]]]
    ) -> Any | None:
        """Send (kind, send(previous reply)) steps in order, each recorded under value, until
        one fails; the last reply, or None when a step failed."""
        reply: Any = None
        for kind, send in steps:
            reply = await self.call(kind, value, partial(send, reply))
            if reply is None:
                return None
        return reply

    def sent(self, kind: str) -> set[str]:
        return set(self.outcomes[kind])

    def accepted(self, kind: str) -> set[str]:
        return {value for value, code in self.outcomes[kind].items() if code == "OK"}

    def unexpected(self) -> list[tuple[str, str, str]]:
        """Failures an outage does not explain: (kind, value, status and details)."""
        return [
            (kind, value, code)
            for kind, outcomes in self.outcomes.items()
            for value, code in outcomes.items()
            if code != "OK" and code not in OUTAGE
        ]

    def summary(self) -> dict[str, Any]:
        """{kind: {"OK": n, "UNAVAILABLE": m, ...}}."""
        return {
            kind: dict(Counter(code.split(":")[0] for code in outcomes.values()))
            for kind, outcomes in self.outcomes.items()
        }
