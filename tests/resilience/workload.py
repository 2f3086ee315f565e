"""A steady mixed workload as the demo users, over one round-robin channel per service: registry
changes, grant applications (created, then submitted), action plans (created, then submitted)
and shares; other kinds of request join at their own pace (deadline_calls, award_decisions,
report_acceptances). Every request carries a value of its own, recorded with its outcome in a
Ledger."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from keycloak import KeycloakOpenID

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from nlc.infoshare.v1 import infoshare_pb2_grpc
from nlc.registry.v1 import registry_pb2_grpc
from nlc.reporting.v1 import plans_pb2, reporting_pb2_grpc
from tests.resilience import requests
from tests.resilience.ledger import Ledger
from tests.resilience.stack import Deployment

USERS = ("admin", "manager", "cso", "city", "reviewer", "social", "social-dpo", "auditor")
CALL_TIMEOUT_S = 10.0
READ_MODEL_DEADLINE_S = 60.0
# Reconnect to a restarted replica within a second instead of gRPC's growing backoff.
CHANNEL_OPTIONS = (
    ("grpc.lb_policy_name", "round_robin"),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
)
Metadata = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Pace:
    """A kind of request (step(n) sends request n), sent from `workers` loops, one request per
    interval_s per loop."""

    step: Callable[[int], Awaitable[Any]]
    workers: int
    interval_s: float


async def bearer(issuer: str, username: str) -> Metadata:
    """A demo user's access token from the IdP's password grant, as call metadata."""
    base, realm = issuer.split("/realms/")
    oidc = KeycloakOpenID(server_url=f"{base}/", realm_name=realm, client_id="nlc-cli")
    token = (await oidc.a_token(username, "demo"))["access_token"]
    return (("authorization", f"Bearer {token}"),)


class Workload:
    """Stubs for every service, the callers' tokens and the ledger of what was sent."""

    def __init__(self, deployment: Deployment, run: str) -> None:
        self.deployment = deployment
        self.run = run
        self.ledger = Ledger()
        self.as_user: dict[str, Metadata] = {}
        self.call_name = ""
        self.channels = {
            service: grpc.aio.insecure_channel(deployment.target(service), CHANNEL_OPTIONS)
            for service in ("registry", "grants", "reporting", "infoshare")
        }
        self.registry = registry_pb2_grpc.RegistryServiceStub(self.channels["registry"])
        self.grants = grants_pb2_grpc.GrantsServiceStub(self.channels["grants"])
        self.reporting = reporting_pb2_grpc.ReportingServiceStub(self.channels["reporting"])
        self.infoshare = infoshare_pb2_grpc.InfoshareServiceStub(self.channels["infoshare"])

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()

    def value(self, kind: str, n: int) -> str:
        """The unique value of request n of kind in this run."""
        return f"{self.run}-{kind}-{n:05d}"

    async def authenticate(self) -> None:
        """Fresh tokens for every caller (they last five minutes)."""
        issuer = self.deployment.issuer
        self.as_user = {user: await bearer(issuer, user) for user in USERS}

    async def prepare(self) -> None:
        """Open the call to apply to, and wait until grants knows the demo CSO is verified."""
        manager = self.as_user["manager"]
        draft = await self.grants.CreateCall(
            requests.call(f"{self.run} resilience fund"), metadata=manager, timeout=CALL_TIMEOUT_S
        )
        opened = await self.grants.OpenCall(
            calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=CALL_TIMEOUT_S
        )
        self.call_name = opened.name
        probe = await self.grants.CreateApplication(
            requests.application(self.call_name, f"probe {self.run}"),
            metadata=self.as_user["cso"],
            timeout=CALL_TIMEOUT_S,
        )
        loop = asyncio.get_running_loop()
        give_up = loop.time() + READ_MODEL_DEADLINE_S
        while True:
            try:
                await self.grants.SubmitApplication(
                    apps.SubmitApplicationRequest(name=probe.name),
                    metadata=self.as_user["cso"],
                    timeout=CALL_TIMEOUT_S,
                )
                return
            except grpc.aio.AioRpcError as error:
                known = error.code() != grpc.StatusCode.FAILED_PRECONDITION
                if known or loop.time() > give_up:
                    raise
            await asyncio.sleep(0.2)

    async def organisation(self, n: int) -> None:
        name = self.value("org", n)
        await self.ledger.call(
            "organisation",
            name,
            lambda: self.registry.CreateOrganisation(
                requests.organisation(name),
                metadata=self.as_user["admin"],
                timeout=CALL_TIMEOUT_S,
            ),
        )

    async def application(self, n: int) -> None:
        title, cso = self.value("app", n), self.as_user["cso"]
        await self.ledger.chain(
            title,
            (
                "application",
                lambda _: self.grants.CreateApplication(
                    requests.application(self.call_name, title),
                    metadata=cso,
                    timeout=CALL_TIMEOUT_S,
                ),
            ),
            (
                "application submitted",
                lambda created: self.grants.SubmitApplication(
                    apps.SubmitApplicationRequest(name=created.name),
                    metadata=cso,
                    timeout=CALL_TIMEOUT_S,
                ),
            ),
        )

    async def plan(self, n: int) -> None:
        title, city = self.value("plan", n), self.as_user["city"]
        await self.ledger.chain(
            title,
            (
                "plan",
                lambda _: self.reporting.CreateActionPlan(
                    requests.action_plan(title), metadata=city, timeout=CALL_TIMEOUT_S
                ),
            ),
            (
                "plan submitted",
                lambda created: self.reporting.SubmitActionPlan(
                    plans_pb2.SubmitActionPlanRequest(name=created.name, etag=created.etag),
                    metadata=city,
                    timeout=CALL_TIMEOUT_S,
                ),
            ),
        )

    async def share(self, n: int) -> None:
        reference = self.value("share", n)
        await self.ledger.call(
            "share",
            reference,
            lambda: self.infoshare.SendShare(
                requests.share(reference),
                metadata=self.as_user["social"],
                timeout=CALL_TIMEOUT_S,
            ),
        )

    def paces(self, interval_s: float, workers: int) -> list[Pace]:
        """Registry changes, applications, plans and shares, each from `workers` loops sending
        one request per interval_s."""
        steps = (self.organisation, self.application, self.plan, self.share)
        return [Pace(step, workers, interval_s) for step in steps]

    async def run_until(self, stop: asyncio.Event, paces: Sequence[Pace]) -> None:
        """Every kind of request at its pace until stop is set."""
        loops = []
        for pace in paces:
            numbers = itertools.count(1)
            loops.extend(
                _steady(stop, pace.interval_s, pace.step, numbers) for _ in range(pace.workers)
            )
        await asyncio.gather(*loops)


async def _steady(
    stop: asyncio.Event,
    interval_s: float,
    step: Callable[[int], Awaitable[Any]],
    numbers: itertools.count[int],
) -> None:
    """Call step(next number) every interval_s (at once when late) until stop is set."""
    loop = asyncio.get_running_loop()
    due = loop.time()
    while not stop.is_set():
        await step(next(numbers))
        due = max(due + interval_s, loop.time())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), due - loop.time())
