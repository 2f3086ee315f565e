"""Leaving, forging or outliving a session lands on the login page and never a stack trace."""

from __future__ import annotations

import json
import time
import tomllib

import jwt
from playwright.sync_api import Page, expect
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

from tests.browser.steps import expect_settled, landing_login_button, log_in, navigation
from tests.e2e.platform import Platform, access_token

USER_COOKIE = "_streamlit_user"
TOKENS_COOKIE = "_streamlit_user_tokens"


def _expect_login_page(page: Page) -> None:
    expect(landing_login_button(page)).to_be_visible()
    expect(navigation(page)).to_have_count(0)
    expect_settled(page)


def _expired_access_token(platform: Platform) -> str:
    """A demo user's access token as it reads once its lifetime has passed."""
    claims = jwt.decode(access_token(platform, "city"), options={"verify_signature": False})
    return jwt.encode({**claims, "exp": int(time.time()) - 60}, "x" * 32, algorithm="HS256")


def _signed_tokens_cookie(platform: Platform, tokens: dict[str, str]) -> str:
    """The tokens cookie as Streamlit signs it with the cookie secret `nlc up` generated."""
    secrets = tomllib.loads((platform.home / "ui" / ".streamlit" / "secrets.toml").read_text())
    value = json.dumps(tokens)
    return create_signed_value(secrets["auth"]["cookie_secret"], TOKENS_COOKIE, value).decode()


def test_log_out_lands_on_the_login_page(page: Page, platform: Platform) -> None:
    log_in(page, platform, "city")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Log out").click()
    _expect_login_page(page)


def test_a_forged_session_cookie_lands_on_the_login_page(page: Page, platform: Platform) -> None:
    log_in(page, platform, "city")
    cookies = page.context.cookies(platform.ui_url)
    assert any(cookie["name"] == USER_COOKIE for cookie in cookies)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": USER_COOKIE, "value": "forged", "url": platform.ui_url}])
    page.reload()
    _expect_login_page(page)


def test_an_expired_access_token_lands_on_the_login_page_with_a_notice(
    page: Page, platform: Platform
) -> None:
    log_in(page, platform, "city")
    context = page.context
    kept = [c for c in context.cookies(platform.ui_url) if not c["name"].startswith(TOKENS_COOKIE)]
    expired = _signed_tokens_cookie(platform, {"access_token": _expired_access_token(platform)})
    context.clear_cookies()
    context.add_cookies([*kept, {"name": TOKENS_COOKIE, "value": expired, "url": platform.ui_url}])
    page.reload()
    expect(page.get_by_text("Your session has expired")).to_be_visible()
    _expect_login_page(page)
