"""Token responses: access, ID and refresh tokens for a user at a client, like Keycloak's."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import timedelta
from typing import Any

from services.dev_idp.claims import (
    audiences,
    bearer_claims,
    mapped_claims,
    profile_claims,
    timestamp,
)
from services.dev_idp.realm import Client, User
from services.dev_idp.sessions import UserSession
from services.dev_idp.state import Idp


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def token_response(
    idp: Idp,
    *,
    user: User,
    client: Client,
    scope: str,
    session: UserSession | None,
    nonce: str | None = None,
) -> dict[str, Any]:
    """The token endpoint's answer; without a session (service account) no refresh token."""
    now = idp.now()
    lifespan = idp.realm.access_token_lifespan_of(client)
    session_id = session.id if session else None
    auth_time = session.started if session else None
    access = bearer_claims(
        issuer=idp.issuer,
        sub=user.id,
        azp=client.client_id,
        audience=audiences(client),
        roles=user.roles,
        issued_at=now,
        expires_at=now + timedelta(seconds=lifespan),
        scope=scope,
        session_id=session_id,
        auth_time=auth_time,
        profile=profile_claims(user) | mapped_claims(user, client, "access.token"),
    )
    access_token = idp.minter.sign(access)
    body: dict[str, Any] = {"access_token": access_token, "expires_in": lifespan}
    if session is None:
        body["refresh_expires_in"] = 0
    else:
        refresh_exp = idp.sessions.expires_at(session)
        body["refresh_expires_in"] = max(0, timestamp(refresh_exp) - timestamp(now))
        body["refresh_token"] = idp.minter.sign(
            _refresh_claims(idp, access, refresh_exp=timestamp(refresh_exp))
        )
    body["token_type"] = "Bearer"
    if "openid" in scope.split():
        id_claims = _id_claims(access, client, nonce, access_token)
        body["id_token"] = idp.minter.sign(id_claims | mapped_claims(user, client, "id.token"))
    body["not-before-policy"] = 0
    if session_id is not None:
        body["session_state"] = session_id
    body["scope"] = scope
    return body


def _refresh_claims(idp: Idp, access: dict[str, Any], *, refresh_exp: int) -> dict[str, Any]:
    claims = {key: access[key] for key in ("iat", "iss") if key in access}
    claims |= {"jti": str(uuid.uuid4()), "aud": idp.issuer}
    claims |= {key: access[key] for key in ("sub", "azp", "session_state", "sid") if key in access}
    return {"exp": refresh_exp, **claims, "typ": "Refresh", "scope": access["scope"]}


def _id_claims(
    access: dict[str, Any], client: Client, nonce: str | None, access_token: str
) -> dict[str, Any]:
    skip = {"aud", "typ", "realm_access", "scope", "allowed-origins", "org_id"}
    claims = {key: value for key, value in access.items() if key not in skip}
    claims["jti"] = str(uuid.uuid4())
    claims |= {"aud": client.client_id, "typ": "ID", "at_hash": _at_hash(access_token)}
    if nonce:
        claims["nonce"] = nonce
    return claims
