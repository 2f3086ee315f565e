"""Prometheus metrics of a running service, scraped over HTTP as Prometheus does."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import grpc
import pytest
from prometheus_client.parser import text_string_to_metric_families

from nlc.registry.v1 import jurisdictions_pb2, registry_pb2_grpc
from services.common.app import RunningService, start_service
from services.common.config import Settings, load_settings
from services.common.messaging import connect, ensure_stream
from services.common.outbox import MSG_ID_HEADER
from services.grants.consumers import DURABLE as GRANTS_REGISTRY_DURABLE
from services.grants.service import SPEC as GRANTS
from services.registry.service import SPEC as REGISTRY

CREATE = "/nlc.registry.v1.RegistryService/CreateJurisdiction"
LIST = "/nlc.registry.v1.RegistryService/ListJurisdictions"
DEADLINE_S = 20.0

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(port: int) -> Samples:
    """Every sample on /metrics, by name and labels."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/metrics", timeout=aiohttp.ClientTimeout(10)) as reply,
    ):
        assert reply.status == 200
        assert reply.content_type == "text/plain"
        text = await reply.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def scrape_until(port: int, ready: Callable[[Samples], bool]) -> Samples:
    """Scrape until ready(samples) holds, failing at DEADLINE_S."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + DEADLINE_S
    while True:
        samples = await scrape(port)
        if ready(samples):
            return samples
        assert loop.time() < give_up, f"metrics never got there: {samples}"
        await asyncio.sleep(0.1)


def _settings(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, **more: Any
) -> Settings:
    return load_settings(
        home=tmp_path / "home",
        nats_url=nats_server,
        oidc_issuer=idp.issuer,
        database_url=database_url,
        **more,
    )


@asynccontextmanager
async def running(spec: Any, settings: Settings, **options: Any) -> AsyncIterator[RunningService]:
    service = await start_service(spec, settings, port=0, **options)
    try:
        yield service
    finally:
        await service.stop()


async def test_rpcs_are_counted_by_method_and_code_and_the_backlog_shows(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> None:
    settings = _settings(tmp_path, nats_server, idp, database_url)
    metadata = [("authorization", f"Bearer {await idp.token_for('admin')}")]
    # Without the relay, the event of the jurisdiction created below stays in the outbox.
    async with (
        running(REGISTRY, settings, relay=False, db_schema=db_schema) as service,
        grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel,
    ):
        stub = registry_pb2_grpc.RegistryServiceStub(channel)
        await stub.ListJurisdictions(
            jurisdictions_pb2.ListJurisdictionsRequest(), metadata=metadata, timeout=10
        )
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CreateJurisdiction(
                jurisdictions_pb2.CreateJurisdictionRequest(), metadata=metadata, timeout=10
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        await stub.CreateJurisdiction(
            jurisdictions_pb2.CreateJurisdictionRequest(
                jurisdiction=jurisdictions_pb2.Jurisdiction(
                    code="METRICS",
                    display_name="Country of the metrics test",
                    level=jurisdictions_pb2.JURISDICTION_LEVEL_COUNTRY,
                )
            ),
            metadata=metadata,
            timeout=10,
        )
        assert service.metrics_port
        samples = await scrape(service.metrics_port)

    assert value(samples, "nlc_rpc_total", method=LIST, code="OK") == 1
    assert value(samples, "nlc_rpc_total", method=CREATE, code="OK") == 1
    assert value(samples, "nlc_rpc_total", method=CREATE, code="INVALID_ARGUMENT") == 1
    assert value(samples, "nlc_rpc_duration_seconds_count", method=CREATE, code="OK") == 1
    assert value(samples, "nlc_rpc_duration_seconds_sum", method=LIST, code="OK") > 0
    assert value(samples, "nlc_outbox_backlog") == 1
    assert value(samples, "nlc_metrics_source_up", source="database") == 1


async def test_consumer_lag_and_dead_letters_are_reported_per_consumer(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> None:
    settings = _settings(tmp_path, nats_server, idp, database_url, max_deliveries=1)
    nc = await connect(nats_server, name="metrics-test")
    js = nc.jetstream()
    for source in ("registry", "reporting"):
        await ensure_stream(js, source)
    try:
        async with running(GRANTS, settings, db_schema=db_schema) as service:
            assert service.metrics_port
            await js.publish(
                "nlc.registry.jurisdiction.created",
                b"\xff not a protobuf message",
                headers={MSG_ID_HEADER: str(uuid.uuid4())},
            )
            lag = {"stream": "NLC_REGISTRY", "consumer": GRANTS_REGISTRY_DURABLE}

            def dead_lettered(samples: Samples) -> bool:
                return (
                    value(samples, "nlc_dead_letters", consumer=GRANTS_REGISTRY_DURABLE) == 1
                    and value(samples, "nlc_consumer_pending", **lag) == 0
                    and value(samples, "nlc_consumer_ack_pending", **lag) == 0
                )

            samples = await scrape_until(service.metrics_port, dead_lettered)
    finally:
        await nc.close()

    assert value(samples, "nlc_dead_letters", consumer="grants-reporting") == 0
    assert value(samples, "nlc_metrics_source_up", source="nats") == 1


async def test_metrics_can_be_switched_off(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> None:
    settings = _settings(tmp_path, nats_server, idp, database_url, metrics=False)

    async with running(REGISTRY, settings, relay=False, db_schema=db_schema) as service:
        assert service.metrics_port is None
