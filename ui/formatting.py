"""How pages show money, dates, organisations and empty results."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from services.common.currencies import format_money
from services.common.money import Money

ORG_PREFIX = "organisations/"
SHORT_ID = 8
MISSING = "—"


def money(minor_units: int, currency: str) -> str:
    """A readable amount: money(123456, 'EUR') -> '1,234.56 EUR'."""
    return format_money(Money(currency, int(minor_units)))


def date_text(iso: str | date | None) -> str:
    """An unambiguous date ('5 Mar 2026', with the time when given) from ISO text or a date."""
    if not iso:
        return MISSING
    try:
        moment = iso if isinstance(iso, date) else datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    text = f"{moment.day} {moment:%b %Y}"
    if isinstance(moment, datetime) and (moment.hour, moment.minute) != (0, 0):
        text += f", {moment:%H:%M}"
    return text


def org_label(name: str) -> str:
    """A short label for an organisation name: 'organisations/0b1c7a52-…' -> '0b1c7a52'."""
    org_id = name.removeprefix(ORG_PREFIX)
    return org_id[:SHORT_ID] if len(org_id) > SHORT_ID else org_id or MISSING


def role_label(role: str) -> str:
    """A realm role as people say it: 'national-reviewer' -> 'National reviewer'."""
    return role.replace("-", " ").capitalize()


def empty_state(text: str) -> None:
    """Say plainly that there is nothing to show yet."""
    st.info(text, icon=":material/inbox:")
