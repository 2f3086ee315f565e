"""A production-shaped platform on one machine: the dev IdP, `nlc migrate`, then replicas of each
service (`nlc serve`), each its own process with its own ports and NLC_HOME, all on one PostgreSQL
database and one NATS cluster. Replicas can be killed with SIGKILL and started again."""

from __future__ import annotations

import base64
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from services.cli.processes import Child
from services.cli.readiness import StartupFailed, grpc_serving, http_ok, wait_until
from services.common.net import free_port

SERVE_DEADLINE_S = 120.0
STOP_S = 5.0
# One channel reaches every replica of a service, spreading calls over them.
ROUND_ROBIN = (("grpc.lb_policy_name", "round_robin"),)


@dataclass
class Replica:
    """One `nlc serve` process of a service and its ports."""

    service: str
    index: int
    port: int
    metrics_port: int
    child: Child

    @property
    def name(self) -> str:
        return f"{self.service}-{self.index}"

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Deployment:
    """The processes started under root and the environment they share."""

    root: Path
    env: dict[str, str]
    replicas: list[Replica] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return self.env["NLC_OIDC_ISSUER"]

    def _child(self, name: str, argv: list[str], env: dict[str, str]) -> Child:
        child = Child(name, argv, self.root / "logs" / f"{name}.log", env)
        self.children.append(child)
        return child

    async def start_idp(self) -> None:
        """The dev IdP (demo users, password "demo"), ready when its discovery document is."""
        env = {**self.env, "NLC_HOME": str(self.root / "idp")}
        child = self._child("idp", [sys.executable, "-m", "services.dev_idp"], env)
        await child.start()
        well_known = f"{self.issuer}/.well-known/openid-configuration"
        await wait_until(child, lambda: http_ok(well_known), what="dev IdP", deadline_s=30)

    async def migrate(self) -> None:
        """`nlc migrate` to completion; StartupFailed with its last line if it fails."""
        env = {**self.env, "NLC_HOME": str(self.root / "migrate")}
        argv = [sys.executable, "-m", "services.cli", "migrate"]
        child = self._child("migrate", argv, env)
        await child.start()
        assert child.process is not None
        if await child.process.wait() != 0:
            raise StartupFailed(f"nlc migrate failed: {child.last_log_line()}")

    async def serve(self, service: str, *, demo: bool = False) -> Replica:
        """Start one more replica of service; returns once it reports SERVING."""
        index = 1 + sum(r.service == service for r in self.replicas)
        port, metrics_port = free_port(), free_port()
        name = f"{service}-{index}"
        env = {
            **self.env,
            "NLC_HOME": str(self.root / name),
            f"NLC_{service.upper()}_PORT": str(port),
            f"NLC_{service.upper()}_METRICS_PORT": str(metrics_port),
        }
        argv = [sys.executable, "-m", "services.cli", "serve", service]
        if demo:
            argv.append("--demo")
        replica = Replica(service, index, port, metrics_port, self._child(name, argv, env))
        self.replicas.append(replica)
        await self._run(replica)
        return replica

    async def _run(self, replica: Replica) -> None:
        await replica.child.start()
        await wait_until(
            replica.child,
            lambda: grpc_serving(replica.target),
            what=replica.name,
            deadline_s=SERVE_DEADLINE_S,
        )

    async def kill(self, replica: Replica) -> None:
        """SIGKILL the replica: no graceful stop, no final outbox flush."""
        process = replica.child.process
        assert process is not None
        process.kill()
        await process.wait()

    async def restart(self, replica: Replica) -> None:
        """Start a killed replica again with the same ports and home (without --demo: the demo
        data is there already)."""
        replica.child.argv = [a for a in replica.child.argv if a != "--demo"]
        await self._run(replica)

    def target(self, service: str) -> str:
        """One gRPC target naming every replica of service (use with ROUND_ROBIN)."""
        ports = ",".join(r.target for r in self.replicas if r.service == service)
        return f"ipv4:{ports}"

    async def stop(self) -> None:
        for child in reversed(self.children):
            await child.stop(STOP_S)


def shared_env(database_url: str, nats_urls: str, *, stream_replicas: int = 3) -> dict[str, str]:
    """What every process of the deployment is given: where PostgreSQL, NATS and the IdP are,
    and the infoshare key-encryption key (generated for this run, the same for all replicas)."""
    idp_port = free_port()
    return {
        "NLC_DATABASE_URL": database_url,
        "NLC_NATS_URL": nats_urls,
        "NLC_STREAM_REPLICAS": str(stream_replicas),
        "NLC_IDP_PORT": str(idp_port),
        "NLC_OIDC_ISSUER": f"http://127.0.0.1:{idp_port}/realms/nlc",
        "NLC_INFOSHARE_KEK": base64.b64encode(os.urandom(32)).decode(),
        "NLC_LOG_JSON": "true",
        "PYTHONUNBUFFERED": "1",
    }


@asynccontextmanager
async def deployment(root: Path, env: dict[str, str]) -> AsyncIterator[Deployment]:
    """The IdP running and the schemas migrated; every process stopped on exit."""
    running = Deployment(root, env)
    try:
        await running.start_idp()
        await running.migrate()
        yield running
    finally:
        await running.stop()
