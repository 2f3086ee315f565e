"""What the reporting service's API, handlers, consumers and jobs need from the running process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.auth import Principal
from services.common.clock import Clock
from services.common.uow import UnitOfWork


@dataclass(frozen=True)
class ReportingDeps:
    """Session factory for reads, a unit-of-work factory for writes, and the clock."""

    sessions: async_sessionmaker[AsyncSession]
    uow: Callable[[Principal], UnitOfWork]
    clock: Clock
