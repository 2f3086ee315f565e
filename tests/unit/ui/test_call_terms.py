"""A call's terms without a browser: typed values to a Call, dates checked, changes masked."""

from __future__ import annotations

from datetime import date

from nlc.common.v1.common_pb2 import Money
from nlc.grants.v1 import calls_pb2 as pb
from ui import call_terms
from ui.call_terms import TypedCall

CITY, TELECOM = "organisations/city", "organisations/telecom"


def _typed() -> TypedCall:
    typed = call_terms.new_call()
    typed.title, typed.currency = "Safer Streets 2027", "eur"
    typed.pledges = {CITY: 50_000.5, TELECOM: 25_000.0}
    typed.min_award, typed.max_award = 1_000.0, 20_000.0
    typed.min_match_percent, typed.in_kind_cap_percent = 12.5, 50.0
    typed.opens_on, typed.closes_on, typed.decision_by = (
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 3, 1),
    )
    typed.periodicity = 2
    return typed


def test_amounts_are_sent_in_minor_units_and_shares_in_basis_points() -> None:
    c = call_terms.call_from(_typed())
    assert c.currency_code == "EUR"
    assert [(f.organisation, f.pledge.minor_units) for f in c.funders] == [
        (CITY, 5_000_050),
        (TELECOM, 2_500_000),
    ]
    assert c.max_award == Money(currency_code="EUR", minor_units=2_000_000)
    assert (c.match_rule.min_match_bps, c.match_rule.in_kind_cap_bps) == (1_250, 5_000)
    assert [(p.code, p.share_bps, p.trigger) for p in c.tranche_plan] == [
        ("signing", 10_000, pb.TRANCHE_TRIGGER_ON_SIGNING)
    ]
    assert c.opens_at.ToJsonString() == "2027-01-01T00:00:00Z"
    assert c.closes_at.ToJsonString() == "2027-02-01T23:59:59Z"
    assert c.decision_date == "2027-03-01"


def test_a_close_before_the_opening_is_named_at_its_field() -> None:
    typed = _typed()
    assert call_terms.date_problems(typed) == {}
    typed.closes_on = date(2026, 12, 1)
    assert list(call_terms.date_problems(typed)) == ["call.closes_at"]


def test_a_new_call_is_created_whole() -> None:
    request = call_terms.save_request(None, call_terms.call_from(_typed()))
    assert isinstance(request, pb.CreateCallRequest)
    assert request.call.title == "Safer Streets 2027"


def test_an_edited_draft_sends_only_what_changed_under_its_etag() -> None:
    saved = call_terms.call_from(_typed())
    saved.name, saved.etag = "calls/c1", "7"
    saved.closes_at.FromJsonString("2027-02-01T17:30:00Z")
    unchanged = call_terms.call_from(call_terms.typed_from(saved))
    assert call_terms.save_request(saved, unchanged) is None

    typed = call_terms.typed_from(saved)
    typed.title = "Safer Streets 2027 (extended)"
    request = call_terms.save_request(saved, call_terms.call_from(typed))
    assert isinstance(request, pb.UpdateCallRequest)
    assert list(request.update_mask.paths) == ["title"]
    assert (request.call.name, request.call.etag) == ("calls/c1", "7")
