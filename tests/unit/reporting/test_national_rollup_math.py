"""How a roll-up row becomes what the national view shows: sum or mean, and the share of the
target reached, direction-aware, in basis points clipped to [0, 100000]."""

from __future__ import annotations

import pytest

from services.reporting.domain.plans import Aggregation, Direction
from services.reporting.queries.national.indicators import (
    RollupSums,
    rolled_up,
    share_of_target_bps,
)

UP, DOWN = Direction.UP, Direction.DOWN


@pytest.mark.parametrize(
    ("direction", "actual", "target", "baseline", "bps"),
    [
        (UP, 75, 100, 0, 7_500),
        (UP, 100, 100, 40, 10_000),
        (UP, 2, 3, 0, 6_667),
        (UP, 5_000, 100, 0, 100_000),
        (UP, -5, 100, 0, 0),
        (UP, 10, 0, 0, 0),
        (DOWN, 15, 5, 25, 5_000),
        (DOWN, 5, 5, 25, 10_000),
        (DOWN, 30, 5, 25, 0),
        (DOWN, 0, 24, 25, 100_000),
        (DOWN, 10, 25, 25, 0),
    ],
)
def test_share_of_target(direction, actual, target, baseline, bps):
    assert share_of_target_bps(direction, actual, target, baseline) == bps


def test_a_sum_indicator_shows_the_sums():
    row = rolled_up(RollupSums("P1.OUT.1", "2026-H1", Aggregation.SUM, UP, 300, 400, 100, 3))
    assert (row.actual, row.target, row.baseline, row.places) == (300, 400, 100, 3)
    assert row.share_of_target_bps == 7_500


def test_an_average_indicator_shows_the_means_of_the_places():
    row = rolled_up(RollupSums("P4.IM.1", "2026-H1", Aggregation.AVERAGE, DOWN, 30, 10, 50, 2))
    assert (row.actual, row.target, row.baseline) == (15, 5, 25)
    assert row.share_of_target_bps == 5_000


def test_overflowing_sums_give_no_share_rather_than_an_error():
    row = rolled_up(RollupSums("X", "2026-H1", Aggregation.SUM, UP, 1e308, 1e-308, 0, 1))
    assert row.share_of_target_bps == 0
