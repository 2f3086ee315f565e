"""Grants use cases: one async function per command, each inside one unit of work."""

from __future__ import annotations

from services.common.errors import Conflict
from services.common.uow import UnitOfWork
from services.common.versioned import Stamp


def stamp(uow: UnitOfWork) -> Stamp:
    """The actor and time recorded on rows this unit of work writes."""
    return Stamp(at=uow.clock.now(), by=uow.actor.sub)


def check_etag(etag: str, version: int, what: str) -> None:
    """Conflict when the caller's etag (if any) is not the stored version."""
    if etag and etag != str(version):
        raise Conflict(f"{what} has changed since you read it (etag {etag}); reload and retry")
