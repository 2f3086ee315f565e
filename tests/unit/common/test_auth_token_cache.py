"""TokenVerifier's cache of verified tokens: exact-string hits only, expiry kept, bounded."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from services.common.auth import Principal, TokenVerifier
from services.common.errors import Unauthenticated
from services.common.token_cache import VerifiedTokens
from tests.support.rsa_issuer import RsaIssuer, new_key, running_issuer


class Clock:
    """A clock that only moves when told to."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def issuer() -> AsyncIterator[RsaIssuer]:
    async with running_issuer() as running:
        yield running


def verifier_for(issuer: RsaIssuer, wall: Clock, mono: Clock, size: int = 8) -> TokenVerifier:
    return TokenVerifier(issuer.issuer, leeway_s=30, clock=wall, monotonic=mono, cache_size=size)


async def test_a_repeat_token_is_served_from_the_cache(issuer: RsaIssuer) -> None:
    verifier = verifier_for(issuer, Clock(time.time()), Clock(1000.0))
    token = issuer.mint()

    first = await verifier.verify(token)
    issuer.published.clear()  # a second full check could no longer find the key
    second = await verifier.verify(token)

    assert second == first
    assert len(verifier.verified) == 1


async def test_a_cached_token_is_refused_once_expired(issuer: RsaIssuer) -> None:
    wall, mono = Clock(time.time()), Clock(1000.0)
    verifier = verifier_for(issuer, wall, mono)
    token = issuer.mint(exp=int(wall.now) + 60)
    await verifier.verify(token)

    wall.now += 60 + 29
    assert (await verifier.verify(token)).sub == "user-1"
    wall.now += 2
    with pytest.raises(Unauthenticated) as refused:
        await verifier.verify(token)

    assert refused.value.message == "token expired"
    assert len(verifier.verified) == 0


async def test_a_different_token_string_is_verified_afresh(issuer: RsaIssuer) -> None:
    verifier = verifier_for(issuer, Clock(time.time()), Clock(1000.0))
    token = issuer.mint()
    await verifier.verify(token)
    header, payload, _ = token.split(".")
    forged = f"{header}.{payload}.{issuer.mint(key=new_key()).split('.')[2]}"

    with pytest.raises(Unauthenticated) as refused:
        await verifier.verify(forged)

    assert refused.value.message == "bad signature"


async def test_entries_are_reverified_after_max_age(
    issuer: RsaIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    mono = Clock(1000.0)
    verifier = verifier_for(issuer, Clock(time.time()), mono)
    token = issuer.mint()
    full_checks = []
    check = verifier._verify

    async def counted(token: str) -> tuple[Principal, float]:
        full_checks.append(token)
        return await check(token)

    monkeypatch.setattr(verifier, "_verify", counted)
    await verifier.verify(token)
    await verifier.verify(token)
    mono.now += verifier.verified.max_age_s + 1
    await verifier.verify(token)

    assert len(full_checks) == 2


async def test_the_cache_is_bounded(issuer: RsaIssuer) -> None:
    verifier = verifier_for(issuer, Clock(time.time()), Clock(1000.0), size=3)

    for i in range(10):
        await verifier.verify(issuer.mint(sub=f"user-{i}"))

    assert len(verifier.verified) == 3


def test_the_least_recently_used_entry_is_evicted() -> None:
    cache: VerifiedTokens[str] = VerifiedTokens(max_size=2, clock=lambda: 0.0)
    cache.put("a", "A", exp=100)
    cache.put("b", "B", exp=100)
    assert cache.get("a") == "A"
    cache.put("c", "C", exp=100)

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
