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
import time

import grpc
from _stack import password_token, percentile_ms, platform

from nlc.registry.v1 import organisations_pb2

CONCURRENCY = 32
ORG_ID = "0b1c7a52-0000-4000-8000-000000000002"
REGISTRY_METHOD = "/nlc.registry.v1.RegistryService/GetOrganisation"
ECHO_METHOD = "/bench.v1.Echo/Get"


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
        "p50_ms": percentile_ms(latencies, 0.5),
        "p99_ms": percentile_ms(latencies, 0.99),
    }


async def main(seconds: float, rounds: int) -> None:
    async with platform(["registry"]) as stack:
        registry = await stack.serve("registry", "--demo")
        token = await password_token(stack.issuer, "city")
        metadata = (("authorization", f"Bearer {token}"),)
        request = organisations_pb2.GetOrganisationRequest(name=f"organisations/{ORG_ID}")
        request_bytes = request.SerializeToString()
        async with grpc.aio.insecure_channel(registry) as channel:
            reply = await channel.unary_unary(REGISTRY_METHOD)(request_bytes, metadata=metadata)
        echo_target = await stack.echo(len(reply))

        results: dict[str, list[dict]] = {"echo": [], "registry": []}
        for _ in range(rounds):
            results["echo"].append(
                await drive(echo_target, ECHO_METHOD, request_bytes, metadata, seconds)
            )
            results["registry"].append(
                await drive(registry, REGISTRY_METHOD, request_bytes, metadata, seconds)
            )

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
