"""Money as integer minor units with an ISO 4217 code; splits by largest remainder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.common.errors import invalid

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
BPS_WHOLE = 10_000


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units (cents, pence) of one currency."""

    currency_code: str
    minor_units: int

    def __add__(self, other: Money) -> Money:
        return Money(self.currency_code, self.minor_units + _same(self, other).minor_units)

    def __sub__(self, other: Money) -> Money:
        return Money(self.currency_code, self.minor_units - _same(self, other).minor_units)

    @classmethod
    def zero(cls, currency_code: str) -> Money:
        return cls(currency_code, 0)


def _same(a: Money, b: Money) -> Money:
    if a.currency_code != b.currency_code:
        raise ValueError(f"cannot combine {a.currency_code} with {b.currency_code}")
    return b


# Far above any budget (10 trillion in a two-decimal currency), far below int64 overflow in sums.
MAX_MINOR_UNITS = 10**15


def parse_money(
    currency_code: str, minor_units: int, *, field: str, currency: str | None = None
) -> Money:
    """Checked Money from API fields: a 3-letter code (equal to `currency` if given), units >= 0."""
    if not CURRENCY_CODE.match(currency_code or ""):
        raise invalid(f"{field}.currency_code", "must be a three-letter ISO 4217 code such as EUR")
    if currency is not None and currency_code != currency:
        raise invalid(f"{field}.currency_code", f"must be {currency}, the currency of the call")
    if minor_units < 0:
        raise invalid(f"{field}.minor_units", "must not be negative")
    if minor_units > MAX_MINOR_UNITS:
        raise invalid(f"{field}.minor_units", f"must be at most {MAX_MINOR_UNITS}")
    return Money(currency_code, minor_units)


def split_by_weights(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` minor units in proportion to non-negative integer weights.

    Largest-remainder rounding: every part is the floor of its exact share, and the units left
    over go one each to the parts with the largest remainders (earlier parts win ties), so the
    parts always sum to `total`.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if not weights or weight_sum == 0:
        raise ValueError("at least one weight must be positive")
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:leftover]:
        floors[index] += 1
    return floors


def share_bps(part: int, whole: int) -> int:
    """part / whole in basis points, rounded down (0 when whole is 0)."""
    return part * BPS_WHOLE // whole if whole else 0
