"""TokenVerifier: accepts Keycloak-shaped RS256 tokens and refuses everything else."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from services.common.auth import Principal, TokenVerifier
from services.common.errors import Unauthenticated
from tests.support.rsa_issuer import RsaIssuer, new_key, running_issuer


class FakeMonotonic:
    """A monotonic clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def issuer() -> AsyncIterator[RsaIssuer]:
    async with running_issuer() as running:
        yield running


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def verifier(issuer: RsaIssuer, monotonic: FakeMonotonic) -> TokenVerifier:
    return TokenVerifier(issuer.issuer, leeway_s=30, refetch_interval_s=60, monotonic=monotonic)


async def reason_for(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as refused:
        await verifier.verify(token)
    return refused.value.message


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def test_a_valid_token_gives_the_callers_principal(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    token = issuer.mint(realm_access={"roles": ["city-officer", "auditor"]}, jti="token-1")

    principal = await verifier.verify(token)

    assert principal == Principal(
        sub="user-1",
        username="alice",
        roles=frozenset({"city-officer", "auditor"}),
        org_id="org-1",
        email="alice@example.org",
        name="Alice Example",
        token_id="token-1",
    )


async def test_jwks_comes_from_the_keycloak_certs_path_of_the_issuer(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    await verifier.verify(issuer.mint())
    await verifier.verify(issuer.mint(sub="user-2"))

    assert issuer.fetches == 1


async def test_an_explicit_jwks_url_is_used(issuer: RsaIssuer) -> None:
    verifier = TokenVerifier("https://elsewhere.example/realms/nlc", jwks_url=issuer.jwks_url)

    principal = await verifier.verify(issuer.mint(iss="https://elsewhere.example/realms/nlc"))

    assert principal.sub == "user-1"


async def test_an_audience_list_containing_the_api_is_accepted(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    principal = await verifier.verify(issuer.mint(aud=["account", "nlc-api"]))

    assert principal.username == "alice"


async def test_expiry_within_the_leeway_is_tolerated(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    principal = await verifier.verify(issuer.mint(exp=int(time.time()) - 10))

    assert principal.sub == "user-1"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"iss": "https://evil.example/realms/nlc"}, "wrong issuer"),
        ({"aud": "another-api"}, "wrong audience"),
        ({"aud": ["account", "another-api"]}, "wrong audience"),
        ({"exp": int(time.time()) - 120}, "token expired"),
        ({"exp": None}, "token has no exp"),
        ({"aud": None}, "token has no aud"),
        ({"sub": None}, "token has no sub"),
        ({"typ": "ID"}, "not an access token"),
    ],
)
async def test_claims_that_do_not_fit_are_refused(
    verifier: TokenVerifier, issuer: RsaIssuer, claims: dict[str, object], reason: str
) -> None:
    assert await reason_for(verifier, issuer.mint(**claims)) == reason


async def test_an_unsigned_token_is_refused(verifier: TokenVerifier, issuer: RsaIssuer) -> None:
    token = jwt.encode(issuer.claims(), None, algorithm="none", headers={"kid": issuer.kid})

    assert await reason_for(verifier, token) == "unsupported algorithm"


async def test_hs256_signed_with_the_public_key_is_refused(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    public_pem = issuer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode())
    payload = b64(json.dumps(issuer.claims()).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()

    token = f"{header}.{payload}.{b64(signature)}"

    assert await reason_for(verifier, token) == "unsupported algorithm"


@pytest.mark.parametrize("algorithm", ["RS512", "PS256"])
async def test_other_rsa_algorithms_are_refused(
    verifier: TokenVerifier, issuer: RsaIssuer, algorithm: str
) -> None:
    token = issuer.mint(algorithm=algorithm)

    assert await reason_for(verifier, token) == "unsupported algorithm"


async def test_a_tampered_payload_is_refused(verifier: TokenVerifier, issuer: RsaIssuer) -> None:
    header, _, signature = issuer.mint().split(".")
    forged = issuer.claims(realm_access={"roles": ["platform-admin"]})

    token = f"{header}.{b64(json.dumps(forged).encode())}.{signature}"

    assert await reason_for(verifier, token) == "bad signature"


async def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    token = issuer.mint(key=new_key())

    assert await reason_for(verifier, token) == "bad signature"


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c", "a.b"])
async def test_garbage_is_refused_as_malformed(verifier: TokenVerifier, token: str) -> None:
    assert await reason_for(verifier, token) == "malformed token"


async def test_a_token_without_kid_is_refused(verifier: TokenVerifier, issuer: RsaIssuer) -> None:
    token = jwt.encode(issuer.claims(), issuer.key, algorithm="RS256")

    assert await reason_for(verifier, token) == "token has no key id"


async def test_an_unknown_kid_is_refused_after_one_refetch(
    verifier: TokenVerifier, issuer: RsaIssuer, monotonic: FakeMonotonic
) -> None:
    await verifier.verify(issuer.mint())
    monotonic.now += 61

    reason = await reason_for(verifier, issuer.mint(key=new_key(), kid="stranger"))

    assert reason == "unknown signing key"
    assert issuer.fetches == 2


async def test_an_unknown_kid_right_after_a_fetch_does_not_refetch(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    await verifier.verify(issuer.mint())

    reason = await reason_for(verifier, issuer.mint(key=new_key(), kid="stranger"))

    assert reason == "unknown signing key"
    assert issuer.fetches == 1


async def test_a_flood_of_unknown_kids_refetches_at_most_once_per_interval(
    verifier: TokenVerifier, issuer: RsaIssuer, monotonic: FakeMonotonic
) -> None:
    stranger = new_key()
    await verifier.verify(issuer.mint())
    monotonic.now += 61

    tokens = [issuer.mint(key=stranger, kid=f"stranger-{i}") for i in range(25)]
    results = await asyncio.gather(*(verifier.verify(t) for t in tokens), return_exceptions=True)

    assert all(isinstance(r, Unauthenticated) for r in results)
    assert issuer.fetches == 2


async def test_a_rotated_key_is_picked_up_once_the_rate_limit_allows(
    verifier: TokenVerifier, issuer: RsaIssuer, monotonic: FakeMonotonic
) -> None:
    await verifier.verify(issuer.mint())
    rotated = new_key()
    token = issuer.mint(key=rotated, kid="key-2")
    issuer.published["key-2"] = rotated

    assert await reason_for(verifier, token) == "unknown signing key"
    monotonic.now += 61
    principal = await verifier.verify(token)

    assert principal.sub == "user-1"
    assert issuer.fetches == 2


async def test_concurrent_first_calls_fetch_the_keys_once(
    verifier: TokenVerifier, issuer: RsaIssuer
) -> None:
    tokens = [issuer.mint(sub=f"user-{i}") for i in range(20)]

    principals = await asyncio.gather(*(verifier.verify(t) for t in tokens))

    assert {p.sub for p in principals} == {f"user-{i}" for i in range(20)}
    assert issuer.fetches == 1


async def test_an_unreachable_idp_refuses_without_leaking_details(
    issuer: RsaIssuer, monotonic: FakeMonotonic
) -> None:
    verifier = TokenVerifier(
        issuer.issuer, jwks_url="http://127.0.0.1:9/certs", monotonic=monotonic
    )

    assert await reason_for(verifier, issuer.mint()) == "signing keys unavailable"
