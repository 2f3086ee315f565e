"""Test helpers: python-keycloak clients of a running dev IdP and a browser-like sign-in."""

from __future__ import annotations

import json
import secrets
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from keycloak import KeycloakOpenID
from keycloak.exceptions import KeycloakError

from services.dev_idp.pkce import s256
from tests.support.tokens import RunningIdp

UI_REDIRECT = "http://localhost:8501/oauth2callback"


def keycloak(
    idp: RunningIdp, client_id: str = "nlc-cli", secret: str | None = None
) -> KeycloakOpenID:
    """python-keycloak's client for the realm, exactly as against a real Keycloak."""
    base = f"{idp.base_url}/"
    return KeycloakOpenID(base, realm_name="nlc", client_id=client_id, client_secret_key=secret)


def ui_client(idp: RunningIdp) -> KeycloakOpenID:
    return keycloak(idp, "nlc-ui", idp.client_secret("nlc-ui"))


def error_of(error: KeycloakError) -> dict[str, Any]:
    """The JSON error body the IdP answered with."""
    assert error.response_body is not None
    return json.loads(error.response_body)


def new_verifier() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    return verifier, s256(verifier)


class _LoginForm(HTMLParser):
    """The login form's action and fields, as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("id") == "kc-form-login":
            self.action = found.get("action", "")
        elif tag == "input" and found.get("name"):
            self.fields[found["name"]] = found.get("value", "")


def sign_in(auth_url: str, username: str, password: str = "demo") -> requests.Response:
    """Open the login page, fill in the form and submit it; the redirect is not followed."""
    with requests.Session() as http:
        page = http.get(auth_url, timeout=10)
        assert page.status_code == 200, page.text
        form = _LoginForm()
        form.feed(page.text)
        assert form.action, "no login form on the page"
        data = form.fields | {"username": username, "password": password}
        return http.post(urljoin(page.url, form.action), data=data, allow_redirects=False)


def redirect_params(response: requests.Response) -> dict[str, str]:
    """The query parameters of a redirect response's Location."""
    assert response.status_code == 302, response.text
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


def ui_login(
    idp: RunningIdp, username: str, *, challenge: str | None, state: str = "s-1", nonce: str = "n-1"
) -> dict[str, str]:
    """Sign in to nlc-ui through the login page; the parameters it was redirected back with."""
    url = ui_client(idp).auth_url(
        redirect_uri=UI_REDIRECT,
        scope="openid email profile",
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        code_challenge_method="S256" if challenge else None,
    )
    return redirect_params(sign_in(url, username))
