"""Helpers for handler-level tests of any service: callers, staged events, audit history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.auth import Principal
from services.common.kit_tables import outbox
from services.common.uow import AuditRecord, audit_history


def member(org_id: str | None, role: str) -> Principal:
    """A user of org_id holding role."""
    return Principal(f"sub-{role}-{org_id}", f"{role}-user", frozenset({role}), org_id)


@dataclass(frozen=True)
class StoredEvent:
    """An event staged in the outbox."""

    subject: str
    event_type: str
    payload: bytes

    def decode(self, message_type: type[Message]) -> Any:
        message = message_type()
        message.ParseFromString(self.payload)
        return message


async def staged_events(sessions: async_sessionmaker[AsyncSession]) -> list[StoredEvent]:
    """Every event staged in the outbox, oldest first."""
    async with sessions() as session:
        rows = await session.execute(select(outbox).order_by(outbox.c.seq))
        return [StoredEvent(r.subject, r.event_type, r.payload) for r in rows]


async def audit_entries(
    sessions: async_sessionmaker[AsyncSession], resource: str
) -> list[AuditRecord]:
    """A resource's audit history, oldest first."""
    async with sessions() as session:
        return await audit_history(session, resource)
