"""Largest-remainder splits always add up and stay proportional; money never mixes currencies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import InvalidArgument
from services.common.money import Money, parse_money, share_bps, split_by_weights


@given(
    total=st.integers(0, 10**12),
    weights=st.lists(st.integers(0, 10**9), min_size=1, max_size=8).filter(any),
)
def test_parts_sum_to_the_whole_and_each_is_within_one_unit_of_its_exact_share(total, weights):
    parts = split_by_weights(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact_times_sum = total * weight
        assert part * weight_sum <= exact_times_sum + weight_sum
        assert part * weight_sum >= exact_times_sum - weight_sum


def test_half_and_half_pool_splits_an_odd_award_deterministically() -> None:
    assert split_by_weights(1_001, [400_000_00, 400_000_00]) == [501, 500]


def test_three_funders_get_the_leftover_units_by_largest_remainder() -> None:
    assert split_by_weights(100, [1, 1, 1]) == [34, 33, 33]
    assert split_by_weights(10, [2, 3, 5]) == [2, 3, 5]
    assert split_by_weights(7, [1, 2]) == [2, 5]


def test_a_zero_weight_gets_nothing() -> None:
    assert split_by_weights(999, [0, 1]) == [0, 999]


def test_money_refuses_to_mix_currencies() -> None:
    with pytest.raises(ValueError):
        _ = Money("EUR", 1) + Money("GBP", 1)
    assert Money("EUR", 5) - Money("EUR", 2) == Money("EUR", 3)


def test_parse_money_names_the_field_that_is_wrong() -> None:
    with pytest.raises(InvalidArgument) as bad_code:
        parse_money("eur", 100, field="call.min_award")
    assert bad_code.value.violations[0].field == "call.min_award.currency_code"
    with pytest.raises(InvalidArgument) as negative:
        parse_money("EUR", -1, field="pledge")
    assert negative.value.violations[0].field == "pledge.minor_units"
    with pytest.raises(InvalidArgument) as other_currency:
        parse_money("GBP", 1, field="amount", currency="EUR")
    assert "EUR" in other_currency.value.violations[0].description


def test_share_in_basis_points() -> None:
    assert share_bps(25, 100) == 2_500
    assert share_bps(1, 3) == 3_333
    assert share_bps(5, 0) == 0
