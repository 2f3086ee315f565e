"""The read cache's rules: hits, expiry, clearing by events, overlapping loads and its bound."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from services.common.clock import FixedClock
from services.common.read_cache import ReadCache, ReadCaches

PREFIX = "nlc.sample.item."
TTL = timedelta(seconds=5)


class Loader:
    """Answers "<key>-N" for the Nth load of any key, counting loads."""

    def __init__(self) -> None:
        self.loads = 0

    def __call__(self, key: str):
        async def load() -> str:
            self.loads += 1
            return f"{key}-{self.loads}"

        return load


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def cache(clock: FixedClock) -> ReadCache[str, str]:
    return ReadCache(PREFIX, clock=clock, ttl=TTL, max_entries=3)


async def test_a_second_read_is_answered_without_loading(cache):
    load = Loader()

    first = await cache.get("a", load("a"))
    second = await cache.get("a", load("a"))

    assert (first, second, load.loads) == ("a-1", "a-1", 1)


async def test_an_entry_is_loaded_again_once_its_time_to_live_has_passed(cache, clock):
    load = Loader()
    await cache.get("a", load("a"))

    clock.advance(TTL - timedelta(milliseconds=1))
    still_cached = await cache.get("a", load("a"))
    clock.advance(timedelta(milliseconds=1))
    reloaded = await cache.get("a", load("a"))

    assert (still_cached, reloaded) == ("a-1", "a-2")


async def test_an_event_under_the_prefix_clears_the_cache_and_others_do_not(cache):
    caches = ReadCaches()
    caches.add(cache)
    load = Loader()
    await cache.get("a", load("a"))

    caches.committed(["nlc.other.item.created", "nlc.sample.items.created"])
    after_other_events = await cache.get("a", load("a"))
    caches.received("nlc.sample.item.updated")
    after_own_event = await cache.get("a", load("a"))

    assert (after_other_events, after_own_event) == ("a-1", "a-2")


async def test_a_load_that_overlaps_a_clear_is_returned_but_not_kept(cache):
    loading = asyncio.Event()
    release = asyncio.Event()

    async def slow_load() -> str:
        loading.set()
        await release.wait()
        return "read before the change"

    reader = asyncio.create_task(cache.get("a", slow_load))
    await loading.wait()
    cache.clear()
    release.set()
    answered = await reader
    load = Loader()
    next_read = await cache.get("a", load("a"))

    assert answered == "read before the change"
    assert next_read == "a-1"


async def test_the_least_recently_read_entry_goes_first_when_full(cache):
    load = Loader()
    for key in ("a", "b", "c"):
        await cache.get(key, load(key))
    await cache.get("a", load("a"))

    await cache.get("d", load("d"))
    a_again = await cache.get("a", load("a"))
    b_again = await cache.get("b", load("b"))

    assert len(cache) == 3
    assert a_again == "a-1"
    assert b_again == "b-5"


def test_a_prefix_must_end_at_a_subject_token(clock):
    with pytest.raises(ValueError, match=r"must end with '\.'"):
        ReadCache("nlc.sample.item", clock=clock, ttl=TTL, max_entries=1)
