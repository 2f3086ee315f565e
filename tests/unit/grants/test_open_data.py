"""360Giving export: exact amounts, co-funders, per-funder transactions, withheld names, schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.common.currencies import format_money, to_decimal
from services.common.money import Money
from services.grants.domain.awards import Award, AwardItem, Candidate, decide, make_award, sign
from services.grants.domain.calls import (
    Call,
    CallState,
    CallTerms,
    Funder,
    PlannedTranche,
    TrancheTrigger,
)
from services.grants.domain.ledger import Pool
from services.grants.open_data.mapping import GrantRecord, Org, dumps, to_package
from services.grants.open_data.schema import problems, regrant_types

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CITY = Org("0b1c7a52-0000-4000-8000-000000000002", "Riverton City Hall")
DONOR = Org("0b1c7a52-0000-4000-8000-000000000004", "Ardenia Telecom Foundation")
GRANTEE = Org("0b1c7a52-0000-4000-8000-000000000003", "Bridges Youth Network")


def _call(currency: str, funders: tuple[Org, ...], pledge: int) -> Call:
    terms = CallTerms(
        title="Shared Endeavour Fund",
        currency_code=currency,
        funders=tuple(Funder(f.id, f.name, Money(currency, pledge)) for f in funders),
        min_award=Money(currency, 1),
        max_award=Money(currency, pledge),
        tranche_plan=(
            PlannedTranche("T1", 5000, TrancheTrigger.ON_SIGNING),
            PlannedTranche("T2", 5000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
        ),
    )
    return Call(f"call-{currency}", CITY.id, terms, CallState.CLOSED)


def _award(call: Call, award_id: str, amount: int, *, withhold: bool = False) -> Award:
    item = AwardItem(
        f"app-{award_id}", Money(call.currency, amount), withhold_grantee_name=withhold
    )
    app = Candidate(item.application_id, call.id, GRANTEE.id, "submitted", None)
    pledges = {f.organisation_id: f.pledge.minor_units for f in call.terms.funders}
    shares = decide(call, [item], {app.id: app}, Pool.of(call.currency, pledges))[0]
    return make_award(award_id, call, item, app, shares, T0)


def _record(call: Call, award: Award, funders: tuple[Org, ...], *, match: bool) -> GrantRecord:
    return GrantRecord(
        award, call.terms.title, "Youth mentoring", "Mentors for 40 young people", GRANTEE,
        funders, match,
    )  # fmt: skip


def _package() -> tuple[dict, list[Award]]:
    eur = _call("EUR", (CITY, DONOR), 3_000_000)
    jpy = _call("JPY", (DONOR,), 5_000_000)
    signed = _award(eur, "aw-eur-1", 1_234_567)
    sign(signed, T0 + timedelta(days=1), None)
    withheld = _award(eur, "aw-eur-2", 500_001, withhold=True)
    yen = _award(jpy, "aw-jpy-1", 1_500_000)
    records = [
        _record(eur, signed, (CITY, DONOR), match=True),
        _record(eur, withheld, (CITY, DONOR), match=False),
        _record(jpy, yen, (DONOR,), match=True),
    ]
    return to_package(records), [signed, withheld, yen]


def test_export_validates_against_the_official_schema() -> None:
    package, _ = _package()
    assert problems(package) == []
    assert problems(json.loads(dumps(package), parse_float=Decimal)) == []


def test_amounts_are_exact_decimals_of_minor_units() -> None:
    package, _ = _package()
    text = json.loads(dumps(package), parse_float=Decimal)
    eur, _withheld, yen = text["grants"]
    assert eur["amountAwarded"] == Decimal("12345.67")
    assert '"amountAwarded": 12345.67' in dumps(package)
    assert eur["amountDisbursed"] == Decimal("6172.84")
    assert yen["amountAwarded"] == 1_500_000 and yen["currency"] == "JPY"


def test_every_co_funder_with_its_commitment_and_disbursement() -> None:
    package, _ = _package()
    grant = package["grants"][0]
    assert [f["name"] for f in grant["fundingOrganization"]] == [CITY.name, DONOR.name]
    commitments = grant["commitmentTransaction"]
    assert [c["provider"] for c in commitments] == [
        f"360G-nlc-org-{CITY.id}",
        f"360G-nlc-org-{DONOR.id}",
    ]
    assert sum(c["value"] for c in commitments) == grant["amountAwarded"]
    disbursed = grant["disbursementTransaction"]
    assert len(disbursed) == 2 and sum(d["value"] for d in disbursed) == grant["amountDisbursed"]
    assert grant["regrantType"] == "FRG040"
    assert package["grants"][2]["regrantType"] == "FRG030"
    assert {"FRG030", "FRG040"} <= set(regrant_types())


def test_withheld_grantee_is_not_named_anywhere() -> None:
    package, (_, withheld, _) = _package()
    grant = package["grants"][1]
    assert grant["recipientOrganization"] == [
        {"id": f"360G-nlc-withheld-{withheld.id}", "name": "Withheld recipient"}
    ]
    text = dumps(grant)
    assert GRANTEE.name not in text and GRANTEE.id not in text and "mentoring" not in text


def test_grant_ids_carry_the_prefix() -> None:
    package, awards = _package()
    assert [g["id"] for g in package["grants"]] == [f"360G-nlc-{a.id}" for a in awards]


@given(units=st.integers(0, 10**15), currency=st.sampled_from(["EUR", "GBP", "USD", "KES", "JPY"]))
def test_decimal_round_trips_minor_units(units: int, currency: str) -> None:
    value = json.loads(dumps({"v": to_decimal(Money(currency, units))}), parse_float=Decimal)["v"]
    scale = 1 if currency == "JPY" else 100
    assert Decimal(value) * scale == units


def test_format_money_is_readable() -> None:
    assert format_money(Money("EUR", 123456)) == "1,234.56 EUR"
    assert format_money(Money("JPY", 150000)) == "150,000 JPY"
