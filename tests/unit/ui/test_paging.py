"""When a page says a list was cut: only when the service held back a next page."""

from __future__ import annotations

from nlc.infoshare.v1 import infoshare_pb2
from nlc.reporting.v1 import cycles_pb2
from ui.client import PAGE_SIZE
from ui.paging import cut_notice, more_than_shown


def test_a_reply_with_a_next_page_token_was_cut() -> None:
    shares = infoshare_pb2.ListSharesResponse(next_page_token="page-2")
    expected = cycles_pb2.ListExpectedReportsResponse(next_page_token="b2Zmc2V0PTUwMA")
    assert more_than_shown(shares)
    assert more_than_shown(expected)


def test_a_reply_without_one_is_whole_however_long() -> None:
    full = cycles_pb2.ListExpectedReportsResponse(
        expected_reports=[cycles_pb2.ExpectedReport() for _ in range(PAGE_SIZE)]
    )
    assert not more_than_shown(full)
    assert not more_than_shown(infoshare_pb2.ListSharesResponse())


def test_the_notice_says_how_many_are_shown_and_what_to_do() -> None:
    assert cut_notice("shares (newest first)", "older ones are not listed") == (
        f"Showing the first {PAGE_SIZE} shares (newest first); there are more: "
        "older ones are not listed."
    )
    assert cut_notice("records").endswith("there are more: narrow the filter to see the others.")
