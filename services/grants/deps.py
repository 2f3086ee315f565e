"""What the grants service's API, handlers and consumers need from the running process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.auth import SYSTEM, Principal
from services.common.clock import Clock
from services.common.group_commit import GroupCommit
from services.common.uow import UnitOfWork
from services.grants.handlers.submission import Submission, submit_applications
from services.grants.queries.applications import ApplicationView


@dataclass(frozen=True)
class GrantsDeps:
    """Session factory for reads, a unit-of-work factory for writes, and the clock."""

    sessions: async_sessionmaker[AsyncSession]
    uow: Callable[[Principal], UnitOfWork]
    clock: Clock

    @cached_property
    def submissions(self) -> GroupCommit[Submission, ApplicationView]:
        """Submissions that arrive together share a transaction (a deadline-day surge)."""
        return GroupCommit(lambda group: submit_applications(self.uow(SYSTEM), group))
