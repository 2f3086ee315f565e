"""Awards decided while the workload runs. Before it, a call closing a few seconds later gets
applications; once the scheduled job has closed it, the grant manager awards them one at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import awards_pb2
from nlc.grants.v1 import calls_pb2 as calls
from tests.resilience import requests
from tests.resilience.ledger import OUTAGE
from tests.resilience.workload import CALL_TIMEOUT_S, Pace, Workload

APPLICATIONS = 50
CLOSES_IN = timedelta(seconds=15)
APPLYING_AT_ONCE = 8
CLOSED_DEADLINE_S = 60.0
WORKERS, INTERVAL_S = 1, 0.8


class AwardDecisions:
    """The call to award from, its submitted applications (title, name) and the award step."""

    def __init__(self, workload: Workload) -> None:
        self.workload = workload
        self.call_name = ""
        self.applications: list[tuple[str, str]] = []
        self._closed = False
        self._waiting = asyncio.Lock()

    async def prepare(self) -> None:
        """Open the call and submit APPLICATIONS applications to it before its deadline."""
        w = self.workload
        manager, cso = w.as_user["manager"], w.as_user["cso"]
        call = requests.call(f"{w.run} award fund", closes_in=CLOSES_IN)
        draft = await w.grants.CreateCall(call, metadata=manager, timeout=CALL_TIMEOUT_S)
        opened = await w.grants.OpenCall(
            calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=CALL_TIMEOUT_S
        )
        self.call_name = opened.name
        at_once = asyncio.Semaphore(APPLYING_AT_ONCE)

        async def apply(n: int) -> tuple[str, str]:
            title = w.value("award", n)
            async with at_once:
                created = await w.grants.CreateApplication(
                    requests.application(self.call_name, title),
                    metadata=cso,
                    timeout=CALL_TIMEOUT_S,
                )
                await w.grants.SubmitApplication(
                    apps.SubmitApplicationRequest(name=created.name),
                    metadata=cso,
                    timeout=CALL_TIMEOUT_S,
                )
            return title, created.name

        self.applications = list(
            await asyncio.gather(*(apply(n) for n in range(1, APPLICATIONS + 1)))
        )

    async def _state(self) -> int | None:
        """The call's state; None while an outage keeps the answer away."""
        try:
            call = await self.workload.grants.GetCall(
                calls.GetCallRequest(name=self.call_name),
                metadata=self.workload.as_user["manager"],
                timeout=CALL_TIMEOUT_S,
            )
        except grpc.aio.AioRpcError as error:
            if error.code().name not in OUTAGE:
                raise
            return None
        return call.state

    async def wait_until_closed(self) -> None:
        """Poll the call until the scheduled job has closed it at its deadline."""
        async with self._waiting:
            loop = asyncio.get_running_loop()
            give_up = loop.time() + CLOSED_DEADLINE_S
            while not self._closed:
                if await self._state() == calls.CALL_STATE_CLOSED:
                    self._closed = True
                elif loop.time() > give_up:
                    raise AssertionError(f"{self.call_name} was not closed at its deadline")
                else:
                    await asyncio.sleep(0.2)

    async def award(self, n: int) -> None:
        """Award application n (nothing once all are awarded), once the call is closed."""
        if n > len(self.applications):
            return
        await self.wait_until_closed()
        title, application = self.applications[n - 1]
        decision = awards_pb2.DecideAwardsRequest(
            call=self.call_name, items=[requests.award_item(application)]
        )
        await self.workload.ledger.call(
            "award",
            title,
            lambda: self.workload.grants.DecideAwards(
                decision, metadata=self.workload.as_user["manager"], timeout=CALL_TIMEOUT_S
            ),
        )

    def pace(self) -> Pace:
        return Pace(self.award, WORKERS, INTERVAL_S)
