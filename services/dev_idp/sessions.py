"""User sessions and one-time authorization codes, held in memory like Keycloak's dev mode."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.common.clock import Clock
from services.dev_idp.realm import Realm, User


@dataclass
class UserSession:
    """A signed-in user at one client."""

    id: str
    user: User
    client_id: str
    started: datetime
    last_refresh: datetime
    spent_refresh: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthCode:
    """What an authorization code stands for until it is exchanged."""

    session_id: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    challenge: str | None
    challenge_method: str | None
    expires_at: datetime


class SessionStore:
    """Sessions with Keycloak's idle and max lifespans; codes usable once, before they expire."""

    def __init__(self, realm: Realm, clock: Clock) -> None:
        self._realm = realm
        self._clock = clock
        self._sessions: dict[str, UserSession] = {}
        self._codes: dict[str, AuthCode] = {}
        self._used_codes: dict[str, AuthCode] = {}

    def start(self, user: User, client_id: str) -> UserSession:
        for session_id in list(self._sessions):
            self.active(session_id)
        now = self._clock.now()
        session = UserSession(str(uuid.uuid4()), user, client_id, started=now, last_refresh=now)
        self._sessions[session.id] = session
        return session

    def expires_at(self, session: UserSession) -> datetime:
        idle_end = session.last_refresh + timedelta(seconds=self._realm.sso_idle_timeout)
        return min(idle_end, session.started + timedelta(seconds=self._realm.sso_max_lifespan))

    def active(self, session_id: str | None) -> UserSession | None:
        """The session if it exists and has neither ended nor expired."""
        session = self._sessions.get(session_id or "")
        if session is not None and self._clock.now() >= self.expires_at(session):
            self.end(session.id)
            return None
        return session

    def touch(self, session: UserSession) -> None:
        session.last_refresh = self._clock.now()

    def end(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def issue_code(self, code: AuthCode) -> str:
        self._forget_expired_codes()
        value = f"{secrets.token_urlsafe(24)}.{code.session_id}"
        self._codes[value] = code
        return value

    def redeem_code(self, value: str) -> AuthCode | None:
        """The code's grant, once; a replayed code also ends the session it created."""
        code = self._codes.pop(value, None)
        if code is None:
            replayed = self._used_codes.get(value)
            if replayed is not None:
                self.end(replayed.session_id)
            return None
        self._used_codes[value] = code
        return code if self._clock.now() < code.expires_at else None

    def _forget_expired_codes(self) -> None:
        now = self._clock.now()
        for store in (self._codes, self._used_codes):
            for value in [v for v, code in store.items() if code.expires_at <= now]:
                del store[value]
