"""Fixtures for the kit's integration tests: a migrated sample service and its JetStream stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nats.js import JetStreamContext
from sqlalchemy import Column, String, Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.common.clock import FixedClock
from services.common.db import new_metadata, session_factory
from services.common.messaging import connect, ensure_stream
from services.common.migrations import upgrade

SAMPLE_MIGRATIONS = Path(__file__).parent / "sample_migrations"
SAMPLE_STREAM = "NLC_SAMPLE"

sample_item = Table(
    "sample_item",
    new_metadata(),
    Column("id", String(36), primary_key=True),
    Column("name", String(255), nullable=False),
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
async def sessions(db_engine: AsyncEngine, db_schema: str) -> async_sessionmaker[AsyncSession]:
    """Sessions on a database migrated with the sample service's migrations."""
    await upgrade(db_engine, SAMPLE_MIGRATIONS, schema=db_schema)
    return session_factory(db_engine)


@pytest.fixture
async def js(nats_server: str) -> AsyncIterator[JetStreamContext]:
    """JetStream on the test's nats-server, with the sample service's stream."""
    nc = await connect(nats_server, name="kit-test")
    context = nc.jetstream()
    await ensure_stream(context, "sample")
    yield context
    await nc.close()
