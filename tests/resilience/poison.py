"""Poison messages: bytes no event type decodes, published straight onto a service's stream with
a fresh `Nats-Msg-Id`, as a broken or hostile producer would. Every consumer whose filter takes
the subject must give up on them and keep them as dead letters."""

from __future__ import annotations

import asyncio
import uuid

from nats.errors import Error as NatsError
from nats.js import JetStreamContext

from services.common.outbox import MSG_ID_HEADER

# A varint that never ends: every protobuf message type fails to parse it.
GARBAGE = b"\xff" * 8
PUBLISH_DEADLINE_S = 30.0


async def inject(js: JetStreamContext, subject: str) -> str:
    """Publish one poison message, retrying with the same id while the cluster fails over (the
    stream drops a repeated id); returns the id once JetStream acknowledged it."""
    event_id = f"poison-{uuid.uuid4()}"
    loop = asyncio.get_running_loop()
    give_up = loop.time() + PUBLISH_DEADLINE_S
    while True:
        try:
            await js.publish(subject, GARBAGE, timeout=2, headers={MSG_ID_HEADER: event_id})
            return event_id
        except (NatsError, TimeoutError):
            if loop.time() > give_up:
                raise
        await asyncio.sleep(0.2)
