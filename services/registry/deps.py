"""What the registry's API and handlers need from the running process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nlc.registry.v1 import organisations_pb2
from services.common.auth import Principal
from services.common.clock import Clock
from services.common.read_cache import ReadCache, ReadCaches
from services.common.uow import UnitOfWork
from services.registry.handlers.organisations import SUBJECT as ORGANISATION_EVENTS
from services.registry.queries.organisations import OrganisationView

# Another replica's change shows here when its event arrives, and after this at the latest.
ORGANISATION_CACHE_TTL = timedelta(seconds=5)
ORGANISATION_CACHE_SIZE = 10_000
# An organisation as stored, with the reply GetOrganisation sends for it.
CachedOrganisation = tuple[OrganisationView, organisations_pb2.Organisation]
OrganisationCache = ReadCache[str, CachedOrganisation | None]


def organisation_cache(caches: ReadCaches, clock: Clock) -> OrganisationCache:
    """Organisations by id with their replies, cleared by organisation events."""
    cache: OrganisationCache = ReadCache(
        f"{ORGANISATION_EVENTS}.",
        clock=clock,
        ttl=ORGANISATION_CACHE_TTL,
        max_entries=ORGANISATION_CACHE_SIZE,
    )
    return caches.add(cache)


@dataclass(frozen=True)
class RegistryDeps:
    """Session factory for reads, a unit-of-work factory for writes, the clock, and the cache of
    organisations by id."""

    sessions: async_sessionmaker[AsyncSession]
    uow: Callable[[Principal], UnitOfWork]
    clock: Clock
    organisations: OrganisationCache
