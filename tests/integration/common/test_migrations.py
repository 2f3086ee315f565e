"""Alembic migrations run from code into the service's own schema."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import create_engine, is_postgres
from services.common.migrations import MigrationError, upgrade
from tests.integration.common.conftest import SAMPLE_MIGRATIONS

KIT_TABLES = {"outbox", "inbox", "dead_letter", "audit_log"}

BROKEN_REVISION = """
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("SELECT * FROM no_such_table")
"""


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_upgrade_creates_kit_and_service_tables(db_engine: AsyncEngine, db_schema: str):
    await upgrade(db_engine, SAMPLE_MIGRATIONS, schema=db_schema)

    assert {*KIT_TABLES, "sample_item", "alembic_version"} <= await table_names(db_engine)


async def test_upgrade_twice_changes_nothing(db_engine: AsyncEngine, db_schema: str):
    await upgrade(db_engine, SAMPLE_MIGRATIONS, schema=db_schema)
    await upgrade(db_engine, SAMPLE_MIGRATIONS, schema=db_schema)

    assert "sample_item" in await table_names(db_engine)


async def test_tables_live_in_the_service_schema(db_engine: AsyncEngine, db_schema: str):
    if not is_postgres(db_engine):
        pytest.skip("schemas are a PostgreSQL concept")
    await upgrade(db_engine, SAMPLE_MIGRATIONS, schema=db_schema)

    async with db_engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names(schema=db_schema))
    assert "outbox" in names


async def test_failed_migration_raises_and_leaves_no_half_schema(
    db_engine: AsyncEngine, db_schema: str, tmp_path: Path
):
    scripts = tmp_path / "migrations"
    shutil.copytree(SAMPLE_MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0003_broken.py").write_text(BROKEN_REVISION)

    with pytest.raises(MigrationError, match="no_such_table"):
        await upgrade(db_engine, scripts, schema=db_schema)

    assert "sample_item" not in await table_names(db_engine)


async def test_missing_script_dir_is_a_clear_error(db_engine: AsyncEngine, db_schema: str):
    with pytest.raises(MigrationError, match=r"no Alembic env\.py"):
        await upgrade(db_engine, "/nonexistent/migrations", schema=db_schema)


async def test_replicas_migrating_at_once_both_succeed(database_url: str, db_schema: str):
    engines = [create_engine(database_url, schema=db_schema) for _ in range(3)]
    try:
        await asyncio.gather(
            *(upgrade(engine, SAMPLE_MIGRATIONS, schema=db_schema) for engine in engines)
        )
        assert "sample_item" in await table_names(engines[0])
    finally:
        for engine in engines:
            await engine.dispose()
