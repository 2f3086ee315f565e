"""A tiny token issuer for auth tests: RSA keys, a JWKS endpoint on loopback, PyJWT minting."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AUDIENCE = "nlc-api"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA signing key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class RsaIssuer:
    """Signs tokens like Keycloak and publishes its public keys; counts JWKS fetches."""

    def __init__(self) -> None:
        self.issuer = ""
        self.jwks_url = ""
        self.kid = "key-1"
        self.key = new_key()
        self.published: dict[str, rsa.RSAPrivateKey] = {self.kid: self.key}
        self.fetches = 0

    def jwks(self) -> dict[str, Any]:
        """The JWKS document of the published keys."""
        keys = []
        for kid, key in self.published.items():
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """Keycloak-shaped access-token claims, valid for five minutes, with overrides."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "azp": "nlc-ui",
            "sub": "user-1",
            "typ": "Bearer",
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            "preferred_username": "alice",
            "email": "alice@example.org",
            "name": "Alice Example",
            "org_id": "org-1",
            "realm_access": {"roles": ["city-officer"]},
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def mint(
        self,
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        algorithm: str = "RS256",
        **claims: Any,
    ) -> str:
        """A signed token; claims given as None are left out."""
        return jwt.encode(
            self.claims(**claims),
            key or self.key,
            algorithm=algorithm,
            headers={"kid": kid or self.kid},
        )

    def app(self) -> web.Application:
        """The aiohttp app serving the JWKS at the Keycloak path."""

        async def certs(_: web.Request) -> web.Response:
            self.fetches += 1
            return web.json_response(self.jwks())

        app = web.Application()
        app.router.add_get("/realms/test/protocol/openid-connect/certs", certs)
        return app


@asynccontextmanager
async def running_issuer() -> AsyncIterator[RsaIssuer]:
    """An RsaIssuer whose JWKS is served on a free loopback port for the block."""
    issuer = RsaIssuer()
    runner = web.AppRunner(issuer.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    issuer.issuer = f"http://127.0.0.1:{port}/realms/test"
    issuer.jwks_url = f"{issuer.issuer}/protocol/openid-connect/certs"
    try:
        yield issuer
    finally:
        await runner.cleanup()
