"""An error that echoes a huge input still fits the 8 KiB trailers a gRPC client accepts."""

from __future__ import annotations

from services.common.errors import InvalidArgument, Violation
from services.common.rich_status import MAX_DETAIL_VIOLATIONS, to_grpc_status

CLIENT_TRAILER_LIMIT = 8192


def _trailer_bytes(error: InvalidArgument) -> int:
    status = to_grpc_status(error)
    return len(status.details) + sum(len(k) + len(v) for k, v in status.trailing_metadata)


def test_oversized_message_and_violations_are_clipped_below_the_client_limit() -> None:
    huge = "x" * 20_000
    error = InvalidArgument(
        f"name: '{huge}' is not valid",
        [Violation(f"field_{i}.{huge}", f"'{huge}' is not valid") for i in range(100)],
    )
    assert _trailer_bytes(error) < CLIENT_TRAILER_LIMIT // 2


def test_past_the_cap_the_last_violation_counts_the_rest() -> None:
    error = InvalidArgument("bad", [Violation(f"f{i}", "wrong") for i in range(30)])
    status = to_grpc_status(error)
    details = dict(status.trailing_metadata)["grpc-status-details-bin"]
    assert b"and 21 more problems" in details
    assert details.count(b"wrong") == MAX_DETAIL_VIOLATIONS - 1


def test_short_errors_are_passed_through_whole() -> None:
    error = InvalidArgument("display_name: is required", [Violation("display_name", "is required")])
    assert to_grpc_status(error).details == "display_name: is required"
