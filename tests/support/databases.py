"""Fixtures: a fresh SQLite file per test and, when configured, a fresh PostgreSQL schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from services.common.db import create_engine, ensure_schema

POSTGRES_URL_ENV = "NLC_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a temp SQLite file, or NLC_TEST_POSTGRES_URL (skipped when unset)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'db' / 'test.db'}"
    url = os.environ.get(POSTGRES_URL_ENV, "")
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    return url


async def drop_schema(url: str, schema: str) -> None:
    """Drop a PostgreSQL schema and everything in it."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            quoted = conn.dialect.identifier_preparer.quote_identifier(schema)
            await conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            await conn.execute(text(f"DROP SCHEMA IF EXISTS {quoted} CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def db_schema(database_url: str) -> AsyncIterator[str]:
    """A schema name unique to this test; on PostgreSQL the schema is dropped afterwards."""
    schema = f"test_{uuid.uuid4().hex[:16]}"
    yield schema
    if make_url(database_url).get_backend_name() == "postgresql":
        await drop_schema(database_url, schema)


@pytest.fixture
async def db_engine(database_url: str, db_schema: str) -> AsyncIterator[AsyncEngine]:
    """An engine on this test's database, its schema created (tables are up to the test)."""
    engine = create_engine(database_url, schema=db_schema)
    await ensure_schema(engine, db_schema)
    try:
        yield engine
    finally:
        await engine.dispose()
