"""Event propagation under load: registry changes at 500 per second through the outbox, a 3-node
NATS JetStream cluster (R3 streams, `sync_interval: always`) and the grants and reporting read
models; p50/p99 lag per event and consumer, beside a raw nats-py JetStream publish -> pull
consume round trip on the same cluster at the same rate, measured in the same run.

Processes: three nats-server nodes, the dev IdP, registry (2 replicas), grants and reporting,
each started as `nlc serve`, on PostgreSQL database nlc_bench_propagation (dropped and created
on the server of NLC_BENCH_DATABASE_URL). Each change is a CreateOrganisation by the national
admin, whose `organisation.created` event both read models consume. Lag = the consumer's
inbox.processed_at - the producer's outbox.occurred_at (both read from PostgreSQL after the run;
both stamped by service clocks on this machine; processed_at is taken as the consumer starts the
event, and its transaction commits right after). The baseline stamps each message as it is
published and takes the time when a pull consumer (fetch of up to 50, as the services do) gets it.
Run: `make bench-propagation` (or `PYTHONPATH=. .venv/bin/python bench/event_propagation.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import grpc
import nats
import nats.errors
from _stack import password_token, percentile_ms
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import ServiceUnavailableError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from nlc.registry.v1 import organisations_pb2, registry_pb2_grpc
from services.grants.consumers import DURABLE as GRANTS_DURABLE
from services.reporting.consumers import REGISTRY_DURABLE as REPORTING_DURABLE
from tests.resilience.database import fresh_database
from tests.resilience.stack import deployment, shared_env
from tests.resilience.workload import CHANNEL_OPTIONS
from tests.support.nats_cluster import NatsCluster, nats_cluster

SERVER_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nlc_bench"
DATABASE = "nlc_bench_propagation"
CONSUMERS = {"grants": GRANTS_DURABLE, "reporting": REPORTING_DURABLE}
MAX_IN_FLIGHT = 200
DRAIN_DEADLINE_S = 300.0
TARGET_P99_MS = 100.0


async def open_loop(rate: float, seconds: float, send: Callable[[int], Awaitable[None]]) -> float:
    """Start send(n) at n / rate seconds for `seconds`, without waiting for earlier ones to
    finish; returns the seconds until every send has finished."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    tasks = []
    for n in range(int(rate * seconds)):
        delay = began + n / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n)))
    await asyncio.gather(*tasks)
    return loop.time() - began


async def raw_round_trip(cluster: NatsCluster, rate: float, seconds: float) -> list[float]:
    """Seconds from publish to a pull consumer's receipt, per message, on an R3 file stream."""
    nc = await nats.connect(servers=cluster.urls.split(","))
    js = nc.jetstream()
    config = StreamConfig(
        name="BENCH_RAW", subjects=["bench.raw"], storage=StorageType.FILE, num_replicas=3
    )
    await js.add_stream(config)
    sub = await js.pull_subscribe("bench.raw", durable="bench-raw", stream="BENCH_RAW")
    total = int(rate * seconds)
    lags: list[float] = []

    async def consume() -> None:
        while len(lags) < total:
            try:
                messages = await sub.fetch(50, timeout=1)
            except (nats.errors.TimeoutError, ServiceUnavailableError):
                # Nothing yet, or the new stream's leader is still being elected.
                continue
            received = time.perf_counter()
            for message in messages:
                lags.append(received - float(message.data))
                await message.ack()

    consuming = asyncio.create_task(consume())

    async def publish(_n: int) -> None:
        await js.publish("bench.raw", repr(time.perf_counter()).encode(), timeout=10)

    await open_loop(rate, seconds, publish)
    await asyncio.wait_for(consuming, DRAIN_DEADLINE_S)
    await js.delete_stream("BENCH_RAW")
    await nc.close()
    return sorted(lags)


async def registry_changes(target: str, metadata, rate: float, seconds: float) -> dict:
    """CreateOrganisation at `rate` per second for `seconds`: latencies, errors, elapsed."""
    latencies: list[float] = []
    errors: list[str] = []
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with grpc.aio.insecure_channel(target, CHANNEL_OPTIONS) as channel:
        registry = registry_pb2_grpc.RegistryServiceStub(channel)

        async def change(n: int) -> None:
            request = organisations_pb2.CreateOrganisationRequest(
                organisation=organisations_pb2.Organisation(
                    display_name=f"Propagation bench organisation {n:06d}",
                    kind=organisations_pb2.ORGANISATION_KIND_CSO,
                )
            )
            async with gate:
                started = time.perf_counter()
                try:
                    await registry.CreateOrganisation(request, metadata=metadata, timeout=60)
                except grpc.aio.AioRpcError as error:
                    errors.append(error.code().name)
                    return
                latencies.append(time.perf_counter() - started)

        elapsed = await open_loop(rate, seconds, change)
    return {"latencies": sorted(latencies), "errors": errors, "elapsed": elapsed}


async def _scalar(engine: AsyncEngine, sql: str, **params: object) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(sql), params)).scalar_one())


async def drained(engine: AsyncEngine, since: datetime) -> dict[str, int]:
    """Events since `since` in registry's outbox, and how many each consumer has handled, once
    every consumer has caught up (or the deadline passed)."""
    events = "SELECT count(*) FROM registry.outbox WHERE occurred_at >= :since"
    handled = (
        "SELECT count(*) FROM {schema}.inbox i JOIN registry.outbox o ON o.id = i.event_id"
        " WHERE i.consumer = :durable AND o.occurred_at >= :since"
    )
    loop = asyncio.get_running_loop()
    give_up = loop.time() + DRAIN_DEADLINE_S
    while True:
        counts = {"events": await _scalar(engine, events, since=since)}
        for schema, durable in CONSUMERS.items():
            sql = handled.format(schema=schema)
            counts[durable] = await _scalar(engine, sql, durable=durable, since=since)
        if all(n == counts["events"] for n in counts.values()) or loop.time() > give_up:
            return counts
        await asyncio.sleep(0.5)


async def lags(engine: AsyncEngine, sql: str, **params: object) -> list[float]:
    async with engine.connect() as conn:
        return sorted(float(s) for (s,) in await conn.execute(text(sql), params))


async def platform_lags(engine: AsyncEngine, since: datetime) -> dict[str, list[float]]:
    """Seconds per event: commit -> marked published, commit -> each consumer, and marked
    published -> each consumer (negative when a consumer got the event before the relay
    recorded its PubAck)."""
    found = {
        "outbox relay (occurred -> marked published)": await lags(
            engine,
            "SELECT EXTRACT(EPOCH FROM published_at - occurred_at) FROM registry.outbox"
            " WHERE occurred_at >= :since",
            since=since,
        )
    }
    for schema, durable in CONSUMERS.items():
        found[f"registry -> {durable} (occurred -> handled)"] = await lags(
            engine,
            f"SELECT EXTRACT(EPOCH FROM i.processed_at - o.occurred_at) FROM {schema}.inbox i"
            " JOIN registry.outbox o ON o.id = i.event_id"
            " WHERE i.consumer = :durable AND o.occurred_at >= :since",
            durable=durable,
            since=since,
        )
        found[f"  of which published -> {durable} handled"] = await lags(
            engine,
            f"SELECT EXTRACT(EPOCH FROM i.processed_at - o.published_at) FROM {schema}.inbox i"
            " JOIN registry.outbox o ON o.id = i.event_id"
            " WHERE i.consumer = :durable AND o.occurred_at >= :since",
            durable=durable,
            since=since,
        )
    return found


async def throughput(engine: AsyncEngine, since: datetime) -> dict[str, float]:
    """Events per second through each stage: events / (last stage time - first occurred_at)."""
    outbox = "FROM registry.outbox o WHERE o.occurred_at >= :since"
    stages = {"commits": ("o.occurred_at", outbox), "relay": ("o.published_at", outbox)}
    for schema, durable in CONSUMERS.items():
        stages[durable] = (
            "i.processed_at",
            f"FROM {schema}.inbox i JOIN registry.outbox o ON o.id = i.event_id"
            f" WHERE i.consumer = '{durable}' AND o.occurred_at >= :since",
        )
    rates = {}
    async with engine.connect() as conn:
        for stage, (last, rows) in stages.items():
            sql = f"SELECT count(*), max({last}) - min(o.occurred_at) {rows}"
            count, span = (await conn.execute(text(sql), {"since": since})).one()
            rates[stage] = count / max(span.total_seconds(), 1e-3)
    return rates


def line(label: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{label:<58} no samples"
    return (
        f"{label:<58} n {len(seconds):6}   p50 {percentile_ms(seconds, 0.5):8.1f} ms   "
        f"p99 {percentile_ms(seconds, 0.99):8.1f} ms   max {1000 * seconds[-1]:8.1f} ms"
    )


async def main(rate: float, seconds: float, server_url: str, registry_replicas: int) -> None:
    load = os.getloadavg()
    database_url = await fresh_database(server_url, DATABASE)
    root = Path(tempfile.mkdtemp(prefix="nlc-bench-propagation-"))
    async with nats_cluster(root / "nats") as cluster:
        async with deployment(root, shared_env(database_url, cluster.urls)) as platform:
            for _ in range(registry_replicas):
                await platform.serve("registry")
            await platform.serve("grants")
            await platform.serve("reporting")
            baseline = await raw_round_trip(cluster, rate, seconds)
            admin = (("authorization", f"Bearer {await password_token(platform.issuer, 'admin')}"),)
            engine = create_async_engine(database_url)
            since = datetime.now(UTC)
            driven = await registry_changes(platform.target("registry"), admin, rate, seconds)
            counts = await drained(engine, since)
            measured = await platform_lags(engine, since)
            rates = await throughput(engine, since)
            await engine.dispose()

    sent = int(rate * seconds)
    rpcs = driven["latencies"]
    print(
        f"{sent} registry changes offered at {rate:.0f}/s for {seconds:.0f} s; "
        f"{len(rpcs)} OK in {driven['elapsed']:.1f} s ({len(rpcs) / driven['elapsed']:.0f}/s), "
        f"errors {len(driven['errors'])}; registry x{registry_replicas}, grants x1, reporting x1, "
        f"3 NATS nodes (R3, sync always), PostgreSQL {make_url(server_url).host}, "
        f"cpus {os.cpu_count()}, load average before/after {load[0]:.1f}/{os.getloadavg()[0]:.1f}"
    )
    print("throughput per stage: " + ", ".join(f"{k} {v:.0f}/s" for k, v in rates.items()))
    print(f"events {counts['events']}, handled: " + ", ".join(
        f"{d} {counts[d]}" for d in CONSUMERS.values()
    ))  # fmt: skip
    print(line("raw nats-py JetStream publish -> pull consume (baseline)", baseline))
    print(line("CreateOrganisation RPC latency", rpcs))
    for label, seconds_each in measured.items():
        print(line(label, seconds_each))
    worst = max(
        percentile_ms(s, 0.99)
        for label, s in measured.items()
        if "occurred -> handled" in label and s
    )
    base = percentile_ms(baseline, 0.99)
    verdict = "met" if worst < TARGET_P99_MS else "NOT met"
    print(
        f"end-to-end p99 {worst:.1f} ms vs baseline p99 {base:.1f} ms: ratio {worst / base:.1f}; "
        f"target p99 < {TARGET_P99_MS:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--registry-replicas", type=int, default=2)
    parser.add_argument(
        "--database-url", default=os.environ.get("NLC_BENCH_DATABASE_URL", SERVER_URL)
    )
    options = parser.parse_args()
    asyncio.run(
        main(options.rate, options.seconds, options.database_url, options.registry_replicas)
    )
