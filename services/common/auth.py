"""Who is calling: roles, the principal of the current call, and access-token verification."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from services.common.errors import Unauthenticated
from services.common.jwks import JwksCache
from services.common.token_cache import VerifiedTokens


class Role(StrEnum):
    """Keycloak realm roles of the platform."""

    NATIONAL_ADMIN = "national-admin"
    NATIONAL_REVIEWER = "national-reviewer"
    CITY_OFFICER = "city-officer"
    CSO_MEMBER = "cso-member"
    GRANT_MANAGER = "grant-manager"
    GRANT_REVIEWER = "grant-reviewer"
    FUNDER = "funder"
    INFOSHARE_OFFICER = "infoshare-officer"
    DATA_PROTECTION_OFFICER = "data-protection-officer"
    AUDITOR = "auditor"
    PLATFORM_ADMIN = "platform-admin"


@dataclass(frozen=True)
class Principal:
    """A verified caller: token subject, username, realm roles and organisation."""

    sub: str
    username: str
    roles: frozenset[str]
    org_id: str | None
    email: str = ""
    name: str = ""
    # The access token's `jti`, so an audit entry names the very token used.
    token_id: str = ""

    def has_any(self, *roles: str) -> bool:
        """True when the caller holds at least one of roles."""
        return not self.roles.isdisjoint(roles)


SYSTEM = Principal("system", "system", frozenset(), None)

principal_var: ContextVar[Principal | None] = ContextVar("nlc_principal", default=None)


def current_principal() -> Principal:
    """The caller of the RPC being served; Unauthenticated outside an authenticated call."""
    found = principal_var.get()
    if found is None:
        raise Unauthenticated("no authenticated caller")
    return found


@contextmanager
def bind_principal(principal: Principal) -> Iterator[Principal]:
    """Make principal the current caller for the enclosed block."""
    token = principal_var.set(principal)
    try:
        yield principal
    finally:
        principal_var.reset(token)


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build a Principal from verified Keycloak access-token claims."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise Unauthenticated("token has no subject")
    realm_access = claims.get("realm_access")
    roles = realm_access.get("roles", []) if isinstance(realm_access, Mapping) else []
    org_id = claims.get("org_id")
    return Principal(
        sub=sub,
        username=_text(claims.get("preferred_username")) or sub,
        roles=frozenset(role for role in roles if isinstance(role, str)),
        org_id=org_id if isinstance(org_id, str) and org_id else None,
        email=_text(claims.get("email")),
        name=_text(claims.get("name")),
        token_id=_text(claims.get("jti")),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


_REASONS: list[tuple[type[jwt.PyJWTError], str]] = [
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.InvalidAlgorithmError, "unsupported algorithm"),
    (jwt.DecodeError, "malformed token"),
]


class TokenVerifier:
    """Verifies RS256 access tokens against the issuer's JWKS, audience and expiry."""

    def __init__(
        self,
        issuer: str,
        audience: str = "nlc-api",
        *,
        jwks_url: str | None = None,
        leeway_s: int = 30,
        refetch_interval_s: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
        clock: Callable[[], float] = time.time,
        cache_size: int = 1024,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.leeway_s = leeway_s
        self.jwks = JwksCache(
            jwks_url or f"{self.issuer}/protocol/openid-connect/certs",
            refetch_interval_s=refetch_interval_s,
            monotonic=monotonic,
        )
        self.verified: VerifiedTokens[Principal] = VerifiedTokens(
            max_size=cache_size, leeway_s=leeway_s, clock=clock, monotonic=monotonic
        )

    async def verify(self, token: str) -> Principal:
        """The Principal of a valid token; Unauthenticated with a short reason otherwise."""
        cached = self.verified.get(token)
        if cached is not None:
            return cached
        principal, exp = await self._verify(token)
        self.verified.put(token, principal, exp)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("malformed token") from None
        if header.get("alg") != "RS256":
            raise Unauthenticated("unsupported algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthenticated("token has no key id")
        key = await self.jwks.key(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.MissingRequiredClaimError as exc:
            raise Unauthenticated(f"token has no {exc.claim}") from None
        except jwt.PyJWTError as exc:
            raise Unauthenticated(_reason(exc)) from None
        if claims.get("typ", "Bearer") != "Bearer":
            raise Unauthenticated("not an access token")
        return principal_from_claims(claims), float(claims["exp"])


def _reason(exc: jwt.PyJWTError) -> str:
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return "invalid token"
