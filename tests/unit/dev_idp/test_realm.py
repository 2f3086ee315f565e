"""The realm file: roles, clients, demo users, and secrets resolved like Keycloak's import."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from services.common.auth import Role
from services.common.demo_ids import org_id
from services.dev_idp.app import default_realm_file
from services.dev_idp.realm import client_secret_file, load_realm

DEMO = {
    "admin": ({"platform-admin", "national-admin"}, 1),
    "reviewer": ({"national-reviewer"}, 1),
    "dpo": ({"data-protection-officer"}, 1),
    "city": ({"city-officer"}, 2),
    "manager": ({"grant-manager"}, 2),
    "cso": ({"cso-member"}, 3),
    "sharer": ({"infoshare-officer"}, 3),
    "funder": ({"funder"}, 4),
    "panel": ({"grant-reviewer"}, 5),
    "auditor": ({"auditor"}, 6),
    "bridges-dpo": ({"data-protection-officer"}, 3),
    "police": ({"infoshare-officer"}, 9),
    "police-dpo": ({"data-protection-officer"}, 9),
    "social": ({"infoshare-officer"}, 10),
    "social-dpo": ({"data-protection-officer"}, 10),
}


@pytest.fixture
def no_secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NLC_UI_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("NLC_SERVICES_CLIENT_SECRET", raising=False)


def test_realm_file_is_a_keycloak_export_with_every_platform_role() -> None:
    raw = json.loads(default_realm_file().read_text())
    assert (raw["realm"], raw["enabled"], raw["sslRequired"]) == ("nlc", True, "none")
    assert {role["name"] for role in raw["roles"]["realm"]} == {role.value for role in Role}
    for client in raw["clients"]:
        kinds = {mapper["protocolMapper"] for mapper in client["protocolMappers"]}
        assert kinds == {"oidc-usermodel-attribute-mapper", "oidc-audience-mapper"}


def test_demo_users_have_their_roles_and_organisations(tmp_path: Path, no_secret_env: None) -> None:
    realm = load_realm(default_realm_file(), tmp_path)
    for username, (roles, org) in DEMO.items():
        user = realm.find_login(username)
        assert user is not None and user.check_password("demo"), username
        assert set(user.roles) == roles
        assert user.attribute("org_id") == org_id(org)
        assert user.email and user.first_name and user.last_name
    assert len({realm.find_login(name).id for name in DEMO}) == len(DEMO)  # type: ignore[union-attr]


def test_users_sign_in_by_email_too_but_never_as_a_service_account(
    tmp_path: Path, no_secret_env: None
) -> None:
    realm = load_realm(default_realm_file(), tmp_path)
    assert realm.find_login("CSO@bridges-youth.example") == realm.find_login("cso")
    assert realm.find_login("service-account-nlc-services") is None
    service = realm.service_account("nlc-services")
    assert service.username == "service-account-nlc-services" and service.roles == ()


def test_clients_have_the_flows_the_platform_uses(tmp_path: Path, no_secret_env: None) -> None:
    clients = load_realm(default_realm_file(), tmp_path).clients
    ui, cli, services = clients["nlc-ui"], clients["nlc-cli"], clients["nlc-services"]
    assert not ui.public and ui.standard_flow and not ui.direct_grants
    assert ui.allows_redirect("http://localhost:8501/oauth2callback")
    assert not ui.allows_redirect("http://evil.example/oauth2callback")
    assert ui.allows_post_logout_redirect("http://localhost:8501/")
    assert cli.public and cli.direct_grants and not cli.standard_flow
    assert not services.public and services.service_accounts and not services.direct_grants


def test_unset_secrets_are_generated_once_into_private_files(
    tmp_path: Path, no_secret_env: None
) -> None:
    first = load_realm(default_realm_file(), tmp_path).clients["nlc-ui"].secret
    again = load_realm(default_realm_file(), tmp_path).clients["nlc-ui"].secret
    path = client_secret_file(tmp_path, "nlc-ui")
    assert first and first == again == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = load_realm(default_realm_file(), tmp_path).clients["nlc-services"].secret
    assert other and other != first


def test_secrets_from_the_environment_win_and_are_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NLC_UI_CLIENT_SECRET", "from-env")
    realm = load_realm(default_realm_file(), tmp_path)
    assert realm.clients["nlc-ui"].secret == "from-env"
    assert not client_secret_file(tmp_path, "nlc-ui").exists()


def test_placeholders_take_defaults_and_unknown_ones_stay_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NLC_TEST_UNSET", raising=False)
    monkeypatch.setenv("NLC_TEST_REALM", "custom")
    realm_file = tmp_path / "realm.json"
    realm_file.write_text(
        json.dumps(
            {
                "realm": "${NLC_TEST_REALM}",
                "accessTokenLifespan": "${NLC_TEST_UNSET:120}",
                "users": [{"username": "u", "firstName": "${NLC_TEST_UNSET}"}],
            }
        )
    )
    realm = load_realm(realm_file, tmp_path)
    assert (realm.name, realm.access_token_lifespan) == ("custom", 120)
    assert realm.users[0].first_name == "${NLC_TEST_UNSET}"


def test_a_clients_own_access_token_lifespan_overrides_the_realms(
    tmp_path: Path, no_secret_env: None
) -> None:
    realm = load_realm(default_realm_file(), tmp_path)
    assert realm.access_token_lifespan == 300
    assert realm.access_token_lifespan_of(realm.clients["nlc-ui"]) == 1800
    assert realm.access_token_lifespan_of(realm.clients["nlc-cli"]) == 300
    assert realm.access_token_lifespan_of(realm.clients["nlc-services"]) == 300


@pytest.mark.parametrize(("attribute", "seconds"), [("", 300), ("0", 300), (" 45 ", 45)])
def test_blank_or_non_positive_client_lifespans_fall_back_to_the_realms(
    tmp_path: Path, attribute: str, seconds: int
) -> None:
    realm_file = tmp_path / "realm.json"
    client = {"clientId": "c", "attributes": {"access.token.lifespan": attribute}}
    realm_file.write_text(json.dumps({"realm": "r", "clients": [client]}))
    realm = load_realm(realm_file, tmp_path)
    assert realm.access_token_lifespan_of(realm.clients["c"]) == seconds
