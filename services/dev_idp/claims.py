"""Claims of Keycloak-shaped tokens, built from realm users, clients and their protocol mappers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from services.dev_idp.realm import Client, User

ATTRIBUTE_MAPPER = "oidc-usermodel-attribute-mapper"
AUDIENCE_MAPPER = "oidc-audience-mapper"


def timestamp(moment: datetime) -> int:
    return int(moment.timestamp())


def granted_scope(requested: str | None) -> str:
    """The scope Keycloak grants by default: email and profile, plus openid when asked for."""
    base = "email profile"
    return f"openid {base}" if "openid" in (requested or "").split() else base


def bearer_claims(
    *,
    issuer: str,
    sub: str,
    azp: str,
    audience: str | Sequence[str],
    roles: Iterable[str],
    issued_at: datetime,
    expires_at: datetime,
    scope: str,
    session_id: str | None = None,
    auth_time: datetime | None = None,
    profile: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An access token's claims, in Keycloak's order and shape."""
    audiences = [audience] if isinstance(audience, str) else list(audience)
    claims: dict[str, Any] = {"exp": timestamp(expires_at), "iat": timestamp(issued_at)}
    if auth_time is not None:
        claims["auth_time"] = timestamp(auth_time)
    claims |= {"jti": str(uuid.uuid4()), "iss": issuer}
    if audiences:
        claims["aud"] = audiences[0] if len(audiences) == 1 else audiences
    claims |= {"sub": sub, "typ": "Bearer", "azp": azp}
    if session_id is not None:
        claims |= {"session_state": session_id, "sid": session_id}
    claims |= {"acr": "1", "realm_access": {"roles": list(roles)}, "scope": scope}
    claims.update(profile or {})
    return claims


def profile_claims(user: User) -> dict[str, Any]:
    """The email and profile scope claims Keycloak adds for a user."""
    claims: dict[str, Any] = {"email_verified": user.email_verified}
    optional = {
        "name": user.name,
        "preferred_username": user.username,
        "given_name": user.first_name,
        "family_name": user.last_name,
        "email": user.email,
    }
    claims.update({key: value for key, value in optional.items() if value})
    return claims


def mapped_claims(user: User, client: Client, target: str) -> dict[str, Any]:
    """User-attribute mapper claims for target: access.token, id.token or userinfo.token."""
    claims: dict[str, Any] = {}
    for mapper in client.mappers:
        config = mapper.get("config", {})
        if mapper.get("protocolMapper") != ATTRIBUTE_MAPPER:
            continue
        if config.get(f"{target}.claim") != "true":
            continue
        value = user.attribute(config.get("user.attribute", ""))
        if value is not None and config.get("claim.name"):
            claims[config["claim.name"]] = value
    return claims


def audiences(client: Client) -> list[str]:
    """Access-token audiences: audience mappers, then the account client (default roles)."""
    found: list[str] = []
    for mapper in client.mappers:
        config = mapper.get("config", {})
        if mapper.get("protocolMapper") != AUDIENCE_MAPPER:
            continue
        if config.get("access.token.claim", "true") != "true":
            continue
        name = config.get("included.custom.audience") or config.get("included.client.audience")
        if name and name not in found:
            found.append(name)
    return [*found, "account"]
