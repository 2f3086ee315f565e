"""Running `nlc doctor` as an operator runs it, beside the four services serving on SQLite files
and a real NATS (one server or a cluster) and the dev IdP."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from nats.js.errors import NotFoundError

from services.cli.catalog import SERVICES, load_spec
from services.common.app import RunningService, start_service
from services.common.config import load_settings
from services.common.messaging import connect
from services.common.net import free_port
from services.grants.consumers import DURABLE as GRANTS_REGISTRY_DURABLE

DOCTOR_DEADLINE_S = 60.0


async def _consumer_exists(nats_url: str, stream: str, durable: str) -> None:
    """Wait until a service's consumer runner has created its durable."""
    nc = await connect(nats_url, name="doctor-test")
    js = nc.jetstream()
    deadline = time.monotonic() + 15
    try:
        while True:
            try:
                await js.consumer_info(stream, durable)
                return
            except NotFoundError:
                assert time.monotonic() < deadline, f"{stream}/{durable} never appeared"
                await asyncio.sleep(0.05)
    finally:
        await nc.close()


@asynccontextmanager
async def serving(
    tmp_path: Path, nats_url: str, idp: Any, stream_replicas: int = 1
) -> AsyncIterator[dict[str, str]]:
    """The four services serving on free ports; yields the environment that points at them."""
    env = {
        "NLC_HOME": str(tmp_path / "home"),
        "NLC_DATABASE_URL": "",
        "NLC_NATS_URL": nats_url,
        "NLC_OIDC_ISSUER": idp.issuer,
        "NLC_STREAM_REPLICAS": str(stream_replicas),
        **{f"NLC_{service.upper()}_PORT": str(free_port()) for service in SERVICES},
    }
    settings = load_settings(
        home=tmp_path / "home",
        database_url="",
        nats_url=nats_url,
        oidc_issuer=idp.issuer,
        stream_replicas=stream_replicas,
        **{f"{service}_port": int(env[f"NLC_{service.upper()}_PORT"]) for service in SERVICES},
    )
    started: list[RunningService] = []
    try:
        for service in SERVICES:
            started.append(await start_service(load_spec(service), settings, metrics_port=0))
        await _consumer_exists(nats_url, "NLC_REGISTRY", GRANTS_REGISTRY_DURABLE)
        yield {**os.environ, **env}
    finally:
        for running in reversed(started):
            await running.stop()


async def doctor(env: dict[str, str]) -> tuple[int, list[str], float]:
    """Run `nlc doctor`: exit code, printed lines and seconds taken."""
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.cli",
        "doctor",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), DOCTOR_DEADLINE_S)
    assert process.returncode is not None
    return process.returncode, out.decode().splitlines(), time.monotonic() - started


def checks(lines: list[str]) -> dict[str, str]:
    """Each check's part mapped to its status word (OK or FAIL)."""
    found = {}
    for line in lines:
        status, _, rest = line.partition(" ")
        if status in ("OK", "FAIL"):
            found[rest.strip().partition(":")[0]] = status
    return found
