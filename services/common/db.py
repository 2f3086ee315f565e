"""Async SQLAlchemy engines for SQLite (embedded) and PostgreSQL (one schema per service)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_only

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_BEGIN_OPTION = "nlc_sqlite_begin"
LOCKED_RETRY_S = 0.02
SQLITE_NO_BEGIN = "NONE"  # each statement runs in its own implicit transaction
# Enough pooled connections that busy servers reuse them instead of opening and closing overflow.
POOL = {"pool_size": 16, "max_overflow": 16}

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A MetaData with the platform's constraint naming convention (tables carry no schema)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores UTC without an offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _execute_when_unlocked(cursor: Any, statement: str) -> None:
    """Run statement, retrying while SQLite answers "database is locked" until the busy timeout.

    SQLite skips its busy handler in some races (switching a new file to WAL, a connection that
    opened the file before another switched it) and answers at once; the wait between tries yields
    to the event loop so the connection holding the lock can finish."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute(statement)
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            await_only(asyncio.sleep(LOCKED_RETRY_S))


def _sqlite_engine(url: str) -> AsyncEngine:
    database = make_url(url).database
    on_disk = bool(database) and database != ":memory:" and not database.startswith("file:")
    if on_disk:
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    engine = _create_async_engine(url, **(POOL if on_disk else {}))

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Wait for locks first: switching to WAL itself needs one when others are connecting.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _execute_when_unlocked(cursor, "PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front (no SQLITE_BUSY when a read turns into a write);
        # read-only sessions skip BEGIN: statements autocommit, saving driver round trips.
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
        if mode != SQLITE_NO_BEGIN:
            cursor = connection.connection.dbapi_connection.cursor()
            try:
                _execute_when_unlocked(cursor, f"BEGIN {mode}")
            finally:
                cursor.close()

    return engine


def create_engine(url: str, *, schema: str) -> AsyncEngine:
    """An engine for url; on PostgreSQL every connection's search_path is schema."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        return _postgres_engine(url, schema)
    raise ValueError(f"unsupported database backend {backend!r}")


def _postgres_engine(url: str, schema: str) -> AsyncEngine:
    engine = _create_async_engine(
        url, **POOL, connect_args={"server_settings": {"search_path": schema}}
    )

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # pool_pre_ping wraps its probe in BEGIN/ROLLBACK (three round trips); one is enough.
        try:
            await_only(record.driver_connection.fetchrow(";"))
        except Exception as error:
            raise DisconnectionError("stale connection") from error

    return engine


def is_postgres(engine: AsyncEngine) -> bool:
    """True when engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def insert_ignoring_duplicates(session: AsyncSession, table: Table) -> Any:
    """An INSERT into table that skips rows whose key is already stored (even by a concurrent
    transaction), in the session's dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def ensure_schema(engine: AsyncEngine, schema: str) -> None:
    """Create schema on PostgreSQL if missing; nothing to do on SQLite."""
    if not is_postgres(engine):
        return
    quoted = engine.dialect.identifier_preparer.quote_identifier(schema)
    async with engine.begin() as conn:
        await lock_schema(conn, schema)
        await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quoted}"))


async def lock_schema(conn: AsyncConnection, schema: str) -> None:
    """PostgreSQL: serialise schema changes of schema across replicas until the transaction ends."""
    if conn.dialect.name == "postgresql":
        key = f"nlc-schema:{schema}"
        await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions bound to engine whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for queries only, without BEGIN/ROLLBACK round trips: statements autocommit."""
    if is_postgres(engine):
        reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    else:
        reader = engine.execution_options(**{SQLITE_BEGIN_OPTION: SQLITE_NO_BEGIN})
    return async_sessionmaker(reader, expire_on_commit=False)
