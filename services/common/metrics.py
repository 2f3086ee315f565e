"""Prometheus metrics of one running service: RPCs, outbox backlog, consumer lag, dead letters.

Each running service has a registry of its own, so several services can run in one process.
RPCs are counted as they finish; the database and JetStream figures are read when Prometheus
scrapes (see metrics_http.py), on the service's event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import read_session_factory
from services.common.kit_tables import dead_letter, outbox

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 2.0
CONSUMER_LABELS = ["stream", "consumer"]


@dataclass(frozen=True)
class Durable:
    """A durable consumer the service runs: its stream and its name."""

    stream: str
    name: str


class ServiceMetrics:
    """One service's metrics, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        by_call = ["method", "code"]
        self.rpc_duration = Histogram(
            "nlc_rpc_duration_seconds",
            "Time to answer an RPC, by method and status code.",
            by_call,
            registry=self.registry,
        )
        self.rpc_total = Counter(
            "nlc_rpc", "RPCs answered, by method and status code.", by_call, registry=self.registry
        )
        self.outbox_backlog = Gauge(
            "nlc_outbox_backlog",
            "Events in the outbox not yet published to JetStream.",
            registry=self.registry,
        )
        self.consumer_pending = Gauge(
            "nlc_consumer_pending",
            "Events in the stream not yet delivered to the durable consumer.",
            CONSUMER_LABELS,
            registry=self.registry,
        )
        self.consumer_ack_pending = Gauge(
            "nlc_consumer_ack_pending",
            "Events delivered to the durable consumer and not yet acknowledged.",
            CONSUMER_LABELS,
            registry=self.registry,
        )
        self.dead_letters = Gauge(
            "nlc_dead_letters",
            "Events a consumer gave up on, kept in the dead_letter table.",
            ["consumer"],
            registry=self.registry,
        )
        self.source_up = Gauge(
            "nlc_metrics_source_up",
            "1 when the last scrape could read the source (database, nats), else 0.",
            ["source"],
            registry=self.registry,
        )

    def observe_rpc(self, method: str, code: grpc.StatusCode, seconds: float) -> None:
        """Count one finished RPC."""
        self.rpc_duration.labels(method, code.name).observe(seconds)
        self.rpc_total.labels(method, code.name).inc()


class StateReader:
    """Reads the outbox backlog, dead letters and consumer lag into a ServiceMetrics."""

    def __init__(
        self,
        metrics: ServiceMetrics,
        *,
        engine: AsyncEngine,
        js: JetStreamContext,
        durables: Sequence[Durable],
    ) -> None:
        self._metrics = metrics
        self._sessions = read_session_factory(engine)
        self._js = js
        self._durables = list(durables)
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Read both sources, each for at most READ_TIMEOUT_S; a failed source reads 0 in
        nlc_metrics_source_up and keeps its last figures."""
        async with self._lock:
            await asyncio.gather(
                self._read("database", self._read_database()),
                self._read("nats", self._read_consumers()),
            )

    async def _read(self, source: str, reading: Coroutine[Any, Any, None]) -> None:
        try:
            await asyncio.wait_for(reading, READ_TIMEOUT_S)
        except Exception as error:
            log.warning("metrics: cannot read %s: %r", source, error)
            self._metrics.source_up.labels(source).set(0)
        else:
            self._metrics.source_up.labels(source).set(1)

    async def _read_database(self) -> None:
        pending = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        per_consumer = select(dead_letter.c.consumer, func.count()).group_by(dead_letter.c.consumer)
        async with self._sessions() as session:
            backlog = await session.scalar(pending)
            dead = dict((await session.execute(per_consumer)).tuples().all())
        self._metrics.outbox_backlog.set(backlog or 0)
        for durable in self._durables:
            dead.setdefault(durable.name, 0)
        for consumer, count in dead.items():
            self._metrics.dead_letters.labels(consumer).set(count)

    async def _read_consumers(self) -> None:
        for durable in self._durables:
            try:
                info = await self._js.consumer_info(durable.stream, durable.name)
            except NotFoundError:
                continue  # not created yet: its runner subscribes shortly
            labels = (durable.stream, durable.name)
            self._metrics.consumer_pending.labels(*labels).set(info.num_pending or 0)
            self._metrics.consumer_ack_pending.labels(*labels).set(info.num_ack_pending or 0)
