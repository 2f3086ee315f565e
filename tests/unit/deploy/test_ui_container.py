"""The UI image's command writes the login settings from the environment, then serves the UI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

START_DEADLINE_S = 60
UI_ENV = {
    "NLC_OIDC_ISSUER": "https://id.example.org/realms/nlc",
    "NLC_UI_CLIENT_SECRET": "client-secret-from-the-secret-store",
    "NLC_UI_PUBLIC_URL": "https://nlc.example.org/",
    "NLC_UI_COOKIE_SECRET": "cookie-secret-shared-by-replicas",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UI_ENV}
    return env | {"NLC_HOME": str(home), "NLC_HOST": "127.0.0.1"} | extra


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def test_without_its_settings_the_ui_names_what_is_missing(tmp_path: Path) -> None:
    env = _env(tmp_path, NLC_OIDC_ISSUER=UI_ENV["NLC_OIDC_ISSUER"])
    command = [sys.executable, "-m", "services.cli.ui_container"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "NLC_UI_CLIENT_SECRET, NLC_UI_PUBLIC_URL, NLC_UI_COOKIE_SECRET" in done.stderr
    assert not (tmp_path / "ui").exists()


def test_the_ui_serves_with_login_settings_from_the_environment(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(tmp_path, NLC_UI_PORT=str(port), **UI_ENV)
    ui = subprocess.Popen(
        [sys.executable, "-m", "services.cli.ui_container"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_DEADLINE_S
        while not _healthy(port):
            assert ui.poll() is None, f"the UI exited with {ui.returncode}"
            assert time.monotonic() < deadline, "the UI did not answer its health check"
            time.sleep(0.2)
    finally:
        ui.terminate()
        ui.wait(timeout=30)
    secrets_file = tmp_path / "ui" / ".streamlit" / "secrets.toml"
    auth = tomllib.loads(secrets_file.read_text())["auth"]
    assert auth["redirect_uri"] == "https://nlc.example.org/oauth2callback"
    assert auth["server_metadata_url"] == (
        "https://id.example.org/realms/nlc/.well-known/openid-configuration"
    )
    assert auth["client_secret"] == UI_ENV["NLC_UI_CLIENT_SECRET"]
    assert auth["cookie_secret"] == UI_ENV["NLC_UI_COOKIE_SECRET"]
    assert secrets_file.stat().st_mode & 0o077 == 0
