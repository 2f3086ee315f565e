"""Deadline-day surge: 2,000 SubmitApplication calls at concurrency 100 on PostgreSQL.

nats-server, the dev IdP, registry (--demo, for the verified CSO) and grants run in their own
processes on NLC_BENCH_DATABASE_URL (schemas grants and registry dropped first). A manager opens
a call; the CSO prepares 2,000 complete drafts (untimed); then the submissions are timed, beside
the same number of calls to a bare grpc.aio echo. Run, for the requests it imports from tests/:
`PYTHONPATH=. .venv/bin/python bench/grants_submit.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import timedelta

import grpc
from _stack import fresh_schemas, password_token, platform, surge

from nlc.grants.v1 import applications_pb2 as apps
from nlc.grants.v1 import calls_pb2 as calls
from nlc.grants.v1 import grants_pb2_grpc
from tests.support import grant_requests

DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nlc_bench"
CONCURRENCY = 100
SUBMIT = "/nlc.grants.v1.GrantsService/SubmitApplication"
ECHO = "/bench.v1.Echo/Get"
TITLE = "Shared Endeavour Fund (deadline-day bench)"
READ_MODEL_DEADLINE_S = 30


def _draft(call_name: str, n: int) -> apps.Application:
    """The nth complete application."""
    title = f"Youth mentors, district {n}"
    return grant_requests.application(call_name, title, f"RCT-BENCH-{n:05d}")


async def _prepare(grants, manager, cso, count: int) -> tuple[list[str], bytes]:
    """Open a call, create count + 1 drafts; submit the extra one once the CSO is known."""
    call = grant_requests.call(TITLE, closes_in=timedelta(days=1))
    draft = await grants.CreateCall(calls.CreateCallRequest(call=call), metadata=manager)
    opened = await grants.OpenCall(calls.OpenCallRequest(name=draft.name), metadata=manager)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def create(n: int) -> str:
        async with gate:
            request = apps.CreateApplicationRequest(application=_draft(opened.name, n))
            return (await grants.CreateApplication(request, metadata=cso, timeout=30)).name

    probe, *names = await asyncio.gather(*(create(n) for n in range(count + 1)))
    give_up = time.monotonic() + READ_MODEL_DEADLINE_S
    while True:  # the read model learns of the verified CSO from registry events
        try:
            request = apps.SubmitApplicationRequest(name=probe)
            reply = await grants.SubmitApplication(request, metadata=cso)
            return names, reply.SerializeToString()
        except grpc.aio.AioRpcError as error:
            if time.monotonic() > give_up or error.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
        await asyncio.sleep(0.2)


async def main(count: int, database_url: str) -> None:
    await fresh_schemas(database_url, "grants", "registry")
    async with platform(["registry", "grants"], NLC_DATABASE_URL=database_url) as stack:
        await stack.serve("registry", "--demo")
        target = await stack.serve("grants")
        manager = (("authorization", f"Bearer {await password_token(stack.issuer, 'manager')}"),)
        cso = (("authorization", f"Bearer {await password_token(stack.issuer, 'cso')}"),)
        async with grpc.aio.insecure_channel(target) as channel:
            grants = grants_pb2_grpc.GrantsServiceStub(channel)
            names, reply = await _prepare(grants, manager, cso, count)
        requests = [apps.SubmitApplicationRequest(name=n).SerializeToString() for n in names]
        echo = await surge(await stack.echo(len(reply)), ECHO, requests, cso, CONCURRENCY)
        submit = await surge(target, SUBMIT, requests, cso, CONCURRENCY)

    print(
        f"deadline-day surge: {count} SubmitApplication, concurrency {CONCURRENCY}, "
        f"PostgreSQL, reply {len(reply)} bytes, cpus {os.cpu_count()}"
    )
    for label, r in (("bare grpc.aio echo (baseline)", echo), ("grants SubmitApplication", submit)):
        print(
            f"{label:<30} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:7.2f} ms   "
            f"p99 {r['p99_ms']:7.2f} ms   errors {len(r['errors'])}"
        )
    for error in sorted(set(submit["errors"]))[:5]:
        print(f"  error: {error[:200]}")
    ratio = submit["rps"] / echo["rps"]
    verdict = len(submit["errors"]) == 0 and submit["p99_ms"] < 250 and ratio >= 0.2
    print(
        f"ratio grants/echo: {ratio:.2f} (targets: no errors, p99 < 250 ms, ratio >= 0.2) "
        f"-> {'met' if verdict else 'NOT met'}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("NLC_BENCH_DATABASE_URL", DATABASE_URL)
    )
    options = parser.parse_args()
    asyncio.run(main(options.count, options.database_url))
