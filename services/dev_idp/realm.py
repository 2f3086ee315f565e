"""The realm as the dev IdP needs it, read from a Keycloak realm export."""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.dev_idp.files import read_or_create_secret

DEMO_USERS_FILE = "demo-users.json"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?\}")


class RealmError(ValueError):
    """The realm file cannot be used."""


@dataclass(frozen=True)
class User:
    """A realm user (or a client's service-account user)."""

    id: str
    username: str
    enabled: bool = True
    email: str = ""
    email_verified: bool = False
    first_name: str = ""
    last_name: str = ""
    password: str | None = None
    roles: tuple[str, ...] = ()
    attributes: Mapping[str, list[str] | str] = field(default_factory=dict)
    service_account_client: str | None = None

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def check_password(self, given: str) -> bool:
        """True when given is this user's password (compared in constant time)."""
        if self.password is None:
            return False
        return hmac.compare_digest(given.encode(), self.password.encode())

    def attribute(self, name: str) -> str | None:
        values = self.attributes.get(name)
        if isinstance(values, str):
            return values
        return values[0] if values else None


@dataclass(frozen=True)
class Client:
    """An OpenID Connect client of the realm."""

    client_id: str
    public: bool
    secret: str | None
    enabled: bool = True
    standard_flow: bool = True
    direct_grants: bool = False
    service_accounts: bool = False
    redirect_uris: tuple[str, ...] = ()
    post_logout_redirect_uris: tuple[str, ...] = ()
    mappers: tuple[Mapping[str, Any], ...] = ()
    access_token_lifespan: int | None = None

    def allows_redirect(self, uri: str) -> bool:
        return _matches_any(uri, self.redirect_uris)

    def allows_post_logout_redirect(self, uri: str) -> bool:
        return _matches_any(uri, self.post_logout_redirect_uris)


@dataclass(frozen=True)
class Realm:
    """Settings, clients and users of one realm."""

    name: str
    clients: Mapping[str, Client]
    users: tuple[User, ...]
    access_token_lifespan: int = 300
    access_code_lifespan: int = 60
    sso_idle_timeout: int = 1800
    sso_max_lifespan: int = 36000
    revoke_refresh_token: bool = False
    refresh_token_max_reuse: int = 0

    def access_token_lifespan_of(self, client: Client) -> int:
        """Seconds an access token for client lasts: its own lifespan, else the realm's."""
        return client.access_token_lifespan or self.access_token_lifespan

    def find_login(self, login: str) -> User | None:
        """The user with this username or email (case-insensitive), if any."""
        wanted = login.strip().lower()
        if not wanted:
            return None
        for user in self.users:
            if user.service_account_client is not None:
                continue
            if wanted in (user.username, user.email.lower()):
                return user
        return None

    def find_id(self, user_id: str) -> User | None:
        return next((user for user in self.users if user.id == user_id), None)

    def service_account(self, client_id: str) -> User:
        """The service-account user of a client, synthesised when the realm file has none."""
        for user in self.users:
            if user.service_account_client == client_id:
                return user
        username = f"service-account-{client_id}"
        user_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.name}/{username}"))
        return User(id=user_id, username=username, service_account_client=client_id)


def client_secret_file(data_dir: Path, client_id: str) -> Path:
    """Where a generated secret of a client lives when its environment variable is unset."""
    return data_dir / "idp" / f"{client_id}-client-secret"


def resolve_client_secret(data_dir: Path, client_id: str, env_var: str) -> str:
    """The secret from env_var, else the one generated (once) into the data dir."""
    from_env = os.environ.get(env_var)
    if from_env:
        return from_env
    path = client_secret_file(data_dir, client_id)
    return read_or_create_secret(path, lambda: secrets.token_urlsafe(32))


def default_demo_users_file(realm_file: Path) -> Path:
    """demo-users.json beside the realm file: the demo people, kept out of what Keycloak imports."""
    return realm_file.parent / DEMO_USERS_FILE


def load_realm(realm_file: Path, data_dir: Path, demo_users_file: Path | None = None) -> Realm:
    """Read a realm export plus its demo users, resolving ${ENV} placeholders as Keycloak does.

    The demo users come from a partial-import file `{"users": [...]}`: demo_users_file, else
    demo-users.json beside the realm file when there is one.
    """
    raw = _read_json(realm_file, "realm")
    users_file = demo_users_file or default_demo_users_file(realm_file)
    if demo_users_file is not None or users_file.exists():
        demo_users = _read_json(users_file, "demo users").get("users", [])
        raw["users"] = [*raw.get("users", []), *demo_users]
    names = [user["username"].lower() for user in raw.get("users", [])]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise RealmError(f"users listed twice in the realm and demo users: {', '.join(twice)}")
    for rep in raw.get("clients", []):
        _resolve_secret(rep, data_dir)
    rep = _substitute(raw)
    if not rep.get("enabled", True):
        raise RealmError(f"realm {rep.get('realm')!r} is disabled")
    clients = {c["clientId"]: _client(c) for c in rep.get("clients", [])}
    return Realm(
        name=rep["realm"],
        clients=clients,
        users=tuple(_user(u) for u in rep.get("users", [])),
        access_token_lifespan=int(rep.get("accessTokenLifespan", 300)),
        access_code_lifespan=int(rep.get("accessCodeLifespan", 60)),
        sso_idle_timeout=int(rep.get("ssoSessionIdleTimeout", 1800)),
        sso_max_lifespan=int(rep.get("ssoSessionMaxLifespan", 36000)),
        revoke_refresh_token=bool(rep.get("revokeRefreshToken", False)),
        refresh_token_max_reuse=int(rep.get("refreshTokenMaxReuse", 0)),
    )


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RealmError(f"cannot read {what} file {path}: {exc}") from exc


def _resolve_secret(rep: dict[str, Any], data_dir: Path) -> None:
    found = _PLACEHOLDER.fullmatch(rep.get("secret") or "")
    if found and found.group(1) not in os.environ and found.group(2) is None:
        rep["secret"] = resolve_client_secret(data_dir, rep["clientId"], found.group(1))


def _substitute(value: Any) -> Any:
    if isinstance(value, str):
        return _PLACEHOLDER.sub(_replacement, value)
    if isinstance(value, list):
        return [_substitute(item) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item) for key, item in value.items()}
    return value


def _replacement(found: re.Match[str]) -> str:
    name, default = found.group(1), found.group(2)
    return os.environ.get(name, default if default is not None else found.group(0))


def _client(rep: Mapping[str, Any]) -> Client:
    redirects = tuple(rep.get("redirectUris", []))
    attributes = rep.get("attributes", {})
    logout_attr = attributes.get("post.logout.redirect.uris", "")
    logout_uris = tuple(u for u in logout_attr.split("##") if u and u != "+")
    if "+" in logout_attr.split("##"):
        logout_uris += redirects
    return Client(
        client_id=rep["clientId"],
        public=bool(rep.get("publicClient", False)),
        secret=rep.get("secret"),
        enabled=bool(rep.get("enabled", True)),
        standard_flow=bool(rep.get("standardFlowEnabled", True)),
        direct_grants=bool(rep.get("directAccessGrantsEnabled", False)),
        service_accounts=bool(rep.get("serviceAccountsEnabled", False)),
        redirect_uris=redirects,
        post_logout_redirect_uris=logout_uris,
        mappers=tuple(rep.get("protocolMappers", [])),
        access_token_lifespan=_positive(attributes.get("access.token.lifespan")),
    )


def _positive(value: str | int | None) -> int | None:
    """A client attribute's positive number of seconds; None when unset, blank or not positive."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        seconds = int(text)
    except ValueError as exc:
        raise RealmError(f"not a number of seconds: {text!r}") from exc
    return seconds if seconds > 0 else None


def _user(rep: Mapping[str, Any]) -> User:
    passwords = [c for c in rep.get("credentials", []) if c.get("type") == "password"]
    return User(
        id=rep.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, rep["username"])),
        username=rep["username"].lower(),
        enabled=bool(rep.get("enabled", False)),
        email=rep.get("email", ""),
        email_verified=bool(rep.get("emailVerified", False)),
        first_name=rep.get("firstName", ""),
        last_name=rep.get("lastName", ""),
        password=passwords[0].get("value") if passwords else None,
        roles=tuple(rep.get("realmRoles", [])),
        attributes=dict(rep.get("attributes", {})),
        service_account_client=rep.get("serviceAccountClientId"),
    )


def _matches_any(uri: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if pattern.endswith("*") and uri.startswith(pattern[:-1]):
            return True
        if uri == pattern:
            return True
    return False
