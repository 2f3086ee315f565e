"""`nlc doctor` run as an operator runs it, against a real nats-server, the dev IdP and the four
services on their SQLite files."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from nats.js.errors import NotFoundError

from services.cli.catalog import SERVICES, load_spec
from services.common.app import RunningService, start_service
from services.common.config import load_settings
from services.common.messaging import connect
from services.common.net import free_port
from services.grants.consumers import DURABLE as GRANTS_REGISTRY_DURABLE

DOCTOR_DEADLINE_S = 60.0
CLOSED_PORT_DEADLINE_S = 20.0
pytestmark = pytest.mark.timeout(180)


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


@pytest.fixture
async def platform_env(tmp_path: Path, nats_server: str, idp: Any) -> AsyncIterator[dict[str, str]]:
    """The four services serving on free ports; yields the environment that points at them."""
    env = {
        "NLC_HOME": str(tmp_path / "home"),
        "NLC_DATABASE_URL": "",
        "NLC_NATS_URL": nats_server,
        "NLC_OIDC_ISSUER": idp.issuer,
        **{f"NLC_{service.upper()}_PORT": str(free_port()) for service in SERVICES},
    }
    settings = load_settings(
        home=tmp_path / "home",
        database_url="",
        nats_url=nats_server,
        oidc_issuer=idp.issuer,
        **{f"{service}_port": int(env[f"NLC_{service.upper()}_PORT"]) for service in SERVICES},
    )
    started: list[RunningService] = []
    try:
        for service in SERVICES:
            started.append(await start_service(load_spec(service), settings, metrics_port=0))
        await _consumer_exists(nats_server, "NLC_REGISTRY", GRANTS_REGISTRY_DURABLE)
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


async def test_everything_up_passes_every_check(platform_env: dict[str, str]) -> None:
    code, lines, _ = await doctor(platform_env)

    found = checks(lines)
    assert code == 0, "\n".join(lines)
    assert set(found.values()) == {"OK"}
    for service in SERVICES:
        assert f"database {service}" in found
        assert f"stream NLC_{service.upper()}" in found
        assert f"service {service}" in found
    assert {"NATS", "identity provider", "consumer NLC_REGISTRY/grants-registry"} <= set(found)
    assert lines[-1] == f"{len(found)} of {len(found)} checks passed"


async def test_nats_unreachable_fails_fast_naming_nats(platform_env: dict[str, str]) -> None:
    closed = f"nats://127.0.0.1:{free_port()}"

    code, lines, seconds = await doctor({**platform_env, "NLC_NATS_URL": closed})

    assert code == 1, "\n".join(lines)
    assert [name for name, status in checks(lines).items() if status == "FAIL"] == ["NATS"]
    assert any(line.startswith("FAIL NATS: cannot connect") and closed in line for line in lines)
    assert seconds < CLOSED_PORT_DEADLINE_S
