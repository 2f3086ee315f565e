"""Codes, refresh tokens and sessions expire on the IdP's clock, as the realm's lifespans say."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from keycloak.exceptions import KeycloakPostError

from services.common.clock import FixedClock
from tests.integration.dev_idp.helpers import (
    UI_REDIRECT,
    error_of,
    keycloak,
    new_verifier,
    ui_client,
    ui_login,
)
from tests.support.tokens import IdpThread, RunningIdp


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC))


@pytest.fixture
def timed_idp(tmp_path: Path, clock: FixedClock) -> Iterator[RunningIdp]:
    with IdpThread(tmp_path, clock=clock) as running:
        yield running


def _invalid_grant(call, *args, **kwargs) -> str:
    with pytest.raises(KeycloakPostError) as refused:
        call(*args, **kwargs)
    body = error_of(refused.value)
    assert (refused.value.response_code, body["error"]) == (400, "invalid_grant")
    return body["error_description"]


def test_code_expires_after_the_realms_code_lifespan(
    timed_idp: RunningIdp, clock: FixedClock
) -> None:
    code = ui_login(timed_idp, "city", challenge=None)["code"]
    clock.advance(timedelta(seconds=61))
    exchange = ui_client(timed_idp).token
    kwargs = {"grant_type": "authorization_code", "code": code, "redirect_uri": UI_REDIRECT}
    assert _invalid_grant(exchange, **kwargs) == "Code not valid"


def test_refresh_token_expires_with_an_idle_session(
    timed_idp: RunningIdp, clock: FixedClock
) -> None:
    client = keycloak(timed_idp)
    tokens = client.token("reviewer", "demo")
    assert tokens["refresh_expires_in"] == 1800
    clock.advance(timedelta(seconds=1700))
    renewed = client.refresh_token(tokens["refresh_token"])
    clock.advance(timedelta(seconds=1801))
    assert _invalid_grant(client.refresh_token, renewed["refresh_token"]) == "Token is not active"


def test_userinfo_refuses_an_expired_access_token(timed_idp: RunningIdp, clock: FixedClock) -> None:
    access = keycloak(timed_idp).token("auditor", "demo")["access_token"]
    clock.advance(timedelta(seconds=301))
    answer = requests.get(
        f"{timed_idp.issuer}/protocol/openid-connect/userinfo",
        headers={"Authorization": f"Bearer {access}"},
        timeout=10,
    )
    assert answer.status_code == 401
    assert answer.json() == {
        "error": "invalid_token",
        "error_description": "Token verification failed",
    }
    assert 'error="invalid_token"' in answer.headers["WWW-Authenticate"]


def _userinfo_status(idp: RunningIdp, access_token: str) -> int:
    answer = requests.get(
        f"{idp.issuer}/protocol/openid-connect/userinfo",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )
    return answer.status_code


def test_ui_access_tokens_last_the_clients_own_lifespan(
    timed_idp: RunningIdp, clock: FixedClock
) -> None:
    verifier, challenge = new_verifier()
    code = ui_login(timed_idp, "reviewer", challenge=challenge)["code"]
    ui = ui_client(timed_idp)
    tokens = ui.token(
        grant_type="authorization_code", code=code, redirect_uri=UI_REDIRECT, code_verifier=verifier
    )
    claims = ui.decode_token(tokens["access_token"])
    assert tokens["expires_in"] == claims["exp"] - claims["iat"] == 1800
    assert ui.refresh_token(tokens["refresh_token"])["expires_in"] == 1800
    cli_access = keycloak(timed_idp).token("reviewer", "demo")
    assert cli_access["expires_in"] == 300
    clock.advance(timedelta(seconds=1700))
    assert _userinfo_status(timed_idp, tokens["access_token"]) == 200
    assert _userinfo_status(timed_idp, cli_access["access_token"]) == 401
