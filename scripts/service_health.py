"""Container health check: exit 0 when the local service answers SERVING to grpc.health.v1.

Usage: python scripts/service_health.py <service>. It calls localhost on the service's port
(NLC_<SERVICE>_PORT); when NLC_GRPC_TLS_CA is set it speaks TLS and trusts that CA, so the server
certificate must also name localhost. Imports only grpc, the settings and TLS, to stay cheap.
"""

from __future__ import annotations

import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.config import SERVICE_PORTS, load_settings
from services.common.tls import channel_credentials, sync_channel

TIMEOUT_S = 3.0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in SERVICE_PORTS:
        print(f"usage: service_health.py {{{','.join(SERVICE_PORTS)}}}", file=sys.stderr)
        return 2
    settings = load_settings()
    target = f"localhost:{settings.service_port(argv[0])}"
    with sync_channel(target, channel_credentials(settings)) as open_channel:
        stub = health_pb2_grpc.HealthStub(open_channel)
        try:
            reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT_S)
        except grpc.RpcError as error:
            print(f"{argv[0]}: {target}: {error.code().name}", file=sys.stderr)
            return 1
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    if status != "SERVING":
        print(f"{argv[0]}: {target}: {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
