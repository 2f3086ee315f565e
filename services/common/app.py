"""One bootstrap for every service: database, migrations, NATS, outbox relay, consumers, gRPC."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.common.auth import TokenVerifier
from services.common.clock import Clock, SystemClock
from services.common.config import Settings
from services.common.db import create_engine, read_session_factory, session_factory
from services.common.grpc_server import (
    HealthServicer,
    Policies,
    build_server,
    set_serving,
    start_server,
    stop_server,
)
from services.common.messaging import (
    ConsumerRunner,
    EventHandler,
    connect,
    ensure_stream,
    stream_name,
)
from services.common.metrics import ServiceMetrics
from services.common.metrics_http import MetricsEndpoint, serve_metrics
from services.common.migrations import upgrade
from services.common.outbox import OutboxRelay
from services.common.read_cache import ReadCaches
from services.common.tls import nats_ssl_context, server_credentials
from services.common.uow import UnitOfWorkFactory, uow_factory

log = logging.getLogger("nlc.app")

GRACE_S = 3.0


@dataclass(frozen=True)
class Wiring:
    """What a service's own code is handed to build its dependencies and consumers."""

    settings: Settings
    # Write sessions (units of work, relay, consumers) and read-only sessions for queries.
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    uow: UnitOfWorkFactory
    clock: Clock
    js: JetStreamContext
    # Read caches the service registers here are cleared by the events that change them.
    caches: ReadCaches


def durable_consumer(
    wiring: Wiring, *, source: str, durable: str, subjects: list[str], handler: EventHandler
) -> ConsumerRunner:
    """A durable consumer of the events source service publishes, with the service's settings."""
    return ConsumerRunner(
        wiring.js,
        wiring.sessions,
        stream=stream_name(source),
        durable=durable,
        filter_subjects=subjects,
        handler=handler,
        max_deliveries=wiring.settings.max_deliveries,
        clock=wiring.clock,
    )


@dataclass(frozen=True)
class ServiceSpec:
    """Everything that differs between services; the rest is this module's job."""

    name: str
    grpc_service_names: list[str]
    migrations: Path
    policies: Policies
    build_deps: Callable[[Wiring], Any]
    register: Callable[[grpc.aio.Server, Any], None]
    consumers: Callable[[Wiring, Any], list[ConsumerRunner]] = lambda _wiring, _deps: []
    # Long-running jobs (e.g. closing calls at their deadline); each runs until cancelled.
    background: Callable[[Wiring, Any], list[Coroutine[Any, Any, None]]] = lambda _w, _d: []
    seed_demo: Callable[[Any], Awaitable[bool]] | None = None


@dataclass
class RunningService:
    """A started service; `stop()` shuts it down gracefully."""

    spec: ServiceSpec
    port: int
    deps: Any
    engine: AsyncEngine
    nc: Client
    server: grpc.aio.Server
    health: HealthServicer
    relay: OutboxRelay
    consumers: list[ConsumerRunner]
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    metrics: MetricsEndpoint | None = None

    @property
    def metrics_port(self) -> int | None:
        """The bound port of `/metrics`, or None when metrics are off."""
        return self.metrics.port if self.metrics else None

    async def stop(self) -> None:
        """Finish in-flight calls, stop consumers and jobs, flush the outbox; each step bounded."""
        await stop_server(self.server, self.health, GRACE_S)
        if self.metrics is not None:
            await _bounded(self.metrics.stop(), "metrics endpoint")
        await _bounded(asyncio.gather(*(c.stop() for c in self.consumers)), "consumers")
        for task in self.tasks:
            task.cancel()
        await _bounded(asyncio.gather(*self.tasks, return_exceptions=True), "background tasks")
        await _bounded(self.relay.publish_pending(), "final outbox flush")
        if not await _bounded(self.nc.drain(), "NATS drain"):
            await self.nc.close()
        await _bounded(self.engine.dispose(), "database pool")


STEP_TIMEOUT_S = 1.0


async def _bounded(step: Awaitable[Any], what: str) -> bool:
    """Await one shutdown step for at most STEP_TIMEOUT_S; log and go on if it overruns or fails."""
    try:
        await asyncio.wait_for(step, STEP_TIMEOUT_S)
    except TimeoutError:
        log.warning("shutdown step timed out", extra={"step": what})
        return False
    except Exception as error:
        log.warning("shutdown step failed", extra={"step": what, "error": repr(error)})
        return False
    return True


async def start_service(
    spec: ServiceSpec,
    settings: Settings,
    *,
    port: int | None = None,
    clock: Clock | None = None,
    demo: bool = False,
    relay: bool = True,
    db_schema: str | None = None,
    metrics_port: int | None = None,
) -> RunningService:
    """Migrate, connect, start relay and consumers, seed (optionally), then serve.

    Metrics are served on metrics_port; by default a free one when port is 0, else the
    service's NLC_<SERVICE>_METRICS_PORT.

    Consumers run before the demo seed, so a seed can wait for its read model to fill.
    Returns once the service reports SERVING.
    """
    clock = clock or SystemClock()
    schema = db_schema or spec.name
    engine = create_engine(settings.service_database_url(spec.name), schema=schema)
    await upgrade(engine, spec.migrations, schema=schema)
    sessions = session_factory(engine)
    caches = ReadCaches()
    nc = await connect(
        settings.nats_url,
        name=f"nlc-{spec.name}",
        tls=nats_ssl_context(settings),
        on_reconnect=caches.clear_all,
    )
    js = nc.jetstream()
    await ensure_stream(js, spec.name, replicas=settings.stream_replicas)
    outbox_relay = OutboxRelay(sessions, js, clock=clock)

    def after_commit(subjects: Sequence[str]) -> None:
        outbox_relay.wake()
        caches.committed(subjects)

    wiring = Wiring(
        settings,
        sessions,
        read_session_factory(engine),
        uow_factory(sessions, clock, after_commit),
        clock,
        js,
        caches,
    )
    deps = spec.build_deps(wiring)
    await caches.follow(nc)
    verifier = TokenVerifier(
        settings.issuer, settings.oidc_audience, leeway_s=settings.token_leeway_s
    )
    metrics = ServiceMetrics() if settings.metrics else None
    server, health = build_server(
        verifier=verifier,
        policies=spec.policies,
        register=lambda srv: spec.register(srv, deps),
        service_names=spec.grpc_service_names,
        observer=metrics.observe_rpc if metrics else None,
    )
    consumers = spec.consumers(wiring, deps)
    running = RunningService(spec, 0, deps, engine, nc, server, health, outbox_relay, consumers)
    if relay:
        running.tasks.append(asyncio.create_task(outbox_relay.run()))
    running.tasks.extend(asyncio.create_task(c.run()) for c in consumers)
    running.tasks.extend(asyncio.create_task(job) for job in spec.background(wiring, deps))
    try:
        if demo and spec.seed_demo is not None and await spec.seed_demo(deps):
            log.info("seeded demo data", extra={"service": spec.name})
        wanted = settings.service_port(spec.name) if port is None else port
        running.port = await start_server(
            server, settings.host, wanted, server_credentials(settings)
        )
        if metrics is not None:
            if metrics_port is None:
                metrics_port = 0 if port == 0 else settings.metrics_port(spec.name)
            running.metrics = await serve_metrics(
                metrics,
                engine=engine,
                js=js,
                consumers=consumers,
                host=settings.host,
                port=metrics_port,
            )
    except BaseException:
        await running.stop()
        raise
    await set_serving(health, spec.grpc_service_names)
    log.info("serving", extra={"service": spec.name, "port": running.port})
    return running
