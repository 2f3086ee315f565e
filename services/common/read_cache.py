"""In-process caches of hot reads, dropped when the events that change them commit.

A cache belongs to an event subject prefix (say `nlc.registry.organisation.`). It is cleared when a
unit of work in this process commits an event under that prefix (so a caller reads its own
writes at once) and when such an event arrives over NATS from another replica. Entries also
expire after a time to live, which bounds staleness if a notice from another replica is lost
while NATS is away.

A load that overlaps a clear is not stored: the value it read may predate the change.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from nats.aio.client import Client
from nats.aio.msg import Msg

from services.common.clock import Clock

log = logging.getLogger("nlc.read_cache")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ReadCache(Generic[K, V]):
    """At most max_entries values, each kept for ttl unless an event under prefix clears them."""

    def __init__(self, prefix: str, *, clock: Clock, ttl: timedelta, max_entries: int) -> None:
        if not prefix.endswith("."):
            raise ValueError(f"subject prefix {prefix!r} must end with '.'")
        self.prefix = prefix
        self._clock = clock
        self._ttl = ttl
        self._max_entries = max_entries
        self._entries: OrderedDict[K, tuple[datetime, V]] = OrderedDict()
        self._generation = 0

    def __len__(self) -> int:
        return len(self._entries)

    def covers(self, subject: str) -> bool:
        """True when an event on subject may change what this cache holds."""
        return subject.startswith(self.prefix)

    def clear(self) -> None:
        """Forget every entry, and any load still running."""
        self._entries.clear()
        self._generation += 1

    async def get(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The fresh cached value for key, else load() (stored unless a clear came meanwhile)."""
        now = self._clock.now()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            self._entries.move_to_end(key)
            return entry[1]
        generation = self._generation
        value = await load()
        if generation == self._generation:
            self._entries[key] = (now + self._ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return value


class ReadCaches:
    """The read caches of one process: cleared by its own commits and by other replicas' events."""

    def __init__(self) -> None:
        self._caches: list[ReadCache] = []

    def add(self, cache: ReadCache[K, V]) -> ReadCache[K, V]:
        """Register cache so that events under its prefix clear it; returns it."""
        self._caches.append(cache)
        return cache

    def committed(self, subjects: Iterable[str]) -> None:
        """A unit of work here committed events on subjects: clear the caches they touch."""
        for subject in subjects:
            self.received(subject)

    def received(self, subject: str) -> None:
        """An event on subject happened (here or elsewhere): clear the caches it touches."""
        for cache in self._caches:
            if cache.covers(subject):
                cache.clear()

    def clear_all(self) -> None:
        """Forget everything, e.g. after missing events while NATS was away."""
        for cache in self._caches:
            cache.clear()

    async def follow(self, nc: Client) -> None:
        """Subscribe to the events of every registered cache, as published by any replica."""

        async def on_event(msg: Msg) -> None:
            self.received(msg.subject)

        for prefix in sorted({cache.prefix for cache in self._caches}):
            await nc.subscribe(f"{prefix}>", cb=on_event)
        self.clear_all()
