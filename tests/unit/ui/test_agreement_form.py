"""The agreement form without a browser: typed values to terms, routes the roles allow, fields a
route lets through, and what changed between two versions in words."""

from __future__ import annotations

from datetime import date

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2 as ppb
from ui import agreement_changes, agreement_terms
from ui.agreement_terms import TypedTerms

SOCIAL, POLICE, CENTRE = "organisations/social", "organisations/police", "organisations/centre"
NAMES = {SOCIAL: "Social Services", POLICE: "Police", CENTRE: "Centre"}
BOTH, RECIPIENT = pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT, pb.PARTY_ROLE_RECIPIENT
AGGREGATE, OPINION = ppb.DATA_CATEGORY_AGGREGATE_STATISTICS, ppb.DATA_CATEGORY_OPINION


def _typed() -> TypedTerms:
    typed = agreement_terms.new_terms(SOCIAL, date(2027, 1, 1))
    typed.title = "  Trend figures  "
    typed.roles[POLICE] = RECIPIENT
    typed.purposes = ["purposes/trend-analysis"]
    typed.flows = {(SOCIAL, POLICE): [OPINION, AGGREGATE], (POLICE, SOCIAL): []}
    return typed


def test_typed_values_become_terms_and_a_route_given_nothing_is_left_out() -> None:
    terms = agreement_terms.terms_from(_typed())
    assert terms.title == "Trend figures"
    assert [(p.organisation, p.role) for p in terms.parties] == [
        (SOCIAL, BOTH),
        (POLICE, RECIPIENT),
    ]
    assert [(f.provider, f.recipient, list(f.categories)) for f in terms.flows] == [
        (SOCIAL, POLICE, [OPINION, AGGREGATE])
    ]
    assert (terms.valid_from, terms.valid_until) == ("2027-01-01", "2028-01-01")
    assert terms.review_interval_months == 12
    assert agreement_terms.typed_from(terms).flows == {(SOCIAL, POLICE): [OPINION, AGGREGATE]}


def test_information_flows_only_from_a_provider_to_a_recipient() -> None:
    roles = {SOCIAL: BOTH, POLICE: RECIPIENT, CENTRE: pb.PARTY_ROLE_PROVIDER}
    expected = [(SOCIAL, POLICE), (CENTRE, SOCIAL), (CENTRE, POLICE)]
    assert agreement_terms.possible_pairs(roles) == expected


def test_a_route_lets_through_only_the_fields_of_its_categories() -> None:
    summary = ppb.RecordType(
        code="trend-summary",
        display_name="Trend summary",
        fields=[
            ppb.RecordField(name="period", category=AGGREGATE),
            ppb.RecordField(name="assessment", category=OPINION),
        ],
    )
    referral = ppb.RecordType(code="referral-case", fields=[ppb.RecordField(name="x", category=1)])
    kept = agreement_terms.fields_let_through([summary, referral], [AGGREGATE])
    assert kept == {"Trend summary": ["period"]}


def test_changes_between_versions_are_told_in_words() -> None:
    before = agreement_terms.terms_from(_typed())
    typed = _typed()
    typed.roles[CENTRE] = RECIPIENT
    typed.flows = {(SOCIAL, POLICE): [AGGREGATE], (SOCIAL, CENTRE): [AGGREGATE]}
    typed.review_interval_months = 6
    after = agreement_terms.terms_from(typed)
    assert agreement_changes.changes(before, after, NAMES.get) == [
        "Party added: Centre (recipient)",
        "Social Services → Police may no longer pass Opinion",
        "Social Services → Centre may now also pass Aggregate statistics",
        "Review every: 12 → 6 months",
    ]
    assert agreement_changes.changes(before, before, NAMES.get) == ["No change to the terms."]
