"""The failures injected while the workload runs, on a fixed timeline from its start: SIGKILL
of the NATS node leading the registry stream, its restart, SIGKILL of one replica of every
service, their restart; poison messages published in between."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from nats.js import JetStreamContext

from services.common.messaging import stream_name
from tests.resilience import poison
from tests.resilience.stack import Deployment
from tests.support.nats_cluster import NatsCluster

# Seconds from the start of the workload.
KILL_NATS_AT, RESTART_NATS_AT = 6.0, 16.0
KILL_REPLICAS_AT, RESTART_REPLICAS_AT = 24.0, 32.0
# Load kept on after the last restart, so restarted replicas take their share.
AFTER_RESTART_S = 8.0
POISON_SUBJECTS = ("nlc.registry.organisation.updated", "nlc.grants.award.made")


@dataclass
class Chaos:
    """Runs the timeline; keeps what it did (for the printout) and the poison it published."""

    cluster: NatsCluster
    deployment: Deployment
    js: JetStreamContext
    log: list[str] = field(default_factory=list)
    # (subject, Nats-Msg-Id) of every poison message JetStream acknowledged.
    poison: list[tuple[str, str]] = field(default_factory=list)
    _started: float = 0.0

    def _note(self, what: str) -> None:
        elapsed = asyncio.get_running_loop().time() - self._started
        self.log.append(f"{elapsed:6.1f} s  {what}")

    async def _at(self, second: float) -> None:
        """Let the workload run until `second` after its start."""
        await asyncio.sleep(max(0.0, self._started + second - asyncio.get_running_loop().time()))

    async def _poison(self) -> None:
        for subject in POISON_SUBJECTS:
            self.poison.append((subject, await poison.inject(self.js, subject)))
        self._note(f"published {len(POISON_SUBJECTS)} poison messages")

    async def run(self) -> None:
        self._started = asyncio.get_running_loop().time()
        self._note("workload started")
        await self._at(KILL_NATS_AT)
        leader = await self.cluster.stream_leader(stream_name("registry")) or "n1"
        node = self.cluster.node(leader)
        await self.cluster.kill(node)
        self._note(f"kill -9 NATS node {node.name} (leader of the registry stream)")
        await self._poison()
        await self._at(RESTART_NATS_AT)
        await self.cluster.restart(node)
        self._note(f"NATS node {node.name} restarted and healthy")
        await self._at(KILL_REPLICAS_AT)
        victims = [r for r in self.deployment.replicas if r.index == 1]
        for replica in victims:
            await self.deployment.kill(replica)
        self._note(f"kill -9 {', '.join(r.name for r in victims)}")
        await self._poison()
        await self._at(RESTART_REPLICAS_AT)
        await asyncio.gather(*(self.deployment.restart(r) for r in victims))
        self._note(f"{', '.join(r.name for r in victims)} restarted and serving")
        await self._poison()
        await self._at(asyncio.get_running_loop().time() - self._started + AFTER_RESTART_S)
        self._note("workload stopping")
