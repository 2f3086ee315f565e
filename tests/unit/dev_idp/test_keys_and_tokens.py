"""Signing keys persist with private permissions; minted tokens verify with the published JWK."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from services.common.clock import FixedClock
from services.dev_idp import pkce
from services.dev_idp.keys import KEY_FILE, SigningKey
from services.dev_idp.tokens import TokenMinter

ISSUER = "http://idp.test/realms/nlc"
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


def test_key_is_created_once_owner_only_and_reloaded(tmp_path: Path) -> None:
    first = SigningKey.load_or_create(tmp_path / "idp")
    again = SigningKey.load_or_create(tmp_path / "idp")
    assert first.kid == again.kid
    assert stat.S_IMODE((tmp_path / "idp" / KEY_FILE).stat().st_mode) == 0o600
    assert first.public_key.key_size == 2048


def test_jwk_is_an_rs256_signing_key_named_by_kid(key: SigningKey) -> None:
    jwk = key.jwk()
    assert {k: jwk[k] for k in ("kid", "kty", "alg", "use")} == {
        "kid": key.kid,
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
    }
    assert jwt.PyJWK(jwk).key.public_numbers() == key.public_key.public_numbers()


def test_minted_access_token_carries_what_the_test_asked_for(key: SigningKey) -> None:
    minter = TokenMinter(key, ISSUER, FixedClock(NOW))
    token = minter.access_token(
        sub="u-1", username="cso", roles=["cso-member"], org_id="org-3", lifetime_s=60
    )
    assert jwt.get_unverified_header(token)["kid"] == key.kid
    claims = jwt.decode(
        token,
        key.public_key,
        algorithms=["RS256"],
        audience="nlc-api",
        issuer=ISSUER,
        options={"verify_exp": False},
    )
    assert claims["realm_access"] == {"roles": ["cso-member"]}
    assert (claims["sub"], claims["org_id"]) == ("u-1", "org-3")
    assert claims["preferred_username"] == "cso"
    assert (claims["typ"], claims["aud"]) == ("Bearer", ["nlc-api", "account"])
    assert claims["exp"] - claims["iat"] == 60
    assert claims["iat"] == int(NOW.timestamp())


def test_minter_forges_expired_foreign_and_wrong_audience_tokens(key: SigningKey) -> None:
    minter = TokenMinter(key, ISSUER)
    expired = minter.access_token(expires_at=datetime.now(UTC) - timedelta(minutes=5))
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(expired, key.public_key, algorithms=["RS256"], audience="nlc-api")
    other = SigningKey.generate()
    foreign = minter.access_token(key=other)
    assert jwt.get_unverified_header(foreign)["kid"] == other.kid
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(foreign, key.public_key, algorithms=["RS256"], audience="nlc-api")
    wrong = minter.access_token(audience="someone-else", issuer="http://elsewhere")
    claims = jwt.decode(wrong, options={"verify_signature": False})
    assert (claims["aud"], claims["iss"]) == ("someone-else", "http://elsewhere")


def test_read_accepts_only_this_realms_tokens_of_the_asked_type(key: SigningKey) -> None:
    minter = TokenMinter(key, ISSUER)
    token = minter.access_token()
    assert minter.read(token, typ="Bearer")["iss"] == ISSUER
    with pytest.raises(jwt.InvalidTokenError):
        minter.read(token, typ="Refresh")
    with pytest.raises(jwt.InvalidTokenError):
        minter.read(minter.access_token(issuer="http://elsewhere"), typ="Bearer")
    with pytest.raises(jwt.InvalidTokenError):
        minter.read(minter.access_token(key=SigningKey.generate()), typ="Bearer")


def test_pkce_s256_matches_rfc_7636_example() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert pkce.s256(verifier) == challenge
    assert pkce.verifies(verifier, challenge, "S256")
    assert not pkce.verifies(verifier + "x", challenge, "S256")
    assert pkce.verifies(verifier, verifier, "plain")
    assert not pkce.well_formed("too-short")
