"""Discovery, the realm page, JWKS, the token endpoint and userinfo."""

from __future__ import annotations

from typing import Any

import jwt
from aiohttp import web

from services.dev_idp.claims import mapped_claims, profile_claims
from services.dev_idp.errors import NO_STORE, OAuthError
from services.dev_idp.grants import GRANTS, exchange
from services.dev_idp.state import Idp, idp_of

CLAIMS_SUPPORTED = (
    "aud sub iss auth_time name given_name family_name preferred_username email email_verified "
    "acr org_id"
).split()


def discovery_document(idp: Idp) -> dict[str, Any]:
    """The OpenID Provider metadata, with Keycloak's endpoint paths."""
    base = idp.endpoints
    return {
        "issuer": idp.issuer,
        "authorization_endpoint": f"{base}/auth",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "end_session_endpoint": f"{base}/logout",
        "jwks_uri": f"{base}/certs",
        "grant_types_supported": list(GRANTS),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": CLAIMS_SUPPORTED,
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "authorization_response_iss_parameter_supported": True,
        "frontchannel_logout_supported": False,
        "backchannel_logout_supported": False,
    }


async def discovery(request: web.Request) -> web.Response:
    return web.json_response(discovery_document(idp_of(request)))


async def realm_info(request: web.Request) -> web.Response:
    """The realm page python-keycloak reads the public key from."""
    idp = idp_of(request)
    return web.json_response(
        {
            "realm": idp.realm.name,
            "public_key": idp.key.public_key_base64(),
            "token-service": idp.endpoints,
            "account-service": f"{idp.issuer}/account",
            "tokens-not-before": 0,
        }
    )


async def certs(request: web.Request) -> web.Response:
    return web.json_response({"keys": [idp_of(request).key.jwk()]})


async def token(request: web.Request) -> web.Response:
    idp = idp_of(request)
    form = await request.post()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        body = exchange(idp, fields, request.headers.get("Authorization"))
    except OAuthError as error:
        return error.response()
    return web.json_response(body, headers=NO_STORE)


def _bearer(request: web.Request, form: dict[str, str]) -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return form.get("access_token")


def _unauthorized(idp: Idp, error: str, description: str) -> web.Response:
    challenge = f'Bearer realm="{idp.realm.name}", error="{error}"'
    challenge += f', error_description="{description}"'
    response = OAuthError(error, description, status=401).response()
    response.headers["WWW-Authenticate"] = challenge
    return response


async def userinfo(request: web.Request) -> web.Response:
    """Claims about the user an access token (from a live session) was issued to."""
    idp = idp_of(request)
    form = await request.post() if request.method == "POST" else {}
    encoded = _bearer(request, {k: v for k, v in form.items() if isinstance(v, str)})
    if not encoded:
        return _unauthorized(idp, "invalid_request", "Token not provided")
    try:
        claims = idp.minter.read(encoded, typ="Bearer")
    except jwt.InvalidTokenError:
        return _unauthorized(idp, "invalid_token", "Token verification failed")
    if claims.get("exp", 0) <= idp.now().timestamp():
        return _unauthorized(idp, "invalid_token", "Token verification failed")
    client = idp.realm.clients.get(claims.get("azp", ""))
    user = idp.realm.find_id(claims.get("sub", "")) or (
        idp.realm.service_account(client.client_id) if client else None
    )
    session_ok = "sid" not in claims or idp.sessions.active(claims["sid"]) is not None
    if client is None or user is None or user.id != claims.get("sub") or not session_ok:
        description = "User session not found or doesn't have client attached on it"
        return _unauthorized(idp, "invalid_token", description)
    body = {"sub": user.id} | profile_claims(user) | mapped_claims(user, client, "userinfo.token")
    return web.json_response(body, headers=NO_STORE)
