"""The realm a production Keycloak imports holds no one who can log in; the dev IdP adds the demo
users from demo-users.json beside it, or from the file NLC_DEMO_USERS_FILE names."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from pathlib import Path

import aiohttp
import jwt
import pytest

from services.dev_idp.app import default_realm_file
from services.dev_idp.realm import RealmError, default_demo_users_file, load_realm
from tests.support.tokens import RunningIdp

START_DEADLINE_S = 30


def test_the_realm_keycloak_imports_has_no_password_and_no_person() -> None:
    realm = json.loads(default_realm_file().read_text())
    for user in realm["users"]:
        assert "credentials" not in user, user["username"]
        assert user.get("serviceAccountClientId"), f"{user['username']} is not a service account"
    demo = json.loads(default_demo_users_file(default_realm_file()).read_text())
    assert list(demo) == ["users"], "Keycloak's partial-import shape: only a list of users"
    assert {user["username"] for user in demo["users"]} >= {"admin", "city", "cso", "police"}


async def test_the_dev_idp_still_logs_in_admin_with_demo(idp: RunningIdp) -> None:
    claims = jwt.decode(await idp.token_for("admin", "demo"), options={"verify_signature": False})
    assert claims["preferred_username"] == "admin"
    assert {"platform-admin", "national-admin"} <= set(claims["realm_access"]["roles"])


def test_a_user_in_both_files_is_refused(tmp_path: Path) -> None:
    twice = tmp_path / "people.json"
    twice.write_text(json.dumps({"users": [{"username": "service-account-nlc-services"}]}))
    with pytest.raises(RealmError, match="service-account-nlc-services"):
        load_realm(default_realm_file(), tmp_path, twice)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _password_grant(issuer: str, username: str, password: str) -> int:
    form = {"grant_type": "password", "client_id": "nlc-cli"}
    form |= {"username": username, "password": password}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{issuer}/protocol/openid-connect/token", data=form) as answer:
            return answer.status


async def test_nlc_demo_users_file_replaces_the_demo_users(tmp_path: Path) -> None:
    people = tmp_path / "trainers.json"
    trainer = {
        "username": "trainer",
        "enabled": True,
        "credentials": [{"type": "password", "value": "train", "temporary": False}],
        "realmRoles": ["city-officer"],
    }
    people.write_text(json.dumps({"users": [trainer]}))
    port = _free_port()
    env = os.environ | {"NLC_HOME": str(tmp_path), "NLC_IDP_PORT": str(port)}
    env["NLC_DEMO_USERS_FILE"] = str(people)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.dev_idp", env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), timeout=START_DEADLINE_S)
        issuer = f"http://127.0.0.1:{port}/realms/nlc"
        assert await _password_grant(issuer, "trainer", "train") == 200
        assert await _password_grant(issuer, "admin", "demo") == 401
    finally:
        process.terminate()
        await process.wait()
