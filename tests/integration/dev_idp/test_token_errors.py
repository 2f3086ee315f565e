"""The token endpoint refuses bad requests with exactly Keycloak's status and error body."""

from __future__ import annotations

import pytest
import requests
from keycloak.exceptions import KeycloakAuthenticationError, KeycloakError, KeycloakPostError

from tests.integration.dev_idp.helpers import error_of, keycloak
from tests.support.tokens import RunningIdp


def _refused(call, *args, **kwargs) -> tuple[int, dict]:
    with pytest.raises(KeycloakError) as refused:
        call(*args, **kwargs)
    return refused.value.response_code, error_of(refused.value)


def test_bad_user_credentials(idp: RunningIdp) -> None:
    expected = {"error": "invalid_grant", "error_description": "Invalid user credentials"}
    with pytest.raises(KeycloakAuthenticationError) as wrong:
        keycloak(idp).token("cso", "wrong")
    assert (wrong.value.response_code, error_of(wrong.value)) == (401, expected)
    assert _refused(keycloak(idp).token, "nobody", "demo") == (401, expected)


def test_wrong_or_missing_client_secret(idp: RunningIdp) -> None:
    wrong = keycloak(idp, "nlc-services", "not-the-secret")
    assert _refused(wrong.token, grant_type="client_credentials") == (
        401,
        {
            "error": "unauthorized_client",
            "error_description": "Invalid client or Invalid client credentials",
        },
    )
    missing = keycloak(idp, "nlc-services")
    status, body = _refused(missing.token, grant_type="client_credentials")
    assert (status, body["error"]) == (401, "unauthorized_client")


def test_unknown_client(idp: RunningIdp) -> None:
    status, body = _refused(keycloak(idp, "nobody").token, "cso", "demo")
    assert (status, body["error"]) == (401, "invalid_client")


def test_unsupported_grant_type(idp: RunningIdp) -> None:
    status, body = _refused(keycloak(idp).token, grant_type="urn:example:magic")
    assert (status, body) == (
        400,
        {"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"},
    )


def test_direct_grant_needs_a_client_allowing_it(idp: RunningIdp) -> None:
    ui = keycloak(idp, "nlc-ui", idp.client_secret("nlc-ui"))
    assert _refused(ui.token, "cso", "demo") == (
        400,
        {
            "error": "unauthorized_client",
            "error_description": "Client not allowed for direct access grants",
        },
    )


def test_public_client_has_no_service_account(idp: RunningIdp) -> None:
    assert _refused(keycloak(idp).token, grant_type="client_credentials") == (
        400,
        {
            "error": "unauthorized_client",
            "error_description": "Public client not allowed to retrieve service account",
        },
    )


def test_refresh_token_must_be_genuine_and_for_the_same_client(idp: RunningIdp) -> None:
    tokens = keycloak(idp).token("panel", "demo")
    forged = tokens["refresh_token"][:-4] + "AAAA"
    assert _refused(keycloak(idp).refresh_token, forged) == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid refresh token"},
    )
    services = keycloak(idp, "nlc-services", idp.client_secret("nlc-services"))
    status, body = _refused(services.refresh_token, tokens["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")


def test_missing_grant_type(idp: RunningIdp) -> None:
    answer = requests.post(idp.token_endpoint, data={"client_id": "nlc-cli"}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert answer.headers["Cache-Control"] == "no-store"


def test_logout_with_a_forged_refresh_token_is_refused(idp: RunningIdp) -> None:
    with pytest.raises(KeycloakPostError) as refused:
        keycloak(idp).logout("not-a-token")
    assert error_of(refused.value) == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }
