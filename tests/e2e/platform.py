"""Start `nlc up` as a user does, in a temp NLC_HOME on free ports, and read what it prints."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from keycloak import KeycloakOpenID

from services.common.net import free_port

READY_LINE = "NLC platform ready"
SERVICE_NAMES = ("REGISTRY", "GRANTS", "REPORTING", "INFOSHARE")


@dataclass
class Platform:
    """A running `nlc up` child process and the ports it was given."""

    home: Path
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @classmethod
    def new(cls, home: Path) -> Platform:
        ports = {
            "NLC_NATS_PORT": free_port(),
            "NLC_IDP_PORT": free_port(),
            "NLC_REGISTRY_PORT": free_port(),
            "NLC_GRANTS_PORT": free_port(),
            "NLC_REPORTING_PORT": free_port(),
            "NLC_INFOSHARE_PORT": free_port(),
            "NLC_UI_PORT": free_port(),
            **{f"NLC_{s}_METRICS_PORT": free_port() for s in SERVICE_NAMES},
        }
        env = {**os.environ, "NLC_HOME": str(home), **{k: str(v) for k, v in ports.items()}}
        env.pop("NLC_DATABASE_URL", None)
        env.pop("NLC_OIDC_ISSUER", None)
        env["NLC_NATS_URL"] = f"nats://127.0.0.1:{ports['NLC_NATS_PORT']}"
        return cls(home=home, env=env)

    @property
    def idp_url(self) -> str:
        return f"http://127.0.0.1:{self.env['NLC_IDP_PORT']}/"

    @property
    def ui_url(self) -> str:
        """The web UI as a browser opens it: on localhost, the host of its OIDC redirect URI."""
        return f"http://localhost:{self.env['NLC_UI_PORT']}/"

    @property
    def registry_target(self) -> str:
        return f"127.0.0.1:{self.env['NLC_REGISTRY_PORT']}"

    @property
    def grants_target(self) -> str:
        return f"127.0.0.1:{self.env['NLC_GRANTS_PORT']}"

    @property
    def reporting_target(self) -> str:
        return f"127.0.0.1:{self.env['NLC_REPORTING_PORT']}"

    @property
    def infoshare_target(self) -> str:
        return f"127.0.0.1:{self.env['NLC_INFOSHARE_PORT']}"

    @property
    def nats_url(self) -> str:
        return self.env["NLC_NATS_URL"]

    def start(self, *args: str) -> None:
        self.lines.clear()
        self._queue = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "up", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, wanted: str, deadline_s: float) -> bool:
        """Read output until a line equals `wanted` (True), or the process ends or time is up."""
        give_up = time.monotonic() + deadline_s
        while time.monotonic() < give_up:
            try:
                line = self._queue.get(timeout=max(0.0, give_up - time.monotonic()))
            except queue.Empty:
                return False
            if line is None:
                return False
            self.lines.append(line)
            if line == wanted:
                return True
        return False

    @classmethod
    @contextmanager
    def running(cls, home: Path) -> Iterator[Platform]:
        """`nlc up` in home on free ports, ready, stopped afterwards unless a test stopped it."""
        platform = cls.new(home)
        platform.start()
        platform.wait_ready()
        try:
            yield platform
        finally:
            if platform.process and platform.process.poll() is None:
                platform.stop()

    def wait_ready(self, deadline_s: float = 120) -> None:
        if not self.wait_for_line(READY_LINE, deadline_s):
            self.stop()
            raise AssertionError("nlc up did not print the ready line:\n" + "\n".join(self.lines))

    def child_pids(self) -> list[int]:
        """Every descendant process of `nlc up`."""
        assert self.process
        found: list[int] = []
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            path = Path(f"/proc/{pid}/task/{pid}/children")
            try:
                children = [int(p) for p in path.read_text().split()]
            except OSError:
                children = []
            found.extend(children)
            pending.extend(children)
        return found

    def stop(self, sig: int = signal.SIGTERM, deadline_s: float = 15) -> int:
        """Signal `nlc up` and return its exit code (killing it if it overruns the deadline)."""
        assert self.process
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(deadline_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        self.wait_for_line("\0never", 2)
        return self.process.returncode


def access_token(platform: Platform, username: str) -> str:
    """An access token for a demo user, from the dev IdP's password grant."""
    oidc = KeycloakOpenID(server_url=platform.idp_url, realm_name="nlc", client_id="nlc-cli")
    return oidc.token(username, "demo")["access_token"]


def bearer(access_token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {access_token}")]
