"""The token endpoint: authorization_code, password, client_credentials and refresh_token grants."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jwt

from services.dev_idp import pkce
from services.dev_idp.claims import granted_scope
from services.dev_idp.client_auth import authenticate_client
from services.dev_idp.errors import OAuthError, invalid_grant, unauthorized_client
from services.dev_idp.issue import token_response
from services.dev_idp.realm import Client
from services.dev_idp.sessions import AuthCode
from services.dev_idp.state import Idp

Form = Mapping[str, str]


def exchange(idp: Idp, form: Form, authorization: str | None) -> dict[str, Any]:
    """Answer one token request or raise OAuthError with Keycloak's error."""
    grant_type = form.get("grant_type")
    if not grant_type:
        raise OAuthError("invalid_request", "Missing form parameter: grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise OAuthError("unsupported_grant_type", "Unsupported grant_type")
    client = authenticate_client(idp.realm, form, authorization)
    return grant(idp, client, form)


def _authorization_code(idp: Idp, client: Client, form: Form) -> dict[str, Any]:
    if not client.standard_flow:
        raise unauthorized_client("Client not allowed to exchange code")
    value = form.get("code")
    if not value:
        raise OAuthError("invalid_request", "Missing parameter: code")
    code = idp.sessions.redeem_code(value)
    session = idp.sessions.active(code.session_id) if code else None
    if code is None or session is None:
        raise invalid_grant("Code not valid")
    if code.client_id != client.client_id:
        raise invalid_grant("Auth error")
    if form.get("redirect_uri") != code.redirect_uri:
        raise invalid_grant("Incorrect redirect_uri")
    _check_pkce(code, form.get("code_verifier"))
    idp.sessions.touch(session)
    return token_response(
        idp, user=session.user, client=client, scope=code.scope, session=session, nonce=code.nonce
    )


def _check_pkce(code: AuthCode, verifier: str | None) -> None:
    if code.challenge is None:
        return
    if not verifier:
        raise invalid_grant("PKCE code verifier not specified")
    if not pkce.well_formed(verifier):
        raise invalid_grant("PKCE verification failed: Invalid code verifier")
    if not pkce.verifies(verifier, code.challenge, code.challenge_method or "plain"):
        raise invalid_grant("PKCE verification failed: Code mismatch")


def _password(idp: Idp, client: Client, form: Form) -> dict[str, Any]:
    if not client.direct_grants:
        raise unauthorized_client("Client not allowed for direct access grants")
    user = idp.realm.find_login(form.get("username", ""))
    if user is None or not user.check_password(form.get("password", "")):
        raise OAuthError("invalid_grant", "Invalid user credentials", status=401)
    if not user.enabled:
        raise invalid_grant("Account disabled")
    session = idp.sessions.start(user, client.client_id)
    scope = granted_scope(form.get("scope"))
    return token_response(idp, user=user, client=client, scope=scope, session=session)


def _client_credentials(idp: Idp, client: Client, form: Form) -> dict[str, Any]:
    if client.public:
        raise unauthorized_client("Public client not allowed to retrieve service account")
    if not client.service_accounts:
        raise unauthorized_client("Client not enabled to retrieve service account")
    user = idp.realm.service_account(client.client_id)
    scope = granted_scope(form.get("scope"))
    return token_response(idp, user=user, client=client, scope=scope, session=None)


def _refresh_token(idp: Idp, client: Client, form: Form) -> dict[str, Any]:
    encoded = form.get("refresh_token")
    if not encoded:
        raise OAuthError("invalid_request", "Missing parameter: refresh_token")
    try:
        claims = idp.minter.read(encoded, typ="Refresh")
    except jwt.InvalidTokenError as exc:
        raise invalid_grant("Invalid refresh token") from exc
    if claims.get("exp", 0) <= idp.now().timestamp():
        raise invalid_grant("Token is not active")
    if claims.get("azp") != client.client_id:
        raise invalid_grant("Invalid refresh token. Token client and authorized client don't match")
    session = idp.sessions.active(claims.get("sid"))
    if session is None or session.user.id != claims.get("sub"):
        raise invalid_grant("Session not active")
    if idp.realm.revoke_refresh_token:
        uses = session.spent_refresh.get(claims["jti"], 0)
        if uses > idp.realm.refresh_token_max_reuse:
            raise invalid_grant("Maximum allowed refresh token reuse exceeded")
        session.spent_refresh[claims["jti"]] = uses + 1
    idp.sessions.touch(session)
    scope = claims.get("scope", granted_scope(None))
    return token_response(idp, user=session.user, client=client, scope=scope, session=session)


GRANTS: dict[str, Callable[[Idp, Client, Form], dict[str, Any]]] = {
    "authorization_code": _authorization_code,
    "password": _password,
    "client_credentials": _client_credentials,
    "refresh_token": _refresh_token,
}
