"""Probes `nlc up` polls, with a deadline, until each part answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.cli.processes import Child
from services.common.tls import aio_channel


class StartupFailed(Exception):
    """A part did not come up; the message names the part and the cause."""


async def tcp_open(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection(host, port)
    except OSError:
        return False
    writer.close()
    return True


async def http_ok(url: str) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response,
        ):
            return response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def grpc_serving(target: str, credentials: grpc.ChannelCredentials | None = None) -> bool:
    """Whether the server at target answers its health check with SERVING (over TLS when given
    credentials)."""
    async with aio_channel(target, credentials) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            reply = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        except grpc.aio.AioRpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


async def wait_until(
    child: Child | None, probe: Callable[[], Awaitable[bool]], *, what: str, deadline_s: float
) -> None:
    """Poll probe until it answers True; fail early if the child exits, or at the deadline."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    while True:
        if child is not None and child.exited:
            cause = child.last_log_line() or f"exit code {child.process.returncode}"
            raise StartupFailed(f"{what} stopped while starting: {cause} (log: {child.log_path})")
        if await probe():
            return
        if loop.time() > give_up:
            log = f" (log: {child.log_path})" if child else ""
            raise StartupFailed(f"{what} did not become ready within {deadline_s:.0f} s{log}")
        await asyncio.sleep(0.1)
