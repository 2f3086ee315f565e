"""python-keycloak 5 works against the dev IdP as against Keycloak: discovery, grants, logout."""

from __future__ import annotations

import pytest
from keycloak.exceptions import KeycloakAuthenticationError, KeycloakPostError

from tests.integration.dev_idp.helpers import error_of, keycloak
from tests.support.tokens import RunningIdp

SERVICE_ACCOUNT_ID = "5e9d2f10-0000-4000-8000-000000000199"


def test_discovery_and_certs_point_at_keycloak_paths(idp: RunningIdp) -> None:
    client = keycloak(idp)
    known = client.well_known()
    assert known["issuer"] == idp.issuer
    assert known["token_endpoint"] == f"{idp.issuer}/protocol/openid-connect/token"
    assert known["jwks_uri"] == f"{idp.issuer}/protocol/openid-connect/certs"
    assert "S256" in known["code_challenge_methods_supported"]
    assert known["id_token_signing_alg_values_supported"] == ["RS256"]
    [jwk] = client.certs()["keys"]
    assert (jwk["kty"], jwk["alg"], jwk["use"]) == ("RSA", "RS256", "sig")
    assert jwk["kid"] == idp.state.key.kid


def test_password_grant_gives_a_keycloak_shaped_token(idp: RunningIdp) -> None:
    client = keycloak(idp)
    tokens = client.token("cso", "demo")
    assert tokens["token_type"] == "Bearer"
    assert {"access_token", "refresh_token", "id_token", "session_state"} <= tokens.keys()
    assert tokens["expires_in"] == 300 and tokens["not-before-policy"] == 0
    claims = client.decode_token(tokens["access_token"])
    assert claims["iss"] == idp.issuer and claims["azp"] == "nlc-cli"
    assert claims["aud"] == ["nlc-api", "account"] and claims["typ"] == "Bearer"
    assert claims["realm_access"]["roles"] == ["cso-member"]
    assert claims["preferred_username"] == "cso" and claims["name"] == "Sam Okafor"
    assert claims["org_id"] == "0b1c7a52-0000-4000-8000-000000000003"
    assert claims["sid"] == tokens["session_state"]
    assert client.decode_token(tokens["id_token"])["aud"] == "nlc-cli"


def test_refresh_rotates_and_userinfo_describes_the_user(idp: RunningIdp) -> None:
    client = keycloak(idp)
    first = client.token("admin", "demo")
    second = client.refresh_token(first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert second["session_state"] == first["session_state"]
    roles = client.decode_token(second["access_token"])["realm_access"]["roles"]
    assert set(roles) == {"platform-admin", "national-admin"}
    info = client.userinfo(second["access_token"])
    assert info["preferred_username"] == "admin"
    assert info["org_id"] == "0b1c7a52-0000-4000-8000-000000000001"
    with pytest.raises(KeycloakPostError) as reused:
        client.refresh_token(first["refresh_token"])
    assert error_of(reused.value) == {
        "error": "invalid_grant",
        "error_description": "Maximum allowed refresh token reuse exceeded",
    }


def test_logout_ends_the_session(idp: RunningIdp) -> None:
    client = keycloak(idp)
    tokens = client.token("funder", "demo")
    assert client.logout(tokens["refresh_token"]) == {}
    with pytest.raises(KeycloakPostError) as refused:
        client.refresh_token(tokens["refresh_token"])
    assert refused.value.response_code == 400
    assert error_of(refused.value) == {
        "error": "invalid_grant",
        "error_description": "Session not active",
    }
    with pytest.raises(KeycloakAuthenticationError):
        client.userinfo(tokens["access_token"])


def test_service_account_token_for_nlc_services(idp: RunningIdp) -> None:
    client = keycloak(idp, "nlc-services", idp.client_secret("nlc-services"))
    tokens = client.token(grant_type="client_credentials")
    assert "refresh_token" not in tokens and tokens["refresh_expires_in"] == 0
    claims = client.decode_token(tokens["access_token"])
    assert claims["sub"] == SERVICE_ACCOUNT_ID
    assert claims["preferred_username"] == "service-account-nlc-services"
    assert claims["realm_access"]["roles"] == []
    assert "nlc-api" in claims["aud"] and claims["azp"] == "nlc-services"


async def test_fixture_gets_real_tokens_and_mints_forged_ones(idp: RunningIdp) -> None:
    token = await idp.token_for("dpo")
    claims = idp.minter.read(token, typ="Bearer")
    assert claims["realm_access"]["roles"] == ["data-protection-officer"]
    forged = idp.minter.access_token(roles=["auditor"], org_id="org-x", audience="nlc-api")
    decoded = keycloak(idp).decode_token(forged)
    assert (decoded["aud"], decoded["org_id"]) == ("nlc-api", "org-x")
