"""Eligibility reasons in an applicant's words, and subtree membership by parent links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.grants.domain import percent
from services.grants.domain.eligibility import (
    Area,
    Eligibility,
    KnownOrganisation,
    OrganisationKind,
    VerificationState,
    applicant_reasons,
)

TREE = {"city": "region", "region": "country", "country": None, "south": "country"}
NORTH = Area("region", "Northern Region", TREE)


def org(state=VerificationState.VERIFIED, kind=OrganisationKind.CSO, place="city"):
    return KnownOrganisation("o", "Bridges", kind, state, place)


def test_a_verified_cso_in_the_area_is_eligible() -> None:
    assert applicant_reasons(Eligibility(jurisdiction_id="region"), org(), NORTH) == []


def test_every_failed_rule_is_one_reason() -> None:
    reasons = applicant_reasons(
        Eligibility(jurisdiction_id="region"),
        org(VerificationState.SUSPENDED, OrganisationKind.PRIVATE_SECTOR, "south"),
        NORTH,
    )
    assert reasons == [
        "your organisation's verification is suspended; it cannot apply until reinstated",
        "this call is open to CSOs only; your organisation is private sector",
        "your organisation is outside the call's area (Northern Region)",
    ]


def test_unverified_is_fine_when_the_call_does_not_ask_and_kinds_widen() -> None:
    rules = Eligibility(
        applicant_kinds=(OrganisationKind.CSO, OrganisationKind.RESEARCH), must_be_verified=False
    )
    assert (
        applicant_reasons(rules, org(VerificationState.PENDING, OrganisationKind.RESEARCH), None)
        == []
    )
    assert applicant_reasons(Eligibility(), None, None)[0].startswith(
        "your organisation is not known"
    )


def test_area_membership_follows_parents_and_survives_cycles() -> None:
    assert NORTH.contains("city") and NORTH.contains("region")
    assert not NORTH.contains("south") and not NORTH.contains(None)
    assert not Area("x", "X", {"a": "b", "b": "a"}).contains("a")


@given(st.integers(min_value=0, max_value=10_000))
def test_percent_reads_back_to_the_same_basis_points(bps: int) -> None:
    text = percent(bps)
    assert text.endswith("%")
    assert round(float(text[:-1]) * 100) == bps
