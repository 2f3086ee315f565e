"""Tables every service has: outbox, inbox, dead_letter and audit_log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase

from services.common.db import UtcDateTime, new_metadata

KIT_METADATA = new_metadata()

# SQLite only auto-increments an INTEGER PRIMARY KEY.
_Seq = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    KIT_METADATA,
    Column("seq", _Seq, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("subject", String(255), nullable=False),
    Column("event_type", String(255), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
)
Index(
    "ix_outbox_pending",
    outbox.c.seq,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)

inbox = Table(
    "inbox",
    KIT_METADATA,
    Column("consumer", String(255), nullable=False),
    Column("event_id", String(255), nullable=False),
    Column("processed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("consumer", "event_id"),
)

dead_letter = Table(
    "dead_letter",
    KIT_METADATA,
    Column("id", String(36), primary_key=True),
    Column("consumer", String(255), nullable=False, index=True),
    Column("event_id", String(255), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("error", Text, nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    KIT_METADATA,
    Column("seq", _Seq, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("resource", String(512), nullable=False, index=True),
    Column("action", String(255), nullable=False),
    Column("actor_sub", String(255), nullable=False),
    Column("actor_username", String(255), nullable=False),
    Column("actor_org_id", String(255), nullable=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("details_json", JSON, nullable=False),
)


class _KitBase(DeclarativeBase):
    metadata = KIT_METADATA


class DeadLetterRow(_KitBase):
    """An event a consumer gave up on, with the last error."""

    __table__ = dead_letter


def create_kit_tables(op: Any) -> None:
    """Create the kit tables from an Alembic revision's upgrade()."""
    KIT_METADATA.create_all(op.get_bind(), checkfirst=False)


def drop_kit_tables(op: Any) -> None:
    """Drop the kit tables from an Alembic revision's downgrade()."""
    KIT_METADATA.drop_all(op.get_bind(), checkfirst=False)
