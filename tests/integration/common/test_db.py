"""Engines: SQLite in WAL mode with foreign keys; PostgreSQL confined to the service schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from services.common.db import create_engine, is_postgres, read_session_factory


async def test_sqlite_file_is_created_with_wal_and_foreign_keys(tmp_path: Path):
    path = tmp_path / "nested" / "dir" / "svc.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}", schema="ignored")
    try:
        async with engine.connect() as conn:
            journal = await conn.scalar(text("PRAGMA journal_mode"))
            foreign_keys = await conn.scalar(text("PRAGMA foreign_keys"))
    finally:
        await engine.dispose()

    assert path.exists()
    assert (journal, foreign_keys) == ("wal", 1)


async def test_postgres_connections_use_the_service_schema(db_engine: AsyncEngine, db_schema: str):
    if not is_postgres(db_engine):
        pytest.skip("schemas are a PostgreSQL concept")
    async with db_engine.begin() as conn:
        await conn.execute(text("CREATE TABLE thing (id int primary key)"))
        schema = await conn.scalar(
            text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'thing'")
        )
        current = await conn.scalar(text("SELECT current_schema()"))

    assert schema == current == db_schema


async def test_read_sessions_hold_no_transaction_between_statements(db_engine: AsyncEngine):
    async with db_engine.begin() as conn:
        await conn.execute(text("CREATE TABLE thing (id int primary key)"))
    async with read_session_factory(db_engine)() as session:
        before = await session.scalar(text("SELECT count(*) FROM thing"))
        async with db_engine.begin() as conn:  # a writer is not blocked by the open reader
            await conn.execute(text("INSERT INTO thing VALUES (1)"))
        after = await session.scalar(text("SELECT count(*) FROM thing"))

    assert (before, after) == (0, 1)


async def test_a_killed_postgres_connection_is_replaced_on_checkout(db_engine: AsyncEngine):
    if not is_postgres(db_engine):
        pytest.skip("a PostgreSQL server-side disconnect")
    async with db_engine.connect() as conn:
        victim = await conn.scalar(text("SELECT pg_backend_pid()"))
    url = db_engine.url.render_as_string(hide_password=False)
    killer = create_async_engine(url)
    try:
        async with killer.connect() as conn:
            await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
    finally:
        await killer.dispose()

    async with db_engine.connect() as conn:
        assert await conn.scalar(text("SELECT pg_backend_pid()")) != victim
