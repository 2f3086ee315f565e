"""What a person sees at the login page and at browser logout."""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from tests.integration.dev_idp.helpers import (
    UI_REDIRECT,
    new_verifier,
    redirect_params,
    sign_in,
    ui_client,
    ui_login,
)
from tests.support.tokens import RunningIdp


def _auth_url(idp: RunningIdp, **params: str) -> str:
    query = {"client_id": "nlc-ui", "redirect_uri": UI_REDIRECT, "response_type": "code"}
    return f"{idp.issuer}/protocol/openid-connect/auth?{urlencode(query | params)}"


def test_wrong_password_shows_the_form_again_with_an_error(idp: RunningIdp) -> None:
    page = sign_in(_auth_url(idp, state="s"), "city", "not-the-password")
    assert page.status_code == 200
    assert "Invalid username or password." in page.text
    assert 'id="kc-form-login"' in page.text


def test_unknown_client_or_redirect_is_refused_without_redirecting(idp: RunningIdp) -> None:
    unknown = requests.get(_auth_url(idp, client_id="nobody"), allow_redirects=False, timeout=10)
    assert (unknown.status_code, "Client not found." in unknown.text) == (400, True)
    evil = requests.get(
        _auth_url(idp, redirect_uri="http://evil.example/cb"), allow_redirects=False, timeout=10
    )
    assert (evil.status_code, "Invalid parameter: redirect_uri" in evil.text) == (400, True)


def test_bad_request_parameters_are_sent_back_to_the_client(idp: RunningIdp) -> None:
    wrong_type = requests.get(
        _auth_url(idp, response_type="token", state="s-2"), allow_redirects=False, timeout=10
    )
    back = redirect_params(wrong_type)
    assert (back["error"], back["state"]) == ("unsupported_response_type", "s-2")
    bad_method = requests.get(
        _auth_url(idp, code_challenge=new_verifier()[1], code_challenge_method="S512"),
        allow_redirects=False,
        timeout=10,
    )
    assert redirect_params(bad_method)["error"] == "invalid_request"


def test_browser_logout_returns_to_the_ui_and_ends_the_session(idp: RunningIdp) -> None:
    verifier, challenge = new_verifier()
    code = ui_login(idp, "sharer", challenge=challenge)["code"]
    client = ui_client(idp)
    tokens = client.token(
        grant_type="authorization_code", code=code, redirect_uri=UI_REDIRECT, code_verifier=verifier
    )
    logout_url = f"{idp.issuer}/protocol/openid-connect/logout"
    params = {
        "id_token_hint": tokens["id_token"],
        "post_logout_redirect_uri": "http://localhost:8501/",
        "state": "bye",
    }
    refused = requests.get(
        logout_url,
        params=params | {"post_logout_redirect_uri": "http://evil.example/"},
        allow_redirects=False,
        timeout=10,
    )
    assert refused.status_code == 400
    done = requests.get(logout_url, params=params, allow_redirects=False, timeout=10)
    assert done.status_code == 302
    assert done.headers["Location"] == "http://localhost:8501/?state=bye"
    info = requests.get(
        f"{idp.issuer}/protocol/openid-connect/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 401
    assert info.json()["error"] == "invalid_token"
