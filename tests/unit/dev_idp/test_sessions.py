"""Sessions expire after Keycloak's idle and max lifespans; codes work once, before they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.clock import FixedClock
from services.dev_idp.realm import Realm, User
from services.dev_idp.sessions import AuthCode, SessionStore

NOW = datetime(2030, 1, 1, tzinfo=UTC)
REALM = Realm(name="nlc", clients={}, users=(), sso_idle_timeout=100, sso_max_lifespan=250)
USER = User(id="u-1", username="cso")


def _store() -> tuple[SessionStore, FixedClock]:
    clock = FixedClock(NOW)
    return SessionStore(REALM, clock), clock


def _code(session_id: str) -> AuthCode:
    expires_at = NOW + timedelta(seconds=60)
    return AuthCode(session_id, "nlc-ui", "http://app/cb", "openid", None, None, None, expires_at)


def test_session_ends_when_idle_and_at_its_max_lifespan() -> None:
    store, clock = _store()
    session = store.start(USER, "nlc-cli")
    clock.advance(timedelta(seconds=90))
    store.touch(session)
    clock.advance(timedelta(seconds=90))
    assert store.active(session.id) is session
    clock.advance(timedelta(seconds=75))
    assert store.active(session.id) is None

    idle = store.start(USER, "nlc-cli")
    clock.advance(timedelta(seconds=100))
    assert store.active(idle.id) is None


def test_code_is_redeemed_once_and_a_replay_ends_its_session() -> None:
    store, _ = _store()
    session = store.start(USER, "nlc-ui")
    value = store.issue_code(_code(session.id))
    assert store.redeem_code(value) is not None
    assert store.redeem_code(value) is None
    assert store.active(session.id) is None


def test_expired_code_is_refused() -> None:
    store, clock = _store()
    session = store.start(USER, "nlc-ui")
    value = store.issue_code(_code(session.id))
    clock.advance(timedelta(seconds=61))
    assert store.redeem_code(value) is None
    assert store.redeem_code("never-issued") is None
