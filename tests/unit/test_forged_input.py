"""Forged page tokens, Unicode digits and huge amounts are caller errors, never server errors."""

from __future__ import annotations

import base64
import json

import pytest

from services.common.errors import InvalidArgument
from services.common.money import MAX_MINOR_UNITS, parse_money
from services.common.paging import decode_token, encode_token
from services.reporting.convert.plans import parse_version_name

QUERY = {"organisation": "x"}
PLAN = "actionPlans/0b1c7a52-0004-4000-8000-000000000001"


def _forged(offset: object) -> str:
    real = encode_token(10, QUERY)
    body = json.loads(base64.urlsafe_b64decode(real + "=" * (-len(real) % 4)))
    body["o"] = offset
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def test_a_real_token_decodes_to_its_offset() -> None:
    assert decode_token(encode_token(10, QUERY), QUERY) == 10


@pytest.mark.parametrize("offset", [2**63, 2**70, 1e300, -1, "10", None, 1.5])
def test_a_forged_offset_is_an_invalid_page_token(offset: object) -> None:
    with pytest.raises(InvalidArgument) as exc:
        decode_token(_forged(offset), QUERY)
    assert exc.value.violations[0].field == "page_token"


@pytest.mark.parametrize("number", ["\u00b2", "\u0661", "1_0", " 1", "0", "12345678"])
def test_a_version_number_is_ascii_digits_only(number: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_version_name(f"{PLAN}/versions/{number}")


def test_a_version_name_parses() -> None:
    assert parse_version_name(f"{PLAN}/versions/3")[1] == 3


def test_an_amount_beyond_any_budget_is_refused_naming_the_field() -> None:
    assert parse_money("EUR", MAX_MINOR_UNITS, field="amount").minor_units == MAX_MINOR_UNITS
    with pytest.raises(InvalidArgument) as exc:
        parse_money("EUR", 2**62, field="support_requests[0].amount")
    assert exc.value.violations[0].field == "support_requests[0].amount.minor_units"
