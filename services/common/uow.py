"""Unit of work: one session and transaction holding a use case's state, events and audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from services.common.audit import AuditRecord, audit_history
from services.common.auth import Principal
from services.common.clock import Clock
from services.common.kit_tables import audit_log, outbox
from services.common.outbox import outbox_values
from services.common.versioned import Stamp

__all__ = [
    "AuditRecord",
    "JoinedUnitOfWork",
    "OnCommit",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "audit_history",
    "uow_factory",
]


# Told, after each commit, the subjects of the events that commit published.
OnCommit = Callable[[Sequence[str]], None]


_STAGED = "nlc_staged"


@dataclass
class _Staged:
    """Outbox and audit rows a session writes just before it commits (one insert per table)."""

    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def subjects(self) -> list[str]:
        return [row["subject"] for row in self.outbox]


def _staged(session: AsyncSession) -> _Staged:
    staged: _Staged = session.info.setdefault(_STAGED, _Staged())
    return staged


@event.listens_for(Session, "before_commit")
def _write_staged(session: Session) -> None:
    staged: _Staged | None = session.info.pop(_STAGED, None)
    if staged is None:
        return
    for table, rows in ((outbox, staged.outbox), (audit_log, staged.audit)):
        if rows:
            session.execute(insert(table), rows)


@event.listens_for(Session, "after_rollback")
def _forget_staged(session: Session) -> None:
    session.info.pop(_STAGED, None)


class UnitOfWork:
    """`async with uow:` opens a transaction; `await uow.commit()` keeps it, leaving rolls back."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        actor: Principal,
        on_commit: OnCommit | None = None,
    ) -> None:
        self._sessions = sessions
        self.clock = clock
        self.actor = actor
        self._on_commit = on_commit
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """The open session; only inside `async with`."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("unit of work is already open")
        self._session = self._sessions()
        await self._session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            await session.rollback()
        finally:
            await session.close()

    def emit(self, subject: str, message: Message) -> str:
        """Stage message for publication on subject when this unit of work commits."""
        row = outbox_values(subject, message, self.clock.now())
        _staged(self.session).outbox.append(row)
        return str(row["id"])

    def audit(self, resource: str, action: str, details: dict[str, Any]) -> None:
        """Record that the actor did action to resource, in this transaction."""
        _staged(self.session).audit.append(
            {
                "id": str(uuid.uuid4()),
                "resource": resource,
                "action": action,
                "actor_sub": self.actor.sub,
                "actor_username": self.actor.username,
                "actor_org_id": self.actor.org_id,
                "occurred_at": self.clock.now(),
                "details_json": details,
            }
        )

    def stamp(self) -> Stamp:
        """The actor and time recorded on rows this unit of work writes."""
        return Stamp(at=self.clock.now(), by=self.actor.sub)

    def acting_for(self, actor: Principal) -> UnitOfWork:
        """A unit of work in this one's transaction that records actor as the one who acts (one
        request of a group commit); the events it stages are this unit of work's too."""
        return JoinedUnitOfWork(self.session, self.clock, actor)

    async def commit(self) -> None:
        """Commit state, events and audit rows together, then tell on_commit their subjects."""
        subjects = _staged(self.session).subjects
        await self.session.commit()
        if self._on_commit is not None:
            self._on_commit(subjects)


class JoinedUnitOfWork(UnitOfWork):
    """A unit of work inside a transaction its caller owns (a consumer's, with its inbox row):
    entering and leaving do nothing, commit only flushes; the owner commits or rolls back."""

    def __init__(self, session: AsyncSession, clock: Clock, actor: Principal) -> None:
        super().__init__(async_sessionmaker(), clock, actor)
        self._joined = session

    @property
    def session(self) -> AsyncSession:
        return self._joined

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        await self._joined.flush()


@dataclass(frozen=True)
class UnitOfWorkFactory:
    """Makes a unit of work for a caller."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    on_commit: OnCommit | None = None

    def __call__(self, actor: Principal) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.clock, actor, self.on_commit)


def uow_factory(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    on_commit: OnCommit | None = None,
) -> UnitOfWorkFactory:
    """A factory of units of work sharing sessions, clock and what to tell after each commit."""
    return UnitOfWorkFactory(sessions, clock, on_commit)
