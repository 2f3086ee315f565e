"""Who is logged in, read from Streamlit's OIDC user and the access token it exposes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import NoReturn

import jwt
import streamlit as st

from services.common.auth import principal_from_claims
from services.common.errors import Unauthenticated

EXPIRED = "Your session has expired. Please log in again."


@dataclass(frozen=True)
class UiUser:
    """The logged-in person as the access token describes them (display only; services verify)."""

    username: str
    name: str
    roles: frozenset[str]
    org_id: str | None
    access_token: str = field(repr=False)


def current_user() -> UiUser | None:
    """The logged-in user, None when nobody is; an expired or unreadable token ends the session."""
    if not st.user.is_logged_in:
        return None
    token = st.user.tokens.get("access", "")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        principal = principal_from_claims(claims)
    except (jwt.PyJWTError, Unauthenticated):
        end_session(EXPIRED)
    if claims.get("exp", 0) <= time.time():
        end_session(EXPIRED)
    return UiUser(
        username=principal.username,
        name=principal.name or principal.username,
        roles=principal.roles,
        org_id=principal.org_id,
        access_token=token,
    )


def end_session(notice: str) -> NoReturn:
    """Replace the page with the login screen showing notice, instead of an error."""
    login_page(notice)
    st.stop()


def login_page(notice: str | None = None) -> None:
    """The login screen as the only page, so no workspace is listed beside it."""
    page = st.Page(lambda: login_screen(notice), title="Log in", url_path="login")
    st.navigation([page], position="hidden").run()


def login_screen(notice: str | None = None) -> None:
    """What a visitor sees before logging in: what the platform is and a "Log in" button."""
    st.title("NLC platform")
    st.markdown(
        "National-local coordination and funding for the prevention of hate, extremism and"
        " polarisation: local plans and reports, calls for funding, and safe information sharing."
    )
    if notice:
        st.warning(notice, icon=":material/schedule:")
    if "auth" not in st.secrets:
        st.error("Login is not configured: start the UI with `nlc up`, which writes its settings.")
        return
    if st.button("Log in", type="primary", icon=":material/login:"):
        st.login()
