"""TLS from settings: gRPC server and channel credentials, and the SSL context for NATS.

Every setting empty means plaintext, the embedded default on loopback.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import grpc

from services.common.config import Settings


def _read(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """The gRPC server's certificate and key, or None for plaintext."""
    cert, key = settings.grpc_tls_cert, settings.grpc_tls_key
    if not cert and not key:
        return None
    if not (cert and key):
        raise ValueError("set both NLC_GRPC_TLS_CERT and NLC_GRPC_TLS_KEY, or neither")
    return grpc.ssl_server_credentials([(_read(key), _read(cert))])


def channel_credentials(settings: Settings) -> grpc.ChannelCredentials | None:
    """Credentials trusting NLC_GRPC_TLS_CA, or None for a plaintext channel."""
    if not settings.grpc_tls_ca:
        return None
    return grpc.ssl_channel_credentials(root_certificates=_read(settings.grpc_tls_ca))


def aio_channel(
    target: str, credentials: grpc.ChannelCredentials | None = None
) -> grpc.aio.Channel:
    """An asyncio channel to target: TLS with credentials, plaintext without."""
    if credentials is None:
        return grpc.aio.insecure_channel(target)
    return grpc.aio.secure_channel(target, credentials)


def sync_channel(target: str, credentials: grpc.ChannelCredentials | None = None) -> grpc.Channel:
    """A blocking channel to target: TLS with credentials, plaintext without."""
    if credentials is None:
        return grpc.insecure_channel(target)
    return grpc.secure_channel(target, credentials)


def nats_ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The context for NATS over TLS (trusting NLC_NATS_TLS_CA, with a client certificate when
    NLC_NATS_TLS_CERT is set), or None for plaintext."""
    ca, cert, key = settings.nats_tls_ca, settings.nats_tls_cert, settings.nats_tls_key
    if not (ca or cert or key):
        return None
    if bool(cert) != bool(key):
        raise ValueError("set both NLC_NATS_TLS_CERT and NLC_NATS_TLS_KEY, or neither")
    context = ssl.create_default_context(cafile=ca or None)
    if cert:
        context.load_cert_chain(cert, key)
    return context
