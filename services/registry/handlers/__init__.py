"""Registry use cases: one async function per command, each inside one unit of work."""

from __future__ import annotations

from collections.abc import Iterable

from services.common.errors import Conflict, invalid, quoted
from services.common.uow import UnitOfWork
from services.common.versioned import Stamp


def stamp(uow: UnitOfWork) -> Stamp:
    """The actor and time recorded on rows this unit of work writes."""
    return Stamp(at=uow.clock.now(), by=uow.actor.sub)


def check_paths(paths: Iterable[str], allowed: Iterable[str]) -> None:
    """INVALID_ARGUMENT when an update names a path this use case cannot change."""
    unknown = set(paths) - set(allowed)
    if unknown:
        raise invalid("update_mask.paths", f"cannot change {', '.join(sorted(unknown))}")


def check_etag(etag: str, version: int, what: str) -> None:
    """Conflict when the caller's etag (if any) is not the stored version."""
    if etag and etag != str(version):
        stale = f"{what} has changed since you read it (etag {quoted(etag)}); reload and retry"
        raise Conflict(stale)
