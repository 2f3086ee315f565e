"""Signing and reading the realm's JWTs; TokenMinter also mints arbitrary tokens for tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import jwt

from services.common.clock import Clock, SystemClock
from services.dev_idp.claims import bearer_claims
from services.dev_idp.keys import SigningKey

_READ_OPTIONS = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False}


class TokenMinter:
    """Signs RS256 tokens for one issuer with the realm key (or another key, to forge)."""

    def __init__(self, key: SigningKey, issuer: str, clock: Clock | None = None) -> None:
        self.key = key
        self.issuer = issuer
        self.clock = clock or SystemClock()

    def sign(self, claims: Mapping[str, Any], *, key: SigningKey | None = None) -> str:
        """A compact JWS of claims with a kid header, like Keycloak's."""
        signer = key or self.key
        headers = {"kid": signer.kid, "typ": "JWT"}
        return jwt.encode(dict(claims), signer.private_key, algorithm="RS256", headers=headers)

    def read(self, token: str, *, typ: str) -> dict[str, Any]:
        """Claims of a token this realm signed with type typ; expiry is left to the caller."""
        claims = jwt.decode(
            token,
            self.key.public_key,
            algorithms=["RS256"],
            issuer=self.issuer,
            options=_READ_OPTIONS,
        )
        if claims.get("typ") != typ:
            raise jwt.InvalidTokenError(f"not a {typ} token")
        return claims

    def access_token(
        self,
        *,
        sub: str = "00000000-0000-4000-8000-000000000000",
        username: str = "tester",
        roles: Iterable[str] = (),
        org_id: str | None = None,
        audience: str | Sequence[str] = ("nlc-api", "account"),
        issuer: str | None = None,
        azp: str = "nlc-cli",
        email: str = "",
        name: str = "",
        issued_at: datetime | None = None,
        expires_at: datetime | None = None,
        lifetime_s: int = 300,
        extra: Mapping[str, Any] | None = None,
        key: SigningKey | None = None,
    ) -> str:
        """An access token shaped like Keycloak's with any claims a test needs."""
        issued = issued_at or self.clock.now()
        profile: dict[str, Any] = {"preferred_username": username}
        profile |= {"email": email} if email else {}
        profile |= {"name": name} if name else {}
        profile |= {"org_id": org_id} if org_id is not None else {}
        claims = bearer_claims(
            issuer=issuer or self.issuer,
            sub=sub,
            azp=azp,
            audience=audience,
            roles=roles,
            issued_at=issued,
            expires_at=expires_at or issued + timedelta(seconds=lifetime_s),
            scope="email profile",
            profile=profile,
        )
        claims.update(extra or {})
        return self.sign(claims, key=key)
