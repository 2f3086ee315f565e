"""Build, start and stop a service's grpc.aio server: interceptors, health and reflection."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common.auth import TokenVerifier
from services.common.interceptors import (
    ANY_AUTHENTICATED,
    AnyAuthenticated,
    AuthInterceptor,
    ErrorInterceptor,
    LoggingInterceptor,
    Policies,
    Policy,
    RpcObserver,
)

HealthServicer = health.aio.HealthServicer
HEALTH_SERVICE_NAME = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name

__all__ = [
    "ANY_AUTHENTICATED",
    "HEALTH_SERVICE_NAME",
    "AnyAuthenticated",
    "HealthServicer",
    "Policies",
    "Policy",
    "build_server",
    "set_serving",
    "start_server",
    "stop_server",
]


def build_server(
    *,
    verifier: TokenVerifier,
    policies: Policies,
    register: Callable[[grpc.aio.Server], None],
    service_names: list[str],
    options: Sequence[tuple[str, Any]] = (),
    observer: RpcObserver | None = None,
) -> tuple[grpc.aio.Server, HealthServicer]:
    """A server whose calls pass logging (and observer) → auth → errors → servicer; health and
    reflection on."""
    server = grpc.aio.server(
        interceptors=[
            LoggingInterceptor(observer),
            AuthInterceptor(verifier, policies),
            ErrorInterceptor(),
        ],
        options=list(options),
    )
    register(server)
    health_servicer = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, HEALTH_SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    return server, health_servicer


async def set_serving(health_servicer: HealthServicer, service_names: Iterable[str]) -> None:
    """Report the server ("") and each named service as SERVING."""
    for name in ["", *service_names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)


async def start_server(
    server: grpc.aio.Server,
    host: str,
    port: int,
    credentials: grpc.ServerCredentials | None = None,
) -> int:
    """Listen on host:port (0 picks a free port; TLS with credentials), start, and return the
    bound port."""
    address = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    if credentials is None:
        bound = server.add_insecure_port(address)
    else:
        bound = server.add_secure_port(address, credentials)
    if bound == 0:
        raise RuntimeError(f"cannot listen on {address}")
    await server.start()
    return bound


async def stop_server(
    server: grpc.aio.Server, health_servicer: HealthServicer, grace_s: float
) -> None:
    """Report NOT_SERVING for every service, then let in-flight calls finish for grace_s."""
    await health_servicer.enter_graceful_shutdown()
    await server.stop(grace_s)
