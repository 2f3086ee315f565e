"""TLS for gRPC and NATS from settings: a service with certificates refuses plaintext callers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.app import start_service
from services.common.config import load_settings
from services.common.messaging import connect
from services.common.net import free_port
from services.common.tls import aio_channel, channel_credentials, nats_ssl_context
from services.registry.service import SPEC as REGISTRY
from tests.support.certs import Certs, make_certs
from tests.support.nats import NatsServer


@pytest.fixture
def certs(tmp_path: Path) -> Certs:
    return make_certs(tmp_path / "certs")


@pytest.fixture
def tls_nats(tmp_path_factory: pytest.TempPathFactory, certs: Certs) -> Iterator[str]:
    """A nats-server with JetStream that only speaks TLS, with the test CA's certificate."""
    tls = ["--tls", "--tlscert", str(certs.cert), "--tlskey", str(certs.key)]
    server = NatsServer(tmp_path_factory.mktemp("nats-tls"), free_port(), tls)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


async def health(channel: grpc.aio.Channel) -> int:
    reply = await health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(service=""), timeout=5
    )
    return reply.status


async def test_service_with_certificates_serves_tls_to_clients_trusting_the_ca(
    tmp_path: Path, certs: Certs, tls_nats: str, idp: Any, database_url: str, db_schema: str
) -> None:
    settings = load_settings(
        home=tmp_path / "home",
        nats_url=tls_nats,
        oidc_issuer=idp.issuer,
        database_url=database_url,
        grpc_tls_cert=str(certs.cert),
        grpc_tls_key=str(certs.key),
        grpc_tls_ca=str(certs.ca),
        nats_tls_ca=str(certs.ca),
    )
    service = await start_service(REGISTRY, settings, port=0, relay=False, db_schema=db_schema)
    target = f"127.0.0.1:{service.port}"
    try:
        async with aio_channel(target, channel_credentials(settings)) as channel:
            assert await health(channel) == health_pb2.HealthCheckResponse.SERVING
        async with aio_channel(target) as plaintext:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await health(plaintext)
    finally:
        await service.stop()

    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_nats_over_tls_connects_trusting_the_ca(
    tmp_path: Path, certs: Certs, tls_nats: str
) -> None:
    settings = load_settings(home=tmp_path / "home", nats_tls_ca=str(certs.ca))

    nc = await connect(tls_nats, name="tls-test", tls=nats_ssl_context(settings))
    try:
        info = await nc.jetstream().account_info()
    finally:
        await nc.close()

    assert info.limits is not None


def test_half_a_key_pair_is_a_clear_error(tmp_path: Path, certs: Certs) -> None:
    settings = load_settings(home=tmp_path / "home", nats_tls_cert=str(certs.cert))

    with pytest.raises(ValueError, match="NLC_NATS_TLS_KEY"):
        nats_ssl_context(settings)
