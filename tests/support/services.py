"""Fixtures: a service started by the real bootstrap, on real gRPC, NATS, database and dev IdP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf.descriptor import ServiceDescriptor

from services.common.app import RunningService, start_service
from services.common.clock import FixedClock
from services.common.config import load_settings

TEST_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class ServiceUnderTest:
    """A started service, a channel to it, its descriptor, and tokens for the demo users."""

    running: RunningService
    channel: grpc.aio.Channel
    stub: Any
    descriptor: ServiceDescriptor
    policies: dict[str, Any]
    idp: Any
    clock: FixedClock

    async def token(self, username: str) -> str:
        return await self.idp.token_for(username)

    async def metadata(self, username: str) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {await self.token(username)}")]

    async def call(self, method: str, request: Any, *, as_user: str | None = None) -> Any:
        """Call stub.method as a demo user (or with no token when as_user is None)."""
        metadata = await self.metadata(as_user) if as_user else None
        return await getattr(self.stub, method)(request, metadata=metadata, timeout=15)


def _catalog(name: str) -> tuple[Any, Any, ServiceDescriptor]:
    """The spec, stub class and service descriptor of a service, imported on demand."""
    if name == "registry":
        from nlc.registry.v1 import registry_pb2, registry_pb2_grpc
        from services.registry.service import SPEC

        descriptor = registry_pb2.DESCRIPTOR.services_by_name["RegistryService"]
        return SPEC, registry_pb2_grpc.RegistryServiceStub, descriptor
    if name == "reporting":
        from nlc.reporting.v1 import reporting_pb2, reporting_pb2_grpc
        from services.reporting.service import SPEC as REPORTING

        descriptor = reporting_pb2.DESCRIPTOR.services_by_name["ReportingService"]
        return REPORTING, reporting_pb2_grpc.ReportingServiceStub, descriptor
    if name == "infoshare":
        from nlc.infoshare.v1 import infoshare_pb2, infoshare_pb2_grpc
        from services.infoshare.service import SPEC as INFOSHARE

        descriptor = infoshare_pb2.DESCRIPTOR.services_by_name["InfoshareService"]
        return INFOSHARE, infoshare_pb2_grpc.InfoshareServiceStub, descriptor
    from nlc.grants.v1 import grants_pb2, grants_pb2_grpc
    from services.grants.service import SPEC as GRANTS

    return (
        GRANTS,
        grants_pb2_grpc.GrantsServiceStub,
        grants_pb2.DESCRIPTOR.services_by_name["GrantsService"],
    )


async def _started(
    name: str, tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[ServiceUnderTest]:
    spec, stub_class, descriptor = _catalog(name)
    settings = load_settings(
        home=tmp_path / "home",
        nats_url=nats_server,
        oidc_issuer=idp.issuer,
        database_url=database_url,
    )
    clock = FixedClock(TEST_NOW)
    # Other services' demos wait for registry events, which a single-service test never sends.
    demo = name == "registry"
    running = await start_service(
        spec, settings, port=0, clock=clock, demo=demo, db_schema=db_schema
    )
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{running.port}")
    try:
        yield ServiceUnderTest(
            running, channel, stub_class(channel), descriptor, dict(spec.policies), idp, clock
        )
    finally:
        await channel.close()
        await running.stop()


@pytest.fixture
async def registry_service(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[ServiceUnderTest]:
    """The registry on a free port, with demo data seeded, on SQLite or PostgreSQL."""
    async for svc in _started("registry", tmp_path, nats_server, idp, database_url, db_schema):
        yield svc


@pytest.fixture
async def reporting_service(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[ServiceUnderTest]:
    """The reporting service on a free port (no demo data), on SQLite or PostgreSQL."""
    async for svc in _started("reporting", tmp_path, nats_server, idp, database_url, db_schema):
        yield svc


@pytest.fixture
async def infoshare_service(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[ServiceUnderTest]:
    """The infoshare service on a free port (no demo data), on SQLite or PostgreSQL."""
    async for svc in _started("infoshare", tmp_path, nats_server, idp, database_url, db_schema):
        yield svc


@pytest.fixture(params=["registry", "grants", "reporting", "infoshare"])
async def any_service(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    nats_server: str,
    idp: Any,
    database_url: str,
    db_schema: str,
) -> AsyncIterator[ServiceUnderTest]:
    """Each service in turn, for contracts every RPC of every service must keep."""
    async for svc in _started(request.param, tmp_path, nats_server, idp, database_url, db_schema):
        yield svc
