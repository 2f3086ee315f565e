"""UI foundation without a browser: formatting, errors in plain words, sessions, roles, settings."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from types import SimpleNamespace

import grpc
import jwt
import pytest

from services.cli.ui import write_secrets
from services.common.config import load_settings
from services.common.errors import invalid
from services.common.rich_status import to_grpc_status
from services.dev_idp.app import default_realm_file
from services.dev_idp.realm import load_realm
from ui import client, session
from ui.formatting import date_text, money, org_label, role_label
from ui.navigation import HOME, PAGES_DIR, WORKSPACES, workspace, workspaces_for


class FailedCall(grpc.RpcError):
    """A failed unary call as a grpc stub raises it."""

    def __init__(self, status: grpc.Status) -> None:
        self.status = status

    def code(self) -> grpc.StatusCode:
        return self.status.code

    def details(self) -> str:
        return self.status.details

    def trailing_metadata(self) -> tuple[tuple[str, bytes], ...]:
        return self.status.trailing_metadata


def test_formatting_reads_like_people_write() -> None:
    assert money(123456, "EUR") == "1,234.56 EUR"
    assert money(150000, "JPY") == "150,000 JPY"
    assert date_text("2026-03-05") == "5 Mar 2026"
    assert date_text("2026-03-05T14:30:00+00:00") == "5 Mar 2026, 14:30"
    assert date_text("") == "—"
    assert org_label("organisations/0b1c7a52-0000-4000-8000-000000000002") == "0b1c7a52"
    assert role_label("national-reviewer") == "National reviewer"


def test_invalid_argument_becomes_field_violations() -> None:
    error = invalid("title", "must not be empty")
    failure = client.ui_error(FailedCall(to_grpc_status(error)))
    assert failure.code == "INVALID_ARGUMENT"
    assert failure.field_violations == {"title": "must not be empty"}


def test_unauthenticated_call_ends_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    ended: list[str] = []

    def refuse(request: object, **_: object) -> None:
        raise FailedCall(
            SimpleNamespace(code=grpc.StatusCode.UNAUTHENTICATED, details="x", trailing_metadata=())
        )

    def end(notice: str) -> None:
        ended.append(notice)
        raise RuntimeError("stopped")

    monkeypatch.setattr(client, "current_user", lambda: None)
    monkeypatch.setattr(client, "end_session", end)
    with pytest.raises(RuntimeError):
        client.call(refuse, object())
    assert ended == [session.EXPIRED]


@pytest.mark.parametrize(("lifetime", "expired"), [(300, False), (-5, True)])
def test_expired_token_ends_the_session(
    monkeypatch: pytest.MonkeyPatch, lifetime: int, expired: bool
) -> None:
    claims = {
        "sub": "u1",
        "preferred_username": "sharer",
        "name": "Sofia Rossi",
        "realm_access": {"roles": ["infoshare-officer"]},
        "org_id": "org-3",
        "exp": int(time.time()) + lifetime,
    }
    token = jwt.encode(claims, "k" * 32, algorithm="HS256")
    user = SimpleNamespace(is_logged_in=True, tokens={"access": token})
    monkeypatch.setattr(session.st, "user", user, raising=False)
    notices: list[str] = []
    monkeypatch.setattr(session, "end_session", lambda n: notices.append(n) or None)
    found = session.current_user()
    assert bool(notices) is expired
    assert found is not None and found.roles == {"infoshare-officer"} and found.org_id == "org-3"
    assert token not in repr(found)


def test_each_role_sees_only_its_workspaces() -> None:
    assert [w.title for w in workspaces_for({"infoshare-officer"})] == [
        "Inbox",
        "Send a share",
        "Sent",
        "Training",
        "Agreements",
    ]
    assert [w.title for w in workspaces_for({"national-reviewer"})] == [
        "National overview",
        "Plan review",
        "Report review",
        "Frameworks",
    ]
    assert workspaces_for({"unknown-role"}) == []


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        ("cso-member", ["Reports due", "Open calls", "Apply", "My applications", "Match funding"]),
        (
            "grant-manager",
            [
                "Report review",
                "Calls",
                "Match funding",
                "Assign reviewers",
                "Ranking",
                "Award decisions",
                "Awards and tranches",
                "360Giving export",
            ],
        ),
        ("grant-reviewer", ["Review panels", "My reviews"]),
        ("funder", ["Ranking", "Funding", "360Giving export"]),
        ("auditor", ["360Giving export", "Agreements", "Audit trail"]),
    ],
)
def test_each_grants_role_sees_its_journey(role: str, titles: list[str]) -> None:
    assert [w.title for w in workspaces_for({role})] == titles


def test_every_workspace_has_its_page_script() -> None:
    scripts = {w.script for w in (HOME, *WORKSPACES)}
    assert all((PAGES_DIR / script).is_file() for script in scripts)
    assert workspace("cso_apply.py").title == "Apply"


def test_ui_secrets_name_the_realm_and_the_ui_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(home=tmp_path, ui_port=18501)
    path = write_secrets(settings, "http://127.0.0.1:9/realms/nlc", "s3cret")
    auth = tomllib.loads(path.read_text())["auth"]
    assert auth["redirect_uri"] == "http://localhost:18501/oauth2callback"
    assert auth["server_metadata_url"].endswith("/realms/nlc/.well-known/openid-configuration")
    assert auth["expose_tokens"] == ["access"] and auth["client_secret"] == "s3cret"
    assert path.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("NLC_UI_PORT", "18501")
    realm = load_realm(default_realm_file(), tmp_path)
    assert realm.clients["nlc-ui"].allows_redirect(auth["redirect_uri"])
