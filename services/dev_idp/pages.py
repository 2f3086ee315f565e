"""The dev IdP's plain HTML pages: the login form and short message pages."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from importlib import resources
from string import Template

from aiohttp import web

_LOGIN = Template(resources.files(__package__).joinpath("login.html").read_text("utf-8"))
_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def login_page(
    *, realm: str, action: str, hidden: Mapping[str, str], username: str = "", error: str = ""
) -> web.Response:
    """The login form, carrying the authorization request in hidden fields."""
    fields = "\n".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in hidden.items()
    )
    alert = f'<div id="input-error" class="alert" role="alert">{escape(error)}</div>'
    html = _LOGIN.substitute(
        realm=escape(realm),
        action=escape(action),
        username=escape(username),
        hidden=fields,
        error=alert if error else "",
    )
    return web.Response(text=html, content_type="text/html", headers=_HEADERS)


def message_page(title: str, message: str, *, status: int = 200) -> web.Response:
    """A page with one message, e.g. an error Keycloak shows instead of redirecting."""
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f'</title></head><body><h1>{escape(title)}</h1><p id="kc-error-message">'
        f"{escape(message)}</p></body></html>"
    )
    return web.Response(text=html, status=status, content_type="text/html", headers=_HEADERS)
