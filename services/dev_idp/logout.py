"""The end-session endpoint: token logout (POST with refresh_token) and browser logout."""

from __future__ import annotations

from collections.abc import Mapping

import jwt
from aiohttp import web

from services.dev_idp.client_auth import authenticate_client
from services.dev_idp.errors import NO_STORE, OAuthError, invalid_grant
from services.dev_idp.login import with_query
from services.dev_idp.pages import message_page
from services.dev_idp.state import Idp, idp_of

SORRY = "We are sorry..."


def _end_by_refresh_token(idp: Idp, form: Mapping[str, str], authorization: str | None) -> None:
    client = authenticate_client(idp.realm, form, authorization)
    encoded = form.get("refresh_token")
    if not encoded:
        raise OAuthError("invalid_request", "No refresh token")
    try:
        claims = idp.minter.read(encoded, typ="Refresh")
    except jwt.InvalidTokenError as exc:
        raise invalid_grant("Invalid refresh token") from exc
    if claims.get("azp") != client.client_id:
        raise invalid_grant("Invalid refresh token")
    idp.sessions.end(claims.get("sid", ""))


def _browser_logout(idp: Idp, params: Mapping[str, str]) -> web.Response:
    """RP-initiated logout: end the id_token_hint's session, then go back to the client."""
    client_id = params.get("client_id")
    session_id = None
    if hint := params.get("id_token_hint"):
        try:
            claims = idp.minter.read(hint, typ="ID")
        except jwt.InvalidTokenError:
            return message_page(SORRY, "Invalid IDToken", status=400)
        client_id = client_id or claims.get("azp")
        session_id = claims.get("sid")
    redirect = params.get("post_logout_redirect_uri")
    if redirect:
        client = idp.realm.clients.get(client_id or "")
        if client is None:
            return message_page(SORRY, "Missing parameters: id_token_hint", status=400)
        if not client.allows_post_logout_redirect(redirect):
            return message_page(SORRY, "Invalid redirect uri", status=400)
    if session_id:
        idp.sessions.end(session_id)
    if redirect:
        raise web.HTTPFound(with_query(redirect, {"state": params.get("state")}))
    return message_page("You are logged out", "You are logged out.")


async def logout(request: web.Request) -> web.Response:
    idp = idp_of(request)
    if request.method == "GET":
        return _browser_logout(idp, request.query)
    form = await request.post()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if "refresh_token" not in fields:
        return _browser_logout(idp, fields)
    try:
        _end_by_refresh_token(idp, fields, request.headers.get("Authorization"))
    except OAuthError as error:
        return error.response()
    return web.Response(status=204, headers=NO_STORE)
