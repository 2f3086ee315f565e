"""`GET /metrics` over HTTP for Prometheus, on the service's own event loop (aiohttp)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from aiohttp import web
from nats.js import JetStreamContext
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.messaging import ConsumerRunner
from services.common.metrics import Durable, ServiceMetrics, StateReader


class MetricsEndpoint:
    """Serves one service's registry; each scrape first reads the database and JetStream."""

    def __init__(self, metrics: ServiceMetrics, state: StateReader) -> None:
        self._metrics = metrics
        self._state = state
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> int:
        """Listen on host:port (0 picks a free port) and return the bound port."""
        app = web.Application()
        app.router.add_get("/metrics", self._scrape)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            await runner.cleanup()
            why = os.strerror(error.errno) if error.errno else str(error)
            raise OSError(f"cannot serve metrics on {host}:{port}: {why}") from error
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        """Stop listening."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _scrape(self, _request: web.Request) -> web.Response:
        await self._state.refresh()
        body = generate_latest(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def serve_metrics(
    metrics: ServiceMetrics,
    *,
    engine: AsyncEngine,
    js: JetStreamContext,
    consumers: Sequence[ConsumerRunner],
    host: str,
    port: int,
) -> MetricsEndpoint:
    """Start the endpoint of a service's metrics, reading lag for each of its consumers."""
    durables = [Durable(consumer.stream, consumer.durable) for consumer in consumers]
    endpoint = MetricsEndpoint(
        metrics, StateReader(metrics, engine=engine, js=js, durables=durables)
    )
    await endpoint.start(host, port)
    return endpoint
