"""The Streamlit UI as a child of `nlc up`: its login settings and its command line."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from services.common.config import Settings
from services.dev_idp import resolve_client_secret
from services.dev_idp.files import read_or_create_secret

UI_CLIENT_ID = "nlc-ui"
UI_SECRET_ENV = "NLC_UI_CLIENT_SECRET"
APP_SCRIPT = Path(__file__).resolve().parents[2] / "ui" / "app.py"


def ui_dir(settings: Settings) -> Path:
    """The UI's working directory: Streamlit reads .streamlit/secrets.toml from it."""
    return settings.home.resolve() / "ui"


def ui_url(settings: Settings) -> str:
    """Where people open the UI; localhost, the host the OIDC redirect URI names."""
    return f"http://localhost:{settings.ui_port}"


def client_secret(settings: Settings, *, embedded_idp: bool) -> str:
    """nlc-ui's secret: NLC_UI_CLIENT_SECRET, else the one the dev IdP generated."""
    if embedded_idp:
        return resolve_client_secret(settings.home.resolve(), UI_CLIENT_ID, UI_SECRET_ENV)
    return os.environ.get(UI_SECRET_ENV, "")


def write_secrets(
    settings: Settings,
    issuer: str,
    secret: str,
    *,
    public_url: str = "",
    cookie_secret: str = "",
) -> Path:
    """Write the [auth] settings (owner-only file). The redirect URI is under public_url, else
    ui_url; the cookie secret is cookie_secret, else one generated once into the UI folder."""
    folder = ui_dir(settings) / ".streamlit"
    folder.mkdir(parents=True, exist_ok=True)
    cookie = cookie_secret or read_or_create_secret(
        ui_dir(settings) / "cookie-secret", secrets.token_urlsafe
    )
    auth = {
        "redirect_uri": f"{(public_url or ui_url(settings)).rstrip('/')}/oauth2callback",
        "cookie_secret": cookie,
        "client_id": UI_CLIENT_ID,
        "client_secret": secret,
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
    }
    lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items())]
    lines.append('expose_tokens = ["access"]')
    path = folder / "secrets.toml"
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ui_argv(settings: Settings) -> list[str]:
    """`streamlit run ui/app.py` on the UI port, headless, no usage statistics, no dev menu."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.port",
        str(settings.ui_port),
        "--server.address",
        settings.host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
