"""Reporting cycles: one period of a series (periodicity + fiscal start month) and its dates.

Codes: "2026-H1", "2026-Q3", "2026-Y" for fiscal years starting in January; other start months
prefix "FYmm-" and name the calendar year the fiscal year starts in ("FY07-2026-H1" is
2026-07-01..2026-12-31). The period ends on period_end; reports open 13 days before it, are due
30 days after it and lock after 14 grace days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.common.vocabulary import ReportingPeriodicity

OPEN_BEFORE_END_DAYS = 13
DUE_AFTER_END_DAYS = 30
GRACE_DAYS = 14
MIN_YEAR = 1900
MAX_YEAR = 9000
MONTHS = {
    ReportingPeriodicity.QUARTERLY: 3,
    ReportingPeriodicity.SEMIANNUAL: 6,
    ReportingPeriodicity.ANNUAL: 12,
}
LETTER = {
    ReportingPeriodicity.QUARTERLY: "Q",
    ReportingPeriodicity.SEMIANNUAL: "H",
    ReportingPeriodicity.ANNUAL: "Y",
}
CODE = re.compile(r"^(?:FY(0[2-9]|1[0-2])-)?(\d{4})-(?:([HQ])([1-4])|Y)$")


class CycleState(StrEnum):
    """Upcoming before open_on, open until due_on, overdue until lock_on, locked after."""

    UPCOMING = "upcoming"
    OPEN = "open"
    OVERDUE = "overdue"
    LOCKED = "locked"


def _month_start(year: int, month_index: int) -> date:
    """The first day of the month month_index (0-based, may pass 11) months into year."""
    return date(year + month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class Cycle:
    """One period of a series and the dates that follow from it."""

    code: str
    periodicity: ReportingPeriodicity
    fiscal_start_month: int
    period_start: date
    period_end: date
    open_on: date
    due_on: date
    grace_days: int
    lock_on: date

    def next(self) -> Cycle:
        """The cycle of the same series after this one."""
        return cycle_containing(
            self.period_end + timedelta(days=1), self.periodicity, self.fiscal_start_month
        )


def _check_series(periodicity: ReportingPeriodicity, fiscal_start_month: int) -> None:
    if periodicity not in MONTHS:
        raise ValueError(f"unknown periodicity {periodicity!r}")
    if not 1 <= fiscal_start_month <= 12:
        raise ValueError(f"fiscal start month {fiscal_start_month} is not 1-12")


def make_cycle(
    periodicity: ReportingPeriodicity, fiscal_start_month: int, fiscal_year: int, number: int
) -> Cycle:
    """Period `number` (1-based) of the fiscal year starting in fiscal_year."""
    _check_series(periodicity, fiscal_start_month)
    length = MONTHS[periodicity]
    if not 1 <= number <= 12 // length:
        raise ValueError(f"a {periodicity} series has no period {number}")
    if not MIN_YEAR <= fiscal_year <= MAX_YEAR:
        raise ValueError(f"year {fiscal_year} is outside {MIN_YEAR}-{MAX_YEAR}")
    first = fiscal_start_month - 1 + (number - 1) * length
    start = _month_start(fiscal_year, first)
    end = _month_start(fiscal_year, first + length) - timedelta(days=1)
    prefix = "" if fiscal_start_month == 1 else f"FY{fiscal_start_month:02d}-"
    letter = LETTER[periodicity]
    suffix = letter if periodicity == ReportingPeriodicity.ANNUAL else f"{letter}{number}"
    due = end + timedelta(days=DUE_AFTER_END_DAYS)
    return Cycle(
        code=f"{prefix}{fiscal_year}-{suffix}",
        periodicity=periodicity,
        fiscal_start_month=fiscal_start_month,
        period_start=start,
        period_end=end,
        open_on=end - timedelta(days=OPEN_BEFORE_END_DAYS),
        due_on=due,
        grace_days=GRACE_DAYS,
        lock_on=due + timedelta(days=GRACE_DAYS),
    )


def cycle_containing(
    day: date, periodicity: ReportingPeriodicity, fiscal_start_month: int = 1
) -> Cycle:
    """The cycle of the series whose period contains day."""
    _check_series(periodicity, fiscal_start_month)
    fiscal_year = day.year if day.month >= fiscal_start_month else day.year - 1
    months_in = (day.month - fiscal_start_month) % 12
    return make_cycle(
        periodicity, fiscal_start_month, fiscal_year, months_in // MONTHS[periodicity] + 1
    )


def cycle_from_code(code: str) -> Cycle:
    """The cycle a code names; ValueError when it names none."""
    match = CODE.fullmatch(code)
    if match is None:
        raise ValueError(f"{code!r} is not a cycle code such as 2026-H1 or FY07-2026-Q3")
    month, year, letter, number = match.groups()
    periodicity = {"H": ReportingPeriodicity.SEMIANNUAL, "Q": ReportingPeriodicity.QUARTERLY}.get(
        letter or "", ReportingPeriodicity.ANNUAL
    )
    return make_cycle(periodicity, int(month or 1), int(year), int(number or 1))


def cycle_state(cycle: Cycle, today: date) -> CycleState:
    """Where the cycle stands on today (each boundary day belongs to the earlier state)."""
    if today < cycle.open_on:
        return CycleState.UPCOMING
    if today <= cycle.due_on:
        return CycleState.OPEN
    if today <= cycle.lock_on:
        return CycleState.OVERDUE
    return CycleState.LOCKED


def cycles_between(
    first_day: date, last_day: date, periodicity: ReportingPeriodicity, fiscal_start_month: int
) -> list[Cycle]:
    """The cycles of a series from the one containing first_day to the one containing last_day."""
    found: list[Cycle] = []
    cycle = cycle_containing(first_day, periodicity, fiscal_start_month)
    while cycle.period_start <= last_day:
        found.append(cycle)
        cycle = cycle.next()
    return found
