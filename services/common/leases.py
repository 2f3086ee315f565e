"""Named leases in a service's `job_lease` table: of several replicas, only the holder runs a job.

A lease is held until `expires_at`; its holder renews it on every pass. When the holder dies
the lease lapses after its time-to-live and another replica takes it over; a holder that stops
gracefully releases it at once.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, String, Table, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clock import Clock
from services.common.db import UtcDateTime, new_metadata

LEASE_METADATA = new_metadata()

job_lease = Table(
    "job_lease",
    LEASE_METADATA,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)


def create_lease_table(op: Any) -> None:
    """Create job_lease from an Alembic revision's upgrade()."""
    LEASE_METADATA.create_all(op.get_bind(), checkfirst=False)


def drop_lease_table(op: Any) -> None:
    """Drop job_lease from an Alembic revision's downgrade()."""
    LEASE_METADATA.drop_all(op.get_bind(), checkfirst=False)


def new_holder_id() -> str:
    """This process's identity as a lease holder: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class JobLease:
    """One named lease, acquired and renewed by one holder."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        name: str,
        *,
        clock: Clock,
        ttl_s: float,
        holder: str | None = None,
        read_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self.name = name
        self.holder = holder or new_holder_id()
        self._sessions = sessions
        self._read_sessions = read_sessions or sessions
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_s)

    async def acquire(self) -> bool:
        """Take or renew the lease; False while another holder's lease has not lapsed.

        A replica that does not hold the lease only reads until the lease lapses, so the
        replicas waiting for it take no write locks."""
        now = self._clock.now()
        if await self._held_by_another(now):
            return False
        async with self._sessions() as session:
            taken = await session.execute(
                update(job_lease)
                .where(job_lease.c.name == self.name)
                .where(or_(job_lease.c.holder == self.holder, job_lease.c.expires_at <= now))
                .values(holder=self.holder, expires_at=now + self._ttl)
            )
            if taken.rowcount == 0 and not await self._insert(session, now):
                return False
            await session.commit()
        return True

    async def _held_by_another(self, now: datetime) -> bool:
        async with self._read_sessions() as session:
            row = (
                await session.execute(
                    select(job_lease.c.holder, job_lease.c.expires_at).where(
                        job_lease.c.name == self.name
                    )
                )
            ).first()
        return row is not None and row.holder != self.holder and row.expires_at > now

    async def release(self) -> None:
        """Give the lease up now, if this holder has it."""
        async with self._sessions() as session:
            await session.execute(
                update(job_lease)
                .where(job_lease.c.name == self.name, job_lease.c.holder == self.holder)
                .values(expires_at=self._clock.now())
            )
            await session.commit()

    async def _insert(self, session: AsyncSession, now: datetime) -> bool:
        """The first holder creates the row; a concurrent creator or a live row means no."""
        try:
            await session.execute(
                job_lease.insert().values(
                    name=self.name, holder=self.holder, expires_at=now + self._ttl
                )
            )
            await session.flush()
        except IntegrityError:
            await session.rollback()
            return False
        return True
