"""Authenticated GetOrganisation throughput at concurrency 32, beside a bare grpc.aio echo server.

Both servers run in their own process; one client process drives them with the same raw-bytes
stub, alternating rounds, and prints requests per second, latency percentiles and the ratio.
Run: `make bench` (or `.venv/bin/python bench/registry_read.py --seconds 5 --rounds 3`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import grpc

from nlc.registry.v1 import organisations_pb2
from services.cli.processes import Child
from services.cli.readiness import grpc_serving, http_ok, tcp_open, wait_until
from services.common.binaries import nats_server_binary
from services.common.net import free_port

CONCURRENCY = 32
ORG_ID = "0b1c7a52-0000-4000-8000-000000000002"
REGISTRY_METHOD = "/nlc.registry.v1.RegistryService/GetOrganisation"
ECHO_METHOD = "/bench.v1.Echo/Get"


async def password_token(issuer: str, username: str) -> str:
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


async def drive(target: str, method: str, request: bytes, metadata, seconds: float) -> dict:
    """CONCURRENCY workers call method back to back for `seconds`; count and time each call."""
    async with grpc.aio.insecure_channel(target) as channel:
        call = channel.unary_unary(method)
        await call(request, metadata=metadata, timeout=10)
        latencies: list[float] = []
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                await call(request, metadata=metadata, timeout=10)
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)],
    }


async def main(seconds: float, rounds: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="nlc-bench-"))
    ports = {"nats": free_port(), "idp": free_port(), "registry": free_port(), "echo": free_port()}
    issuer = f"http://127.0.0.1:{ports['idp']}/realms/nlc"
    env = {
        "NLC_HOME": str(home),
        "NLC_NATS_URL": f"nats://127.0.0.1:{ports['nats']}",
        "NLC_IDP_PORT": str(ports["idp"]),
        "NLC_OIDC_ISSUER": issuer,
        "NLC_REGISTRY_PORT": str(ports["registry"]),
        "NLC_LOG_JSON": "true",
    }
    logs = home / "logs"
    nats_bin = str(nats_server_binary())
    children = [
        Child(
            "nats",
            [
                nats_bin,
                "-a",
                "127.0.0.1",
                "-p",
                str(ports["nats"]),
                "-js",
                "-sd",
                str(home / "nats"),
            ],
            logs / "nats.log",
            env,
        ),
        Child("idp", [sys.executable, "-m", "services.dev_idp"], logs / "idp.log", env),
        Child(
            "registry",
            [sys.executable, "-m", "services.cli", "serve", "registry", "--demo"],
            logs / "registry.log",
            env,
        ),
    ]
    try:
        await children[0].start()
        await wait_until(
            children[0], lambda: tcp_open("127.0.0.1", ports["nats"]), what="nats", deadline_s=20
        )
        await children[1].start()
        await wait_until(
            children[1],
            lambda: http_ok(f"{issuer}/.well-known/openid-configuration"),
            what="idp",
            deadline_s=30,
        )
        await children[2].start()
        registry = f"127.0.0.1:{ports['registry']}"
        await wait_until(
            children[2], lambda: grpc_serving(registry), what="registry", deadline_s=90
        )

        token = await password_token(issuer, "city")
        metadata = (("authorization", f"Bearer {token}"),)
        request = organisations_pb2.GetOrganisationRequest(name=f"organisations/{ORG_ID}")
        request_bytes = request.SerializeToString()
        async with grpc.aio.insecure_channel(registry) as channel:
            reply = await channel.unary_unary(REGISTRY_METHOD)(request_bytes, metadata=metadata)
        echo = Child(
            "echo",
            [
                sys.executable,
                str(Path(__file__).parent / "echo_server.py"),
                str(ports["echo"]),
                str(len(reply)),
            ],
            logs / "echo.log",
            env,
        )
        children.append(echo)
        await echo.start()
        echo_target = f"127.0.0.1:{ports['echo']}"
        await wait_until(
            echo, lambda: tcp_open("127.0.0.1", ports["echo"]), what="echo", deadline_s=20
        )

        results: dict[str, list[dict]] = {"echo": [], "registry": []}
        for _ in range(rounds):
            results["echo"].append(
                await drive(echo_target, ECHO_METHOD, request_bytes, metadata, seconds)
            )
            results["registry"].append(
                await drive(registry, REGISTRY_METHOD, request_bytes, metadata, seconds)
            )
    finally:
        for child in reversed(children):
            await child.stop(5)

    print(
        f"reply size {len(reply)} bytes, concurrency {CONCURRENCY}, "
        f"{rounds} rounds x {seconds:.0f} s, cpus {os.cpu_count()}"
    )
    summary = {}
    for name, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50_ms"] for r in runs)
        p99 = statistics.median(r["p99_ms"] for r in runs)
        summary[name] = rps
        label = (
            "bare grpc.aio echo (baseline)"
            if name == "echo"
            else "registry GetOrganisation (authenticated)"
        )
        print(f"{label:<42} {rps:9.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    ratio = summary["registry"] / summary["echo"]
    print(f"ratio registry/echo: {ratio:.2f} (target >= 0.5)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    asyncio.run(main(options.seconds, options.rounds))
