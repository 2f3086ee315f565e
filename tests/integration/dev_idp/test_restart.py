"""The IdP keeps its signing key across restarts and runs as `python -m services.dev_idp`."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
import jwt

from services.dev_idp.app import default_realm_file, start

PASSWORD_GRANT = {"grant_type": "password", "client_id": "nlc-cli", "username": "cso"}


async def _certs_and_token(base_url: str) -> tuple[dict, str]:
    oidc = f"{base_url}/realms/nlc/protocol/openid-connect"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{oidc}/certs") as answer:
            certs = await answer.json()
        async with http.post(f"{oidc}/token", data=PASSWORD_GRANT | {"password": "demo"}) as answer:
            token = (await answer.json())["access_token"]
    return certs, token


async def _run_once(data_dir: Path) -> tuple[dict, str]:
    realm_file = default_realm_file()
    runner, base_url = await start("127.0.0.1", 0, realm_file=realm_file, data_dir=data_dir)
    try:
        return await _certs_and_token(base_url)
    finally:
        await runner.cleanup()


async def test_same_key_after_restart(tmp_path: Path) -> None:
    before, token = await _run_once(tmp_path)
    after, _ = await _run_once(tmp_path)
    assert after == before
    key = jwt.PyJWK(after["keys"][0]).key
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="nlc-api")
    assert claims["preferred_username"] == "cso"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_module_entry_point_serves_the_configured_issuer(tmp_path: Path) -> None:
    port = _free_port()
    env = os.environ | {"NLC_HOME": str(tmp_path), "NLC_IDP_PORT": str(port)}
    env["NLC_REALM_FILE"] = str(default_realm_file())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.dev_idp", env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        issuer = f"http://127.0.0.1:{port}/realms/nlc"
        assert issuer in line
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{issuer}/.well-known/openid-configuration") as answer:
                assert (await answer.json())["issuer"] == issuer
        assert (tmp_path / "idp" / "signing-key.pem").exists()
    finally:
        process.terminate()
        await process.wait()
