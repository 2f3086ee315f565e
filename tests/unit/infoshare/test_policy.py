"""The decision per recipient: delivered, minimised or denied, and the reason that names what is
missing (party, purpose, direction, the agreement's state, allowed fields)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.infoshare.domain.agreements import (
    AgreementInForce,
    AgreementState,
    AgreementTerms,
    DataFlow,
    Party,
    PartyRole,
)
from services.infoshare.domain.categories import DataCategory as C
from services.infoshare.domain.categories import LawfulBasis
from services.infoshare.domain.policy import DenialReason, Outcome, ShareIntent, decide
from services.infoshare.domain.purposes import Purpose
from services.infoshare.domain.record_types import RECORD_TYPES

TODAY = date(2026, 3, 2)
SOCIAL, POLICE, BRIDGES = "social", "police", "bridges"
REFERRAL = Purpose(
    "safeguarding-referral",
    "Refer a person at risk",
    LawfulBasis.PUBLIC_TASK,
    frozenset({C.IDENTITY, C.BEHAVIOURAL_CONCERN, C.FACT, C.OPINION, C.HEALTH}),
    365,
    False,
)
TRENDS = replace(REFERRAL, code="trend-analysis", categories=frozenset({C.AGGREGATE_STATISTICS}))
CASE = RECORD_TYPES["referral-case"]
NAME_AND_REASON = ("subject_name", "referral_reason")


def agreement(
    agreement_id: str = "a1",
    *,
    version: int = 1,
    state: AgreementState = AgreementState.ACTIVE,
    parties: tuple[tuple[str, PartyRole], ...] = (
        (SOCIAL, PartyRole.PROVIDER_AND_RECIPIENT),
        (POLICE, PartyRole.PROVIDER_AND_RECIPIENT),
    ),
    purposes: tuple[str, ...] = ("safeguarding-referral",),
    flows: tuple[tuple[str, str, frozenset[C]], ...] = (
        (SOCIAL, POLICE, frozenset({C.IDENTITY, C.BEHAVIOURAL_CONCERN, C.FACT})),
    ),
    valid_from: date = date(2026, 1, 1),
    valid_until: date = date(2027, 12, 31),
    review_date: date | None = date(2026, 12, 31),
    title: str = "Safeguarding",
) -> AgreementInForce:
    terms = AgreementTerms(
        title=title,
        parties=tuple(Party(org, role) for org, role in parties),
        purposes=purposes,
        flows=tuple(DataFlow(p, r, cats) for p, r, cats in flows),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return AgreementInForce(agreement_id, version, state, review_date, terms)


def intent(*fields: str, purpose: Purpose = REFERRAL, all_or_nothing: bool = False):
    return ShareIntent(SOCIAL, purpose, CASE, fields or NAME_AND_REASON, all_or_nothing)


def test_fields_the_agreement_allows_are_delivered_under_its_version() -> None:
    d = decide(intent(), POLICE, [agreement(version=3)], TODAY)
    assert (d.outcome, d.allowed_fields, d.dropped_fields) == (
        Outcome.DELIVERED,
        NAME_AND_REASON,
        (),
    )
    assert (d.agreement_id, d.version, d.denial_reason) == ("a1", 3, None)


def test_fields_outside_the_flow_are_dropped_and_named() -> None:
    d = decide(intent("subject_name", "health_notes", "address"), POLICE, [agreement()], TODAY)
    assert d.outcome is Outcome.MINIMISED
    assert (d.allowed_fields, d.dropped_fields) == (("subject_name",), ("address", "health_notes"))
    assert "address, health_notes" in d.explanation


def test_categories_the_purpose_does_not_allow_are_dropped_even_if_the_flow_allows_them() -> None:
    wide = agreement(flows=((SOCIAL, POLICE, frozenset({C.IDENTITY, C.CONTACT})),))
    d = decide(intent("subject_name", "address"), POLICE, [wide], TODAY)
    assert (d.outcome, d.dropped_fields) == (Outcome.MINIMISED, ("address",))


def test_all_or_nothing_refuses_instead_of_dropping() -> None:
    d = decide(
        intent("subject_name", "health_notes", all_or_nothing=True), POLICE, [agreement()], TODAY
    )
    assert (d.outcome, d.denial_reason) == (Outcome.DENIED, DenialReason.ALL_OR_NOTHING)
    assert (d.allowed_fields, d.dropped_fields, d.version) == ((), ("health_notes",), 1)


def test_all_or_nothing_delivers_when_nothing_would_be_dropped() -> None:
    d = decide(intent(all_or_nothing=True), POLICE, [agreement()], TODAY)
    assert d.outcome is Outcome.DELIVERED


def test_an_agreement_allowing_none_of_the_fields_denies() -> None:
    d = decide(intent("health_notes"), POLICE, [agreement()], TODAY)
    assert (d.outcome, d.denial_reason) == (Outcome.DENIED, DenialReason.NO_ALLOWED_FIELDS)


def test_without_any_agreement_the_recipient_is_not_a_party() -> None:
    d = decide(intent(), POLICE, [], TODAY)
    assert (d.denial_reason, d.agreement_id) == (DenialReason.NOT_A_PARTY, None)


def test_an_agreement_without_the_recipient_makes_it_not_a_party() -> None:
    d = decide(intent(), BRIDGES, [agreement()], TODAY)
    assert (d.denial_reason, d.agreement_id) == (DenialReason.NOT_A_PARTY, None)


def test_an_agreement_for_another_purpose_does_not_cover_it() -> None:
    d = decide(intent(purpose=TRENDS), POLICE, [agreement()], TODAY)
    assert d.denial_reason is DenialReason.PURPOSE_NOT_COVERED


def test_a_flow_only_the_other_way_does_not_cover_the_direction() -> None:
    back = agreement(flows=((POLICE, SOCIAL, frozenset({C.IDENTITY})),))
    assert decide(intent(), POLICE, [back], TODAY).denial_reason is (
        DenialReason.DIRECTION_NOT_COVERED
    )


def test_a_recipient_only_party_cannot_send() -> None:
    one_way = agreement(parties=((SOCIAL, PartyRole.RECIPIENT), (POLICE, PartyRole.PROVIDER)))
    assert decide(intent(), POLICE, [one_way], TODAY).denial_reason is (
        DenialReason.DIRECTION_NOT_COVERED
    )


def test_an_agreement_that_is_not_open_gives_its_own_reason() -> None:
    cases = [
        (agreement(state=AgreementState.PROPOSED), DenialReason.AWAITING_SIGNATURES),
        (agreement(state=AgreementState.SUSPENDED), DenialReason.SUSPENDED),
        (agreement(state=AgreementState.TERMINATED), DenialReason.TERMINATED),
        (agreement(valid_from=date(2026, 6, 1)), DenialReason.NOT_YET_VALID),
        (agreement(valid_until=date(2026, 3, 1)), DenialReason.EXPIRED),
        (agreement(review_date=date(2026, 3, 1)), DenialReason.REVIEW_LAPSED),
    ]
    for closed, reason in cases:
        d = decide(intent(), POLICE, [closed], TODAY)
        assert (d.outcome, d.denial_reason, d.agreement_id) == (Outcome.DENIED, reason, "a1")


def test_the_review_date_itself_is_still_open() -> None:
    d = decide(intent(), POLICE, [agreement(review_date=TODAY)], TODAY)
    assert d.outcome is Outcome.DELIVERED


def test_the_closest_agreement_gives_the_reason() -> None:
    other_purpose = agreement("a1", purposes=("trend-analysis",))
    lapsed = agreement("a2", review_date=date(2026, 1, 1))
    d = decide(intent(), POLICE, [other_purpose, lapsed], TODAY)
    assert (d.denial_reason, d.agreement_id) == (DenialReason.REVIEW_LAPSED, "a2")


def test_an_open_agreement_wins_over_a_closed_one() -> None:
    closed = agreement("a1", state=AgreementState.SUSPENDED)
    d = decide(intent(), POLICE, [closed, agreement("a2")], TODAY)
    assert (d.outcome, d.agreement_id) == (Outcome.DELIVERED, "a2")


def test_the_agreement_allowing_most_fields_is_chosen() -> None:
    narrow = agreement("a1", flows=((SOCIAL, POLICE, frozenset({C.IDENTITY})),))
    wide = agreement("a2", flows=((SOCIAL, POLICE, frozenset({C.IDENTITY, C.HEALTH})),))
    d = decide(intent("subject_name", "health_notes"), POLICE, [wide, narrow], TODAY)
    assert (d.outcome, d.agreement_id) == (Outcome.DELIVERED, "a2")


def test_a_tie_goes_to_the_latest_agreement() -> None:
    older = agreement("a1", valid_from=date(2025, 1, 1))
    newer = agreement("a2", valid_from=date(2026, 2, 1))
    for candidates in ([newer, older], [older, newer]):
        assert decide(intent(), POLICE, candidates, TODAY).agreement_id == "a2"
