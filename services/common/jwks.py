"""A rate-limited cache of an identity provider's RSA signing keys (JWKS)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from services.common.errors import Unauthenticated

log = logging.getLogger(__name__)


def parse_jwks(document: dict[str, Any]) -> dict[str, RSAPublicKey]:
    """The RS256 signing keys of a JWKS document by kid; other keys are ignored."""
    keys: dict[str, RSAPublicKey] = {}
    for jwk in document.get("keys", []):
        kid = jwk.get("kid")
        if not isinstance(kid, str) or jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
            continue
        if jwk.get("alg", "RS256") != "RS256":
            continue
        try:
            key = jwt.PyJWK(jwk, algorithm="RS256").key
        except jwt.PyJWTError:
            log.warning("ignoring unusable JWKS key", extra={"kid": kid})
            continue
        if isinstance(key, RSAPublicKey):
            keys[kid] = key
    return keys


class JwksCache:
    """Keys fetched from a JWKS URL, refetched for an unknown kid at most once per interval."""

    def __init__(
        self,
        url: str,
        *,
        refetch_interval_s: float = 30.0,
        max_age_s: float = 3600.0,
        timeout_s: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._refetch_interval_s = refetch_interval_s
        self._max_age_s = max_age_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._monotonic = monotonic
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> RSAPublicKey:
        """The public key for kid; raises Unauthenticated when the IdP does not know it."""
        if kid in self._keys and not self._stale():
            return self._keys[kid]
        async with self._lock:
            if (kid not in self._keys or self._stale()) and self._may_fetch():
                await self._fetch()
        if not self._keys:
            raise Unauthenticated("signing keys unavailable")
        if kid not in self._keys:
            raise Unauthenticated("unknown signing key")
        return self._keys[kid]

    def _stale(self) -> bool:
        return self._fetched_at is None or self._monotonic() - self._fetched_at >= self._max_age_s

    def _may_fetch(self) -> bool:
        if self._attempted_at is None:
            return True
        return self._monotonic() - self._attempted_at >= self._refetch_interval_s

    async def _fetch(self) -> None:
        """Replace the cached keys; on failure keep the old ones and log why."""
        self._attempted_at = self._monotonic()
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.get(self.url) as response,
            ):
                response.raise_for_status()
                document = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("JWKS fetch failed", extra={"url": self.url, "error": repr(exc)})
            return
        if not isinstance(document, dict):
            log.warning("JWKS document is not an object", extra={"url": self.url})
            return
        self._keys = parse_jwks(document)
        self._fetched_at = self._monotonic()
