"""Agreement terms rules: one violation per problem, each at its field path."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.common.errors import InvalidArgument
from services.infoshare.domain.agreement_rules import check_terms
from services.infoshare.domain.agreements import AgreementTerms, DataFlow, Party, PartyRole
from services.infoshare.domain.categories import DataCategory as C
from services.infoshare.domain.categories import LawfulBasis
from services.infoshare.domain.purposes import Purpose

TODAY = date(2026, 3, 2)
A, B, X = "org-a", "org-b", "org-x"
REFERRAL = Purpose(
    "referral", "Referrals", LawfulBasis.PUBLIC_TASK, frozenset({C.IDENTITY, C.FACT}), 365, False
)
TRENDS = Purpose(
    "trends",
    "Trends",
    LawfulBasis.LEGITIMATE_INTERESTS,
    frozenset({C.AGGREGATE_STATISTICS}),
    30,
    False,
)
KNOWN = {p.code: p for p in (REFERRAL, TRENDS)}


def sample(**changes: object) -> AgreementTerms:
    base = AgreementTerms(
        title="Safeguarding",
        parties=(Party(A, PartyRole.PROVIDER_AND_RECIPIENT), Party(B, PartyRole.RECIPIENT)),
        purposes=("referral",),
        flows=(DataFlow(A, B, frozenset({C.IDENTITY, C.FACT})),),
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 12, 31),
    )
    return replace(base, **changes)


def problems(terms: AgreementTerms) -> list[str]:
    with pytest.raises(InvalidArgument) as caught:
        check_terms(terms, KNOWN, TODAY)
    return sorted(v.field for v in caught.value.violations)


def test_good_terms_pass() -> None:
    check_terms(sample(), KNOWN, TODAY)
    both = sample(
        purposes=("referral", "trends"),
        flows=(DataFlow(A, B, frozenset({C.AGGREGATE_STATISTICS})),),
    )
    check_terms(both, KNOWN, TODAY)


def test_parties_two_or_more_and_distinct() -> None:
    assert problems(sample(parties=(Party(A, PartyRole.PROVIDER),))) == [
        "terms.flows[0].recipient",
        "terms.parties",
    ]
    twice = (
        Party(A, PartyRole.PROVIDER),
        Party(B, PartyRole.RECIPIENT),
        Party(A, PartyRole.RECIPIENT),
    )
    assert problems(sample(parties=twice)) == ["terms.parties[2].organisation"]


def test_flows_go_from_a_provider_to_a_recipient_among_the_parties() -> None:
    flows = (
        DataFlow(B, A, frozenset({C.FACT})),
        DataFlow(A, X, frozenset({C.FACT})),
        DataFlow(A, A, frozenset({C.FACT})),
        DataFlow(A, B, frozenset()),
        DataFlow(A, B, frozenset({C.HEALTH, C.OPINION, C.FACT})),
    )
    assert problems(sample(flows=flows)) == [
        "terms.flows[0].provider",
        "terms.flows[1].recipient",
        "terms.flows[2].recipient",
        "terms.flows[3].categories",
        "terms.flows[4]",
        "terms.flows[4].categories",
    ]
    assert problems(sample(flows=())) == ["terms.flows"]


def test_categories_outside_the_purposes_are_named() -> None:
    terms = sample(flows=(DataFlow(A, B, frozenset({C.HEALTH, C.OPINION, C.FACT})),))
    with pytest.raises(InvalidArgument) as caught:
        check_terms(terms, KNOWN, TODAY)
    [violation] = caught.value.violations
    assert violation.description == "no purpose of the agreement allows health, opinion"


def test_purposes_known_and_listed_once() -> None:
    assert problems(sample(purposes=())) == ["terms.flows[0].categories", "terms.purposes"]
    assert problems(sample(purposes=("referral", "referral", "nope"))) == [
        "terms.purposes[1]",
        "terms.purposes[2]",
    ]


def test_title_validity_and_review_interval() -> None:
    assert problems(sample(title=" ")) == ["terms.title"]
    assert problems(sample(valid_until=date(2025, 12, 31))) == ["terms.valid_until"]
    assert problems(sample(valid_from=date(2025, 1, 1), valid_until=date(2026, 3, 1))) == [
        "terms.valid_until"
    ]
    check_terms(sample(valid_until=TODAY), KNOWN, TODAY)
    assert problems(sample(review_interval_months=0)) == ["terms.review_interval_months"]
    assert problems(sample(review_interval_months=37)) == ["terms.review_interval_months"]
    check_terms(sample(review_interval_months=36), KNOWN, TODAY)
