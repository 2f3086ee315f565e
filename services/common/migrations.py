"""Alembic run from code at start-up; `run_env()` is the whole body of a service's env.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import ensure_schema, lock_schema


class MigrationError(RuntimeError):
    """A service's schema could not be brought up to date."""


def _upgrade(connection: Connection, script_location: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "heads")


async def upgrade(engine: AsyncEngine, script_location: str | Path, *, schema: str) -> None:
    """Create schema if needed, then apply every pending revision in one locked transaction."""
    location = str(script_location)
    if not (Path(location) / "env.py").is_file():
        raise MigrationError(f"no Alembic env.py in {location}")
    try:
        await ensure_schema(engine, schema)
        async with engine.begin() as conn:
            await lock_schema(conn, schema)
            await conn.run_sync(_upgrade, location)
    except Exception as exc:
        raise MigrationError(f"migrating schema {schema!r} from {location} failed: {exc}") from exc


def run_env(target_metadata: Any = None) -> None:
    """Run migrations online on the connection that `upgrade()` passed in the Alembic config."""
    from alembic import context

    if context.is_offline_mode():
        raise MigrationError("offline (--sql) migrations are not supported")
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise MigrationError("run migrations through services.common.migrations.upgrade()")
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
