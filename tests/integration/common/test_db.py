"""Engines: SQLite in WAL mode with foreign keys; PostgreSQL confined to the service schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import create_engine, is_postgres


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
