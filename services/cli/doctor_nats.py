"""`nlc doctor`: NATS reachable, JetStream on, each service's stream and its consumers' lag."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo, StreamInfo
from nats.js.errors import NotFoundError

from services.cli.doctor_checks import Check, reason
from services.common.config import Settings
from services.common.messaging import stream_name
from services.common.tls import nats_ssl_context


async def _connect(settings: Settings, timeout_s: float) -> Client:
    """Try each server twice at most (nats-py's least), never reconnect; raise the last error."""
    errors: list[Exception] = []

    async def on_error(error: Exception) -> None:
        errors.append(error)

    try:
        return await asyncio.wait_for(
            nats.connect(
                servers=[part.strip() for part in settings.nats_url.split(",") if part.strip()],
                name="nlc-doctor",
                tls=nats_ssl_context(settings),
                connect_timeout=timeout_s,
                allow_reconnect=False,
                max_reconnect_attempts=1,
                reconnect_time_wait=0.1,
                error_cb=on_error,
            ),
            timeout_s * 3,
        )
    except Exception as error:
        raise (errors[-1] if errors else error) from error


def _stream(info: StreamInfo, wanted_replicas: int) -> Check:
    part = f"stream {info.config.name}"
    replicas = info.config.num_replicas or 1
    peers = (info.cluster.replicas or []) if info.cluster else []
    behind = [p.name for p in peers if p.offline or not p.current]
    detail = f"{info.state.messages} messages, replicas {replicas}"
    if info.cluster and info.cluster.name:
        detail += f", cluster {info.cluster.name} led by {info.cluster.leader}"
    if replicas < wanted_replicas:
        return Check(part, False, f"{detail}; NLC_STREAM_REPLICAS wants {wanted_replicas}")
    if behind:
        return Check(part, False, f"{detail}; not current: {', '.join(sorted(behind))}")
    return Check(part, True, detail)


def _consumer(info: ConsumerInfo, max_lag: int) -> Check:
    pending, unacked = info.num_pending or 0, info.num_ack_pending or 0
    detail = f"{pending} pending, {unacked} awaiting ack, {info.num_redelivered or 0} redelivered"
    lag_ok = pending + unacked <= max_lag
    if not lag_ok:
        detail += f"; lag above {max_lag}"
    return Check(f"consumer {info.stream_name}/{info.name}", lag_ok, detail)


async def _service_checks(
    js: JetStreamContext, stream: str, settings: Settings, max_lag: int
) -> list[Check]:
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return [Check(f"stream {stream}", False, "missing; it appears when its service starts")]
    checks = [_stream(info, settings.stream_replicas)]
    consumers = await js.consumers_info(stream)
    checks += [_consumer(c, max_lag) for c in sorted(consumers, key=lambda c: c.name)]
    return checks


async def check_nats(
    settings: Settings, services: Iterable[str], *, timeout_s: float, max_lag: int
) -> list[Check]:
    """Connection, JetStream, then per service its stream and every durable consumer on it."""
    try:
        nc = await _connect(settings, timeout_s)
    except Exception as error:
        return [Check("NATS", False, f"cannot connect to {settings.nats_url}: {reason(error)}")]
    try:
        js = nc.jetstream(timeout=timeout_s)
        try:
            account = await js.account_info()
        except Exception as error:
            return [Check("NATS", False, f"JetStream not available: {reason(error)}")]
        server = nc.connected_url.netloc if nc.connected_url else settings.nats_url
        v = nc.connected_server_version
        version = f"{v.major}.{v.minor}.{v.patch}"
        checks = [
            Check(
                "NATS",
                True,
                f"{server}, nats-server {version}, JetStream on ({account.streams} streams)",
            )
        ]
        for service in services:
            try:
                checks += await _service_checks(js, stream_name(service), settings, max_lag)
            except Exception as error:
                checks.append(Check(f"stream {stream_name(service)}", False, reason(error)))
        return checks
    finally:
        await nc.close()
