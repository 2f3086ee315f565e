"""`nlc doctor` against a 3-node NATS JetStream cluster with R3 streams: it names the cluster and
each stream's leader, reports a killed node as the replica that is not current on every stream,
and passes again once the node is back."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from services.cli.catalog import SERVICES
from tests.integration.cli.doctor_kit import checks, doctor, serving
from tests.support.nats_cluster import NatsCluster, nats_cluster

CLUSTER_DEADLINE_S = 90.0
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[NatsCluster]:
    async with nats_cluster(tmp_path / "nats") as running:
        yield running


@pytest.fixture
async def cluster_env(tmp_path: Path, cluster: NatsCluster, idp: Any) -> AsyncIterator[dict]:
    """The four services on the cluster with R3 streams; the environment pointing at them."""
    async with serving(tmp_path, cluster.urls, idp, stream_replicas=3) as env:
        yield env


def stream_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if re.match(r"^(OK|FAIL)\s+stream NLC_", line)]


def every_stream(lines: list[str], ending: str) -> bool:
    """Whether the doctor reported every service's stream, each line ending so."""
    streams = stream_lines(lines)
    return len(streams) == len(SERVICES) and all(line.endswith(ending) for line in streams)


async def doctor_until(
    env: dict, shows: Callable[[int, list[str]], bool], what: str
) -> tuple[int, list[str]]:
    """Run the doctor until its exit code and lines show what (a cluster settles in seconds)."""
    deadline = time.monotonic() + CLUSTER_DEADLINE_S
    while True:
        code, lines, _ = await doctor(env)
        if shows(code, lines):
            return code, lines
        assert time.monotonic() < deadline, f"the doctor never showed {what}:\n" + "\n".join(lines)


async def test_a_lost_node_is_named_on_every_stream_until_it_is_back(
    cluster: NatsCluster, cluster_env: dict
) -> None:
    code, lines = await doctor_until(cluster_env, lambda code, _: code == 0, "every check passed")
    streams = stream_lines(lines)
    assert len(streams) == len(SERVICES), lines
    led = re.compile(r"^OK\s+stream NLC_\w+: \d+ messages, replicas 3, cluster nlc led by n[123]$")
    assert all(led.match(line) for line in streams), streams

    lost = cluster.node("n3")
    await cluster.kill(lost)
    code, lines = await doctor_until(
        cluster_env,
        lambda _, lines: every_stream(lines, "not current: n3"),
        "n3 behind on every stream",
    )
    assert code == 1
    failed = {part for part, status in checks(lines).items() if status == "FAIL"}
    assert failed == {f"stream NLC_{service.upper()}" for service in SERVICES}

    await cluster.restart(lost)
    code, lines = await doctor_until(cluster_env, lambda code, _: code == 0, "the node back")
    assert not any("not current" in line for line in lines)
