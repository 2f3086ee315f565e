"""What the infoshare service published on its JetStream stream, read back for assertions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from nlc.infoshare.v1 import events_pb2
from services.common.kit_tables import outbox
from tests.integration.common.polling import eventually
from tests.support.services import ServiceUnderTest

STREAM = "NLC_INFOSHARE"


@dataclass(frozen=True)
class Published:
    subject: str
    data: bytes
    headers: dict[str, str]


async def _pending(svc: ServiceUnderTest) -> int:
    async with svc.running.deps.sessions() as session:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int(await session.scalar(query) or 0)


async def published(svc: ServiceUnderTest) -> list[Published]:
    """Every message of the stream, oldest first, once the outbox has nothing left to relay."""
    await eventually(lambda: _pending(svc), lambda n: n == 0, what="the outbox to drain")
    js = svc.running.nc.jetstream()
    state = (await js.stream_info(STREAM)).state
    found = []
    for seq in range(state.first_seq, state.last_seq + 1) if state.messages else ():
        msg = await js.get_msg(STREAM, seq)
        found.append(Published(msg.subject or "", msg.data or b"", dict(msg.headers or {})))
    return found


async def notices(svc: ServiceUnderTest, share: str) -> dict[str, events_pb2.ShareNotice]:
    """The ShareNotices published about share, by subject (the last one of each subject)."""
    found = {}
    for message in await published(svc):
        if message.subject.startswith("nlc.infoshare.share."):
            notice = events_pb2.ShareNotice.FromString(message.data)
            if notice.share == share:
                found[message.subject] = notice
    return found
