"""Minor-unit exponents of ISO 4217 currencies: exact decimal amounts and readable money."""

from __future__ import annotations

from decimal import Decimal

from services.common.money import Money

# Currencies whose minor unit is not 1/100 (ISO 4217 "minor unit" column); the rest use 2.
_EXPONENTS = {
    "BHD": 3,
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "PYG": 0,
    "RWF": 0,
    "TND": 3,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
}
DEFAULT_EXPONENT = 2


def exponent(currency_code: str) -> int:
    """Decimal places of currency_code's minor unit: EUR/GBP/USD/KES 2, JPY 0, KWD 3."""
    return _EXPONENTS.get(currency_code, DEFAULT_EXPONENT)


def to_decimal(money: Money) -> Decimal:
    """The exact major-unit amount: 123456 EUR minor units -> Decimal('1234.56')."""
    return Decimal(money.minor_units).scaleb(-exponent(money.currency_code))


def format_money(money: Money) -> str:
    """A readable amount with thousands separators: '1,234.56 EUR', '150,000 JPY'."""
    return f"{to_decimal(money):,.{exponent(money.currency_code)}f} {money.currency_code}"
