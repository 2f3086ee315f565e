"""Fixtures: a migrated registry database (SQLite and PostgreSQL) and the callers that use it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from google.protobuf.message import Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.audit import AuditRecord, audit_history
from services.common.auth import Principal, Role
from services.common.clock import FixedClock
from services.common.db import session_factory
from services.common.kit_tables import outbox
from services.common.migrations import upgrade
from services.common.read_cache import ReadCaches
from services.common.uow import uow_factory
from services.registry.deps import RegistryDeps, organisation_cache
from services.registry.domain.organisations import Details
from services.registry.handlers.jurisdictions import CreateJurisdiction, create_jurisdiction
from services.registry.handlers.organisations import (
    ChangeVerification,
    CreateOrganisation,
    create_organisation,
    verify_organisation,
)

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "registry" / "migrations"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

NATIONAL_ADMIN = Principal("sub-admin", "nadmin", frozenset({Role.NATIONAL_ADMIN}), None)
AUDITOR = Principal("sub-auditor", "auditor", frozenset({Role.AUDITOR}), None)


def member(org_id: str, role: str = Role.CSO_MEMBER) -> Principal:
    """A user of org_id holding role."""
    return Principal(f"sub-{role}-{org_id[:8]}", f"{role}-user", frozenset({role}), org_id)


async def add_place(deps, code, level, parent=None):
    """A jurisdiction created by a national admin."""
    cmd = CreateJurisdiction(code, code.title(), level, parent.id if parent else None)
    return await create_jurisdiction(deps.uow(NATIONAL_ADMIN), cmd)


async def add_org(deps, name, kind, place, *, verified=True, sector=None):
    """An organisation created (and by default verified) by a national admin."""
    details = Details(name, kind, sector, place.id if place else None)
    org = await create_organisation(deps.uow(NATIONAL_ADMIN), CreateOrganisation(details))
    if verified:
        cmd = ChangeVerification(org.id)
        org = await verify_organisation(deps.uow(NATIONAL_ADMIN), cmd)
    return org


@dataclass(frozen=True)
class StoredEvent:
    subject: str
    event_type: str
    payload: bytes

    def decode(self, message_type: type[Message]) -> Message:
        message = message_type()
        message.ParseFromString(self.payload)
        return message


@pytest.fixture
async def registry_deps(db_engine: AsyncEngine, db_schema: str) -> AsyncIterator[RegistryDeps]:
    """RegistryDeps on a freshly migrated database, with a FixedClock at NOW."""
    await upgrade(db_engine, MIGRATIONS, schema=db_schema)
    sessions = session_factory(db_engine)
    clock = FixedClock(NOW)
    caches = ReadCaches()
    yield RegistryDeps(
        sessions=sessions,
        uow=uow_factory(sessions, clock, caches.committed),
        clock=clock,
        organisations=organisation_cache(caches, clock),
    )


@pytest.fixture
def outbox_events(registry_deps: RegistryDeps) -> Callable[[], Awaitable[list[StoredEvent]]]:
    """Reads every event staged in the outbox, oldest first."""

    async def read() -> list[StoredEvent]:
        async with registry_deps.sessions() as session:
            rows = await session.execute(select(outbox).order_by(outbox.c.seq))
            return [StoredEvent(r.subject, r.event_type, r.payload) for r in rows]

    return read


@pytest.fixture
def audit_of(registry_deps: RegistryDeps) -> Callable[[str], Awaitable[list[AuditRecord]]]:
    """Reads a resource's audit history, oldest first."""

    async def read(resource: str) -> list[AuditRecord]:
        async with registry_deps.sessions() as session:
            return await audit_history(session, resource)

    return read
