"""A call's pool per funder: pledged, committed, disbursed and available, always balanced."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from services.common.currencies import format_money
from services.common.money import Money


@dataclass(frozen=True)
class Position:
    """One funder's (or the whole call's) money in minor units; available = pledged - committed."""

    funder_id: str
    pledged: int
    committed: int = 0
    disbursed: int = 0

    @property
    def available(self) -> int:
        return self.pledged - self.committed

    def balanced(self) -> bool:
        """0 <= disbursed <= committed <= pledged."""
        return 0 <= self.disbursed <= self.committed <= self.pledged


class Pool:
    """The positions of a call's funders, in the call's order; the total is their sum."""

    def __init__(self, currency: str, positions: Iterable[Position]) -> None:
        self.currency = currency
        self.positions = {p.funder_id: p for p in positions}

    @classmethod
    def of(
        cls,
        currency: str,
        pledges: Mapping[str, int],
        committed: Mapping[str, int] | None = None,
        disbursed: Mapping[str, int] | None = None,
    ) -> Pool:
        """A pool from pledges and what is already committed and disbursed per funder."""
        committed, disbursed = committed or {}, disbursed or {}
        return cls(
            currency,
            (Position(f, p, committed.get(f, 0), disbursed.get(f, 0)) for f, p in pledges.items()),
        )

    def copy(self) -> Pool:
        return Pool(self.currency, self.positions.values())

    @property
    def funder_ids(self) -> list[str]:
        return list(self.positions)

    def total(self) -> Position:
        rows = self.positions.values()
        return Position(
            "",
            sum(r.pledged for r in rows),
            sum(r.committed for r in rows),
            sum(r.disbursed for r in rows),
        )

    def money(self, minor_units: int) -> str:
        return format_money(Money(self.currency, minor_units))

    def commit(self, shares: Mapping[str, int]) -> None:
        """Add an award's funder shares to committed; the caller checked they fit (see fits)."""
        for funder, amount in shares.items():
            p = self.positions[funder]
            self.positions[funder] = replace(p, committed=p.committed + amount)

    def disburse(self, shares: Mapping[str, int]) -> None:
        """Add a released tranche's funder shares to disbursed."""
        for funder, amount in shares.items():
            p = self.positions[funder]
            self.positions[funder] = replace(p, disbursed=p.disbursed + amount)

    def shortfalls(self, shares: Mapping[str, int]) -> list[tuple[str, int, int]]:
        """(funder, share, available) for each share above what that funder has left."""
        return [
            (f, amount, self.positions[f].available)
            for f, amount in shares.items()
            if amount > self.positions[f].available
        ]

    def balanced(self) -> bool:
        """Every row and the total balance, and the total is the sum of the rows."""
        return all(p.balanced() for p in self.positions.values()) and self.total().balanced()
