"""Cycle codes, dates, fiscal start months, the next cycle and the state on boundary days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.vocabulary import ReportingPeriodicity as P
from services.reporting.domain.cycles import (
    CycleState,
    cycle_containing,
    cycle_from_code,
    cycle_state,
    cycles_between,
)


def test_default_series_is_two_halves_of_the_calendar_year() -> None:
    first = cycle_containing(date(2026, 3, 2), P.SEMIANNUAL)
    second = first.next()
    assert (first.code, first.period_start, first.period_end) == (
        "2026-H1",
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert (second.code, second.period_start, second.period_end) == (
        "2026-H2",
        date(2026, 7, 1),
        date(2026, 12, 31),
    )
    assert second.next().code == "2027-H1"


def test_dates_follow_from_the_period_end() -> None:
    cycle = cycle_containing(date(2026, 6, 30), P.SEMIANNUAL)
    assert cycle.open_on == date(2026, 6, 17)
    assert cycle.due_on == date(2026, 7, 30)
    assert cycle.grace_days == 14
    assert cycle.lock_on == date(2026, 8, 13)


def test_other_fiscal_start_months_name_the_year_the_fiscal_year_starts() -> None:
    july = cycle_from_code("FY07-2026-H1")
    assert (july.period_start, july.period_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert cycle_containing(date(2027, 3, 15), P.SEMIANNUAL, 7).code == "FY07-2026-H2"
    assert cycle_containing(date(2026, 3, 15), P.QUARTERLY, 4).code == "FY04-2025-Q4"
    april_year = cycle_containing(date(2026, 3, 31), P.ANNUAL, 4)
    assert (april_year.code, april_year.period_start, april_year.period_end) == (
        "FY04-2025-Y",
        date(2025, 4, 1),
        date(2026, 3, 31),
    )


def test_quarters_and_years() -> None:
    quarters = cycles_between(date(2026, 1, 1), date(2026, 12, 31), P.QUARTERLY, 1)
    assert [q.code for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters[2].period_end == date(2026, 9, 30)
    year = cycle_containing(date(2026, 8, 1), P.ANNUAL)
    assert (year.code, year.period_end, year.next().code) == (
        "2026-Y",
        date(2026, 12, 31),
        "2027-Y",
    )


@pytest.mark.parametrize("code", ["2026-H1", "2026-Q4", "2026-Y", "FY07-2026-H2", "FY12-2030-Q1"])
def test_codes_round_trip(code: str) -> None:
    cycle = cycle_from_code(code)
    assert cycle.code == code
    assert (
        cycle_containing(cycle.period_start, cycle.periodicity, cycle.fiscal_start_month) == cycle
    )


@pytest.mark.parametrize(
    "code", ["", "2026", "2026-H3", "2026-Q5", "2026-Q0", "FY01-2026-H1", "FY13-2026-Y", "26-H1",
             "2026-h1", "2026-H1 ", "FY7-2026-H1", "0001-H1"],
)  # fmt: skip
def test_bad_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError):
        cycle_from_code(code)


def test_state_on_boundary_days() -> None:
    cycle = cycle_from_code("2026-H1")
    day = timedelta(days=1)
    assert cycle_state(cycle, cycle.open_on - day) == CycleState.UPCOMING
    assert cycle_state(cycle, cycle.open_on) == CycleState.OPEN
    assert cycle_state(cycle, cycle.due_on) == CycleState.OPEN
    assert cycle_state(cycle, cycle.due_on + day) == CycleState.OVERDUE
    assert cycle_state(cycle, cycle.lock_on) == CycleState.OVERDUE
    assert cycle_state(cycle, cycle.lock_on + day) == CycleState.LOCKED


@given(
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2999, 12, 31)),
    periodicity=st.sampled_from(list(P)),
    month=st.integers(min_value=1, max_value=12),
)
def test_every_day_lies_in_exactly_one_cycle_and_cycles_are_contiguous(
    day: date, periodicity: P, month: int
) -> None:
    cycle = cycle_containing(day, periodicity, month)
    assert cycle.period_start <= day <= cycle.period_end
    assert cycle.period_start.day == 1
    assert cycle.next().period_start == cycle.period_end + timedelta(days=1)
    assert cycle_from_code(cycle.code) == cycle
