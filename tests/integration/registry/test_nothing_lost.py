"""Nothing accepted is lost: kill -9 the registry between commit and publish; delivered once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import grpc
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from nlc.registry.v1 import events_pb2, jurisdictions_pb2, registry_pb2_grpc
from services.common.db import create_engine, session_factory
from services.common.kit_tables import KIT_METADATA
from services.common.messaging import ConsumerRunner, EventEnvelope, connect
from tests.support.nats import NatsServer, free_port

DEADLINE_S = 30.0


async def _eventually(check, what: str, deadline_s: float = DEADLINE_S) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    while not await check():
        if loop.time() > give_up:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class RegistryProcess:
    """`nlc serve registry` as its own OS process, so the test can kill -9 it."""

    def __init__(self, home: Path, nats_url: str, issuer: str) -> None:
        self.port = free_port()
        self.home = home
        self.env = {
            **os.environ,
            "NLC_HOME": str(home),
            "NLC_NATS_URL": nats_url,
            "NLC_OIDC_ISSUER": issuer,
            "NLC_REGISTRY_PORT": str(self.port),
        }
        self.env.pop("NLC_DATABASE_URL", None)
        self.process: asyncio.subprocess.Process | None = None

    @property
    def database(self) -> Path:
        return self.home / "db" / "registry.db"

    async def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        with (self.home / "registry.log").open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                *["-m", "services.cli", "serve", "registry"],
                env=self.env,
                stdout=log,
                stderr=log,
            )
        await _eventually(self._serving, "the registry to serve")

    async def _serving(self) -> bool:
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        assert self.process is not None
        if self.process.returncode is not None:
            raise AssertionError((self.home / "registry.log").read_text()[-2000:])
        async with grpc.aio.insecure_channel(f"127.0.0.1:{self.port}") as channel:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=1
                )
            except grpc.aio.AioRpcError:
                return False
        return reply.status == health_pb2.HealthCheckResponse.SERVING

    async def kill_9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 10)

    def unpublished(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(
                "SELECT id, subject FROM outbox WHERE published_at IS NULL ORDER BY seq"
            ).fetchall()

    def forget_publication(self, event_id: str) -> None:
        """As if the process died after the PubAck but before marking the row published."""
        with sqlite3.connect(self.database) as db:
            db.execute("UPDATE outbox SET published_at = NULL WHERE id = ?", (event_id,))


class CountingConsumer:
    """A durable consumer of registry events that counts how often each event takes effect."""

    def __init__(self, tmp: Path, nats_url: str) -> None:
        self.seen: Counter[str] = Counter()
        self.subjects: dict[str, str] = {}
        self.engine = create_engine(f"sqlite+aiosqlite:///{tmp / 'consumer.db'}", schema="c")
        self.nats_url = nats_url

    async def handle(self, session: AsyncSession, event: EventEnvelope) -> None:
        self.seen[event.id] += 1
        self.subjects[event.id] = event.subject

    async def start(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(KIT_METADATA.create_all)
        self.nc = await connect(self.nats_url, name="test-consumer")
        self.runner = ConsumerRunner(
            self.nc.jetstream(),
            session_factory(self.engine),
            stream="NLC_REGISTRY",
            durable="test-counter",
            filter_subjects=["nlc.registry.>"],
            handler=self.handle,
        )
        self.task = asyncio.create_task(self.runner.run())

    async def stop(self) -> None:
        await self.runner.stop()
        await self.task
        await self.nc.close()
        await self.engine.dispose()


def _new_region(code: str) -> jurisdictions_pb2.CreateJurisdictionRequest:
    return jurisdictions_pb2.CreateJurisdictionRequest(
        jurisdiction=jurisdictions_pb2.Jurisdiction(
            code=code,
            display_name=f"Country {code}",
            level=jurisdictions_pb2.JURISDICTION_LEVEL_COUNTRY,
        )
    )


@pytest.mark.timeout(180)
async def test_event_committed_before_a_crash_is_delivered_exactly_once(
    tmp_path: Path, nats_process: NatsServer, idp: Any
) -> None:
    registry = RegistryProcess(tmp_path / "home", nats_process.url, idp.issuer)
    await registry.start()
    consumer = CountingConsumer(tmp_path, nats_process.url)
    await consumer.start()
    token = await idp.token_for("admin")
    try:
        nats_process.stop()
        async with grpc.aio.insecure_channel(f"127.0.0.1:{registry.port}") as channel:
            created = await registry_pb2_grpc.RegistryServiceStub(channel).CreateJurisdiction(
                _new_region("LOST-NOT"),
                metadata=[("authorization", f"Bearer {token}")],
                timeout=10,
            )
        pending = registry.unpublished()
        assert [subject for _, subject in pending] == ["nlc.registry.jurisdiction.created"]
        event_id = pending[0][0]

        await registry.kill_9()
        nats_process.start()
        assert consumer.seen[event_id] == 0

        await registry.start()

        async def delivered() -> bool:
            return consumer.seen[event_id] >= 1 and not registry.unpublished()

        await _eventually(delivered, "the committed event to reach the consumer")

        await registry.stop()
        registry.forget_publication(event_id)
        await registry.start()

        async def republished() -> bool:
            return not registry.unpublished()

        await _eventually(republished, "the relay to publish the row again")
        marker = await _publish_marker(nats_process.url)

        async def caught_up() -> bool:
            return consumer.seen[marker] == 1

        await _eventually(caught_up, "the consumer to pass the marker event")
    finally:
        await consumer.stop()
        await registry.stop()

    assert consumer.seen[event_id] == 1
    assert consumer.subjects[event_id] == "nlc.registry.jurisdiction.created"
    assert created.code == "LOST-NOT"


async def _publish_marker(nats_url: str) -> str:
    """An event published after the re-publish; once it is consumed, the re-publish was too."""
    nc = await connect(nats_url, name="test-marker")
    marker_id = "marker-after-republish"
    try:
        await nc.jetstream().publish(
            "nlc.registry.test.marker",
            events_pb2.JurisdictionChanged().SerializeToString(),
            headers={"Nats-Msg-Id": marker_id, "Nlc-Event-Type": "test.marker"},
        )
    finally:
        await nc.close()
    return marker_id
