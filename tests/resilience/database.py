"""A PostgreSQL database of the test's own on the configured server, created empty and dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


async def _on_server(server_url: str, *statements: str) -> None:
    url = make_url(server_url).set(database="postgres")
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def fresh_database(server_url: str, name: str) -> str:
    """Drop database `name` (disconnecting whoever is in it) and create it empty; its URL."""
    await _on_server(
        server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@asynccontextmanager
async def scratch_database(server_url: str, name: str) -> AsyncIterator[str]:
    """A fresh database `name` for the duration of the block, dropped afterwards."""
    try:
        yield await fresh_database(server_url, name)
    finally:
        await _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
