"""How pages show money, dates, organisations and empty results."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import streamlit as st

from services.common.currencies import exponent, format_money, to_decimal
from services.common.money import Money

ORG_PREFIX = "organisations/"
SHORT_ID = 8
MISSING = "—"
BPS_PER_PERCENT = 100


def money(minor_units: int, currency: str) -> str:
    """A readable amount: money(123456, 'EUR') -> '1,234.56 EUR'."""
    return format_money(Money(currency, int(minor_units)))


def major_units(minor_units: int, currency: str) -> float:
    """An amount as people type it and charts plot it: (123456, 'EUR') -> 1234.56."""
    return float(to_decimal(Money(currency, int(minor_units))))


def minor_units(major: float | None, currency: str) -> int:
    """An amount typed in major units as whole minor units: (1234.56, 'EUR') -> 123456;
    nothing typed is 0."""
    if major is None or math.isnan(major):
        return 0
    scaled = Decimal(str(major)).scaleb(exponent(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def money_step(currency: str) -> float:
    """The smallest amount of currency, as the step of an amount input: EUR 0.01, JPY 1."""
    return float(Decimal(1).scaleb(-exponent(currency)))


def money_format(currency: str) -> str:
    """The printf format of amounts in currency: EUR '%.2f', JPY '%.0f'."""
    return f"%.{exponent(currency)}f"


def percent(bps: int) -> str:
    """Basis points as a percentage: 2000 -> '20%', 625 -> '6.25%'."""
    return f"{bps / BPS_PER_PERCENT:g}%"


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
