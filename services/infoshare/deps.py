"""What the infoshare service's API, handlers and jobs need from the running process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.auth import Principal
from services.common.clock import Clock
from services.common.uow import UnitOfWork
from services.infoshare.crypto.keyring import Keyring


@dataclass(frozen=True)
class InfoshareDeps:
    """Read sessions, a unit-of-work factory for writes, the clock and the service's keys."""

    sessions: async_sessionmaker[AsyncSession]
    uow: Callable[[Principal], UnitOfWork]
    clock: Clock
    keyring: Keyring
