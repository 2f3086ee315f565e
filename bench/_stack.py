"""Shared benchmark setup: nats-server, the dev IdP, NLC services and the bare echo baseline.

Each in its own process with free ports and a fresh NLC_HOME; stopped in reverse order on exit.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import grpc
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from services.cli.processes import Child
from services.cli.readiness import grpc_serving, http_ok, tcp_open, wait_until
from services.common.binaries import nats_server_binary
from services.common.net import free_port

ECHO_SERVER = Path(__file__).parent / "echo_server.py"


@dataclass
class Stack:
    """The running processes, their ports and the environment they share."""

    home: Path
    ports: dict[str, int]
    env: dict[str, str]
    children: list[Child] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return self.env["NLC_OIDC_ISSUER"]

    def target(self, name: str) -> str:
        return f"127.0.0.1:{self.ports[name]}"

    async def _start(self, name: str, argv: list[str], ready, deadline_s: float) -> None:
        child = Child(name, argv, self.home / "logs" / f"{name}.log", self.env)
        self.children.append(child)
        await child.start()
        await wait_until(child, ready, what=name, deadline_s=deadline_s)

    async def serve(self, service: str, *args: str) -> str:
        """Start `nlc serve service args`; its gRPC target once it reports SERVING."""
        argv = [sys.executable, "-m", "services.cli", "serve", service, *args]
        target = self.target(service)
        await self._start(service, argv, lambda: grpc_serving(target), 90)
        return target

    async def echo(self, reply_size: int) -> str:
        """Start the bare grpc.aio echo answering reply_size bytes; its target."""
        port = self.ports["echo"]
        argv = [sys.executable, str(ECHO_SERVER), str(port), str(reply_size)]
        await self._start("echo", argv, lambda: tcp_open("127.0.0.1", port), 20)
        return self.target("echo")


@asynccontextmanager
async def platform(services: Sequence[str], **env: str) -> AsyncIterator[Stack]:
    """nats-server and the dev IdP running, ports reserved for services and the echo."""
    home = Path(tempfile.mkdtemp(prefix="nlc-bench-"))
    ports = {name: free_port() for name in ("nats", "idp", *services, "echo")}
    issuer = f"http://127.0.0.1:{ports['idp']}/realms/nlc"
    stack = Stack(
        home,
        ports,
        {
            "NLC_HOME": str(home),
            "NLC_NATS_URL": f"nats://127.0.0.1:{ports['nats']}",
            "NLC_IDP_PORT": str(ports["idp"]),
            "NLC_OIDC_ISSUER": issuer,
            **{f"NLC_{s.upper()}_PORT": str(ports[s]) for s in services},
            "NLC_LOG_JSON": "true",
            **env,
        },
    )
    nats = [str(nats_server_binary()), "-a", "127.0.0.1", "-p", str(ports["nats"]), "-js"]
    try:
        await stack._start(
            "nats",
            [*nats, "-sd", str(home / "nats")],
            lambda: tcp_open("127.0.0.1", ports["nats"]),
            20,
        )
        well_known = f"{issuer}/.well-known/openid-configuration"
        await stack._start(
            "idp", [sys.executable, "-m", "services.dev_idp"], lambda: http_ok(well_known), 30
        )
        yield stack
    finally:
        for child in reversed(stack.children):
            await child.stop(5)


async def password_token(issuer: str, username: str) -> str:
    """A demo user's access token (password "demo") from the dev IdP."""
    form = {
        "grant_type": "password",
        "client_id": "nlc-cli",
        "username": username,
        "password": "demo",
    }
    async with aiohttp.ClientSession() as session:
        url = f"{issuer}/protocol/openid-connect/token"
        async with session.post(url, data=form) as response:
            response.raise_for_status()
            return (await response.json())["access_token"]


def percentile_ms(latencies: list[float], share: float) -> float:
    """The latency (ms) below which `share` of the sorted latencies (seconds) fall."""
    return 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * share))]


async def surge(
    target: str, method: str, requests: Sequence[bytes], metadata, concurrency: int
) -> dict:
    """Send every request, concurrency at a time; throughput, latency percentiles, errors and
    the replies received."""
    latencies: list[float] = []
    errors: list[str] = []
    replies: list[bytes] = []
    pending = iter(requests)
    async with grpc.aio.insecure_channel(target) as channel:
        call = channel.unary_unary(method)

        async def worker() -> None:
            for request in pending:
                started = time.perf_counter()
                try:
                    replies.append(await call(request, metadata=metadata, timeout=30))
                except grpc.aio.AioRpcError as error:
                    errors.append(f"{error.code().name}: {error.details()}")
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile_ms(latencies, 0.5),
        "p99_ms": percentile_ms(latencies, 0.99),
        "errors": errors,
        "replies": replies,
    }


async def fresh_schemas(url: str, *schemas: str) -> None:
    """Create the benchmark database if the server lacks it, then drop schemas in it."""
    name = make_url(url).database
    server = create_async_engine(
        make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    async with server.connect() as conn:
        found = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await server.dispose()
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for schema in schemas:
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    await engine.dispose()
