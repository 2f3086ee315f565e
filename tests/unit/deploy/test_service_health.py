"""The containers' health check answers 0 only while the service's gRPC health says SERVING."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent import futures
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from tests.support.certs import make_certs

CHECK = Path(__file__).resolve().parents[3] / "scripts" / "service_health.py"


def _check(service: str, port: int, ca: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {f"NLC_{service.upper()}_PORT": str(port), "NLC_GRPC_TLS_CA": ca}
    command = [sys.executable, str(CHECK), service]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_check_follows_the_health_status() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    status = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(status, server)
    port = server.add_insecure_port("localhost:0")
    server.start()
    try:
        status.set("", health_pb2.HealthCheckResponse.SERVING)
        assert _check("grants", port).returncode == 0
        status.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        refused = _check("grants", port)
        assert (refused.returncode, refused.stderr.strip()) == (
            1,
            f"grants: localhost:{port}: NOT_SERVING",
        )
    finally:
        server.stop(grace=None)
    gone = _check("grants", port)
    assert gone.returncode == 1 and "UNAVAILABLE" in gone.stderr


def test_an_unknown_service_is_a_usage_error() -> None:
    wrong = _check("payroll", 1)
    assert wrong.returncode == 2 and "registry,grants,reporting,infoshare" in wrong.stderr


def test_with_tls_the_check_trusts_the_configured_ca(tmp_path: Path) -> None:
    certs = make_certs(tmp_path / "certs")
    key_and_cert = [(certs.key.read_bytes(), certs.cert.read_bytes())]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_secure_port("localhost:0", grpc.ssl_server_credentials(key_and_cert))
    server.start()
    try:
        assert _check("infoshare", port, ca=str(certs.ca)).returncode == 0
        assert _check("infoshare", port).returncode == 1
    finally:
        server.stop(grace=None)
