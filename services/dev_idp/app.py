"""The dev IdP's aiohttp application and a helper that starts it on a host and port."""

from __future__ import annotations

import socket
from pathlib import Path

from aiohttp import web

from services.common.clock import Clock, SystemClock
from services.dev_idp import endpoints, login, logout
from services.dev_idp.keys import SigningKey
from services.dev_idp.realm import load_realm
from services.dev_idp.sessions import SessionStore
from services.dev_idp.state import IDP, Idp
from services.dev_idp.tokens import TokenMinter


def default_realm_file() -> Path:
    """deploy/keycloak/nlc-realm.json of the repository this package lives in."""
    return Path(__file__).resolve().parents[2] / "deploy" / "keycloak" / "nlc-realm.json"


def build_idp(
    *,
    realm_file: Path,
    data_dir: Path,
    public_url: str,
    clock: Clock | None,
    demo_users_file: Path | None = None,
) -> Idp:
    """Load the realm, its demo users and the signing key (kept in <data_dir>/idp)."""
    clock = clock or SystemClock()
    realm = load_realm(realm_file, data_dir, demo_users_file)
    key = SigningKey.load_or_create(data_dir / "idp")
    issuer = f"{public_url.rstrip('/')}/realms/{realm.name}"
    minter = TokenMinter(key, issuer, clock)
    return Idp(realm, key, minter, SessionStore(realm, clock), clock)


def create_app(
    *,
    realm_file: Path,
    data_dir: Path,
    public_url: str,
    clock: Clock | None = None,
    demo_users_file: Path | None = None,
) -> web.Application:
    """The IdP serving Keycloak's realm paths; public_url is its base URL (no /realms)."""
    idp = build_idp(
        realm_file=realm_file,
        data_dir=data_dir,
        public_url=public_url,
        clock=clock,
        demo_users_file=demo_users_file,
    )
    app = web.Application()
    app[IDP] = idp
    realm = f"/realms/{idp.realm.name}"
    oidc = f"{realm}/protocol/openid-connect"
    app.router.add_get(realm, endpoints.realm_info)
    app.router.add_get(f"{realm}/.well-known/openid-configuration", endpoints.discovery)
    app.router.add_get(f"{oidc}/auth", login.show_form)
    app.router.add_post(f"{oidc}/auth", login.sign_in)
    app.router.add_post(f"{oidc}/token", endpoints.token)
    app.router.add_get(f"{oidc}/certs", endpoints.certs)
    for method in ("GET", "POST"):
        app.router.add_route(method, f"{oidc}/userinfo", endpoints.userinfo)
        app.router.add_route(method, f"{oidc}/logout", logout.logout)
    return app


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def start(
    host: str,
    port: int,
    *,
    realm_file: Path,
    data_dir: Path,
    clock: Clock | None = None,
    public_url: str | None = None,
    demo_users_file: Path | None = None,
) -> tuple[web.AppRunner, str]:
    """Serve the IdP on host:port (0 picks a free port); returns the runner and base URL."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    base_url = f"http://{_url_host(host)}:{sock.getsockname()[1]}"
    app = create_app(
        realm_file=realm_file,
        data_dir=data_dir,
        public_url=public_url or base_url,
        clock=clock,
        demo_users_file=demo_users_file,
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner, public_url or base_url
