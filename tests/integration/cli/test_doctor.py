"""`nlc doctor` run as an operator runs it, against a real nats-server, the dev IdP and the four
services on their SQLite files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from services.cli.catalog import SERVICES
from services.common.net import free_port
from tests.integration.cli.doctor_kit import checks, doctor, serving

CLOSED_PORT_DEADLINE_S = 20.0
pytestmark = pytest.mark.timeout(180)


@pytest.fixture
async def platform_env(tmp_path: Path, nats_server: str, idp: Any) -> AsyncIterator[dict[str, str]]:
    """The four services serving on a single nats-server; the environment pointing at them."""
    async with serving(tmp_path, nats_server, idp) as env:
        yield env


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
