"""Fixture plugin: a running dev IdP (`idp`) to get real tokens from, and a minter to forge them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from services.common.clock import Clock
from services.dev_idp.app import default_realm_file, start
from services.dev_idp.state import IDP, Idp
from services.dev_idp.tokens import TokenMinter


@dataclass(frozen=True)
class RunningIdp:
    """A dev IdP serving on base_url; issuer is its realm URL."""

    base_url: str
    data_dir: Path
    state: Idp

    @property
    def issuer(self) -> str:
        return self.state.issuer

    @property
    def minter(self) -> TokenMinter:
        """Mints tokens with the IdP's own key: any exp, aud, iss, roles or org_id."""
        return self.state.minter

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/token"

    def client_secret(self, client_id: str) -> str:
        """The secret the IdP resolved for a confidential client."""
        secret = self.state.realm.clients[client_id].secret
        assert secret is not None, f"{client_id} is a public client"
        return secret

    async def tokens_for(
        self, username: str, password: str = "demo", *, client_id: str = "nlc-cli"
    ) -> dict[str, Any]:
        """The whole token response of the password grant (scope openid)."""
        form = {
            "grant_type": "password",
            "client_id": client_id,
            "username": username,
            "password": password,
            "scope": "openid",
        }
        async with aiohttp.ClientSession() as http:
            async with http.post(self.token_endpoint, data=form) as response:
                body = await response.json()
                if response.status != 200:
                    raise AssertionError(f"password grant for {username} failed: {body}")
                return body

    async def token_for(self, username: str, password: str = "demo") -> str:
        """A real access token for a realm user, through nlc-cli's password grant."""
        return (await self.tokens_for(username, password))["access_token"]


class IdpThread:
    """The dev IdP on its own event loop in a daemon thread, so sync clients can call it too."""

    def __init__(
        self,
        data_dir: Path,
        *,
        realm_file: Path | None = None,
        clock: Clock | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self._data_dir = data_dir
        self._realm_file = realm_file or default_realm_file()
        self._clock = clock
        self._host = host
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dev-idp", daemon=True)
        self._runner: Any = None

    def start(self) -> RunningIdp:
        self._thread.start()
        serving = start(
            self._host, 0, realm_file=self._realm_file, data_dir=self._data_dir, clock=self._clock
        )
        self._runner, base_url = asyncio.run_coroutine_threadsafe(serving, self._loop).result(30)
        return RunningIdp(base_url, self._data_dir, self._runner.app[IDP])

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    def __enter__(self) -> RunningIdp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningIdp]:
    """One dev IdP for the test session, on a free loopback port with a temp data dir."""
    with IdpThread(tmp_path_factory.mktemp("idp-data")) as running:
        yield running
