"""The UI's browser sign-in: login page, redirect with a one-time code, PKCE, browser logout."""

from __future__ import annotations

import pytest
import requests
from keycloak.exceptions import KeycloakPostError

from tests.integration.dev_idp.helpers import (
    UI_REDIRECT,
    error_of,
    new_verifier,
    ui_client,
    ui_login,
)
from tests.support.tokens import RunningIdp


def _exchange(idp: RunningIdp, code: str, verifier: str | None, redirect: str = UI_REDIRECT):
    return ui_client(idp).token(
        grant_type="authorization_code", code=code, redirect_uri=redirect, code_verifier=verifier
    )


def _code_error(idp: RunningIdp, code: str, verifier: str | None, **kw: str) -> dict:
    with pytest.raises(KeycloakPostError) as refused:
        _exchange(idp, code, verifier, **kw)
    assert refused.value.response_code == 400
    return error_of(refused.value)


def test_ui_signs_in_with_pkce(idp: RunningIdp) -> None:
    verifier, challenge = new_verifier()
    back = ui_login(idp, "city", challenge=challenge, state="st-9", nonce="nonce-9")
    assert back["state"] == "st-9" and back["iss"] == idp.issuer
    tokens = _exchange(idp, back["code"], verifier)
    assert tokens["session_state"] == back["session_state"]
    client = ui_client(idp)
    access = client.decode_token(tokens["access_token"])
    assert access["azp"] == "nlc-ui" and "nlc-api" in access["aud"]
    assert access["realm_access"]["roles"] == ["city-officer"]
    assert access["org_id"] == "0b1c7a52-0000-4000-8000-000000000002"
    identity = client.decode_token(tokens["id_token"])
    assert (identity["aud"], identity["typ"], identity["nonce"]) == ("nlc-ui", "ID", "nonce-9")


def test_code_works_once_and_its_replay_ends_the_session(idp: RunningIdp) -> None:
    verifier, challenge = new_verifier()
    code = ui_login(idp, "manager", challenge=challenge)["code"]
    tokens = _exchange(idp, code, verifier)
    assert _code_error(idp, code, verifier) == {
        "error": "invalid_grant",
        "error_description": "Code not valid",
    }
    with pytest.raises(KeycloakPostError):
        ui_client(idp).refresh_token(tokens["refresh_token"])


@pytest.mark.parametrize(
    ("verifier", "description"),
    [
        ("x" * 64, "PKCE verification failed: Code mismatch"),
        ("bad!", "PKCE verification failed: Invalid code verifier"),
        (None, "PKCE code verifier not specified"),
    ],
)
def test_wrong_pkce_verifier_is_refused(
    idp: RunningIdp, verifier: str | None, description: str
) -> None:
    _, challenge = new_verifier()
    code = ui_login(idp, "city", challenge=challenge)["code"]
    error = _code_error(idp, code, verifier)
    assert error == {"error": "invalid_grant", "error_description": description}


def test_redirect_uri_must_match_the_one_signed_in_with(idp: RunningIdp) -> None:
    code = ui_login(idp, "city", challenge=None)["code"]
    error = _code_error(idp, code, None, redirect="http://localhost:8501/elsewhere")
    assert error == {"error": "invalid_grant", "error_description": "Incorrect redirect_uri"}


def test_wrong_client_secret_is_refused_in_the_form_and_in_basic_auth(idp: RunningIdp) -> None:
    expected = {
        "error": "unauthorized_client",
        "error_description": "Invalid client or Invalid client credentials",
    }
    code = ui_login(idp, "city", challenge=None)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": UI_REDIRECT}
    wrong_post = form | {"client_id": "nlc-ui", "client_secret": "wrong"}
    posted = requests.post(idp.token_endpoint, data=wrong_post, timeout=10)
    assert (posted.status_code, posted.json()) == (401, expected)
    basic = requests.post(idp.token_endpoint, data=form, auth=("nlc-ui", "wrong"), timeout=10)
    assert (basic.status_code, basic.json()) == (401, expected)
    secret = idp.client_secret("nlc-ui")
    accepted = requests.post(idp.token_endpoint, data=form, auth=("nlc-ui", secret), timeout=10)
    assert accepted.status_code == 200 and accepted.json()["id_token"]
