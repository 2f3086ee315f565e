"""The authorization endpoint: a login form, then a redirect back with a one-time code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from aiohttp import web

from services.dev_idp import pkce
from services.dev_idp.claims import granted_scope
from services.dev_idp.pages import login_page, message_page
from services.dev_idp.realm import Client
from services.dev_idp.sessions import AuthCode
from services.dev_idp.state import Idp, idp_of

AUTH_PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)
STANDARD_FLOW_DISABLED = (
    "Client is not allowed to initiate browser login with given response_type. "
    "Standard flow is disabled for the client."
)


@dataclass(frozen=True)
class AuthRequest:
    """A validated authorization request."""

    client: Client
    redirect_uri: str
    state: str | None
    params: dict[str, str]


def with_query(uri: str, params: Mapping[str, str | None]) -> str:
    """uri with params appended to its query string."""
    parts = urlsplit(uri)
    extra = urlencode({key: value for key, value in params.items() if value is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit(parts._replace(query=query))


def _redirect_uri(client: Client, given: str | None) -> str | None:
    if given is None:
        exact = [uri for uri in client.redirect_uris if not uri.endswith("*")]
        return exact[0] if len(client.redirect_uris) == 1 and exact else None
    return given if client.allows_redirect(given) else None


def _parse(idp: Idp, source: Mapping[str, str]) -> AuthRequest:
    """Validate the request the way Keycloak does, raising its error page or redirect."""
    params = {name: source[name] for name in AUTH_PARAMS if source.get(name)}
    client = idp.realm.clients.get(params.get("client_id", ""))
    if client is None or not client.enabled:
        raise _page("Client not found.")
    redirect_uri = _redirect_uri(client, params.get("redirect_uri"))
    if redirect_uri is None:
        raise _page("Invalid parameter: redirect_uri")
    request = AuthRequest(client, redirect_uri, params.get("state"), params)

    def refuse(error: str, description: str) -> web.HTTPFound:
        query = {"error": error, "error_description": description, "state": request.state}
        return web.HTTPFound(with_query(redirect_uri, query | {"iss": idp.issuer}))

    response_type = params.get("response_type")
    if response_type is None:
        raise refuse("invalid_request", "Missing parameter: response_type")
    if response_type != "code":
        raise refuse("unsupported_response_type", "Unsupported response_type")
    if not client.standard_flow:
        raise refuse("unauthorized_client", STANDARD_FLOW_DISABLED)
    method = params.get("code_challenge_method")
    if method is not None and method not in pkce.METHODS:
        raise refuse("invalid_request", "Invalid parameter: code_challenge_method")
    challenge = params.get("code_challenge")
    if challenge is not None and not pkce.well_formed(challenge):
        raise refuse("invalid_request", "Invalid parameter: code_challenge")
    return request


def _page(message: str) -> web.HTTPBadRequest:
    page = message_page("We are sorry...", message, status=400)
    return web.HTTPBadRequest(text=page.text, content_type="text/html")


async def show_form(request: web.Request) -> web.Response:
    """GET: the login form for a valid authorization request."""
    idp = idp_of(request)
    auth = _parse(idp, request.query)
    return login_page(realm=idp.realm.name, action=request.path, hidden=auth.params)


async def sign_in(request: web.Request) -> web.Response:
    """POST: check the credentials; on success redirect with code, state and session_state."""
    idp = idp_of(request)
    form = await request.post()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    auth = _parse(idp, fields)
    username = fields.get("username", "")
    user = idp.realm.find_login(username)
    error = ""
    if user is None or not user.check_password(fields.get("password", "")):
        error = "Invalid username or password."
    elif not user.enabled:
        error = "Account is disabled, contact your administrator."
    if error or user is None:
        return login_page(
            realm=idp.realm.name,
            action=request.path,
            hidden=auth.params,
            username=username,
            error=error,
        )
    session = idp.sessions.start(user, auth.client.client_id)
    code = idp.sessions.issue_code(
        AuthCode(
            session_id=session.id,
            client_id=auth.client.client_id,
            redirect_uri=auth.params.get("redirect_uri", auth.redirect_uri),
            scope=granted_scope(auth.params.get("scope")),
            nonce=auth.params.get("nonce"),
            challenge=auth.params.get("code_challenge"),
            challenge_method=_challenge_method(auth.params),
            expires_at=idp.now() + timedelta(seconds=idp.realm.access_code_lifespan),
        )
    )
    query = {"state": auth.state, "session_state": session.id, "iss": idp.issuer, "code": code}
    raise web.HTTPFound(with_query(auth.redirect_uri, query))


def _challenge_method(params: Mapping[str, str]) -> str | None:
    if "code_challenge" not in params:
        return None
    return params.get("code_challenge_method", "plain")
