"""Pure grants rules: calls, applications, eligibility (no I/O)."""

from __future__ import annotations

from services.common.money import BPS_WHOLE


def percent(bps: int) -> str:
    """Basis points as a percentage with two decimals: 325 -> '3.25%'."""
    sign = "-" if bps < 0 else ""
    whole, part = divmod(abs(bps), 100)
    return f"{sign}{whole}.{part:02d}%"


def bps_in_range(value: int) -> bool:
    """True for a share between 0 and 100 % in basis points."""
    return 0 <= value <= BPS_WHOLE
