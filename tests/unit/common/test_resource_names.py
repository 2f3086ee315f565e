"""Caller names, dates and times parse to a violation naming the field, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from services.common.errors import InvalidArgument
from services.common.resource_names import parse_date, parse_name, parse_timestamp


@pytest.mark.parametrize(
    ("seconds", "nanos"), [(0, -1), (1, 1_000_000_000), (2**62, 0), (-(2**62), 0)]
)
def test_an_out_of_range_timestamp_is_invalid_argument_on_its_field(seconds, nanos) -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_timestamp(Timestamp(seconds=seconds, nanos=nanos), field="call.closes_at")
    assert [v.field for v in refused.value.violations] == ["call.closes_at"]


def test_a_valid_timestamp_is_an_aware_utc_datetime() -> None:
    parsed = parse_timestamp(Timestamp(seconds=1_772_442_000), field="t")
    assert parsed == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_huge_caller_value_is_quoted_within_a_bound() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_name("organisations/" + "x" * 10_000, "organisations")
    assert len(refused.value.violations[0].description) < 200


def test_an_impossible_date_names_the_field() -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_date("2026-02-30", field="mandate.effective_from")
    assert refused.value.violations[0].field == "mandate.effective_from"
