"""The infoshare demo: Riverton's multi-agency safeguarding table and what its members shared.

Social Services, the police and Bridges Youth Network share under an active agreement signed by
their three data-protection officers; the national agency's agreement with Social Services has a
lapsed review, so sharing under it is refused. Days are relative to the day of seeding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.common.auth import Principal, Role
from services.common.demo_ids import BRIDGES, CENTRE, POLICE, SOCIAL
from services.infoshare.domain.agreements import AgreementTerms, DataFlow, Party, PartyRole
from services.infoshare.domain.categories import DataCategory as C
from services.infoshare.domain.categories import LawfulBasis
from services.infoshare.domain.purpose_rules import PurposeDraft


def _user(n: int, username: str, role: str, org_id: str) -> Principal:
    """A dev IdP demo user (deploy/keycloak/demo-users.json) as the handlers see it."""
    return Principal(f"5e9d2f10-0000-4000-8000-{n:012d}", username, frozenset({role}), org_id)


SOCIAL_OFFICER = _user(111, "social", Role.INFOSHARE_OFFICER, SOCIAL)
SOCIAL_DPO = _user(112, "social-dpo", Role.DATA_PROTECTION_OFFICER, SOCIAL)
POLICE_OFFICER = _user(113, "police", Role.INFOSHARE_OFFICER, POLICE)
POLICE_DPO = _user(114, "police-dpo", Role.DATA_PROTECTION_OFFICER, POLICE)
BRIDGES_OFFICER = _user(107, "sharer", Role.INFOSHARE_OFFICER, BRIDGES)
BRIDGES_DPO = _user(115, "bridges-dpo", Role.DATA_PROTECTION_OFFICER, BRIDGES)
CENTRE_DPO = _user(103, "dpo", Role.DATA_PROTECTION_OFFICER, CENTRE)
TRAINED = (
    SOCIAL_OFFICER, SOCIAL_DPO, POLICE_OFFICER, POLICE_DPO,
    BRIDGES_OFFICER, BRIDGES_DPO, CENTRE_DPO,
)  # fmt: skip
TRAINING_COURSE = "Data protection in multi-agency safeguarding (annual refresher)"
# Days before seeding: training completed, the table's agreement activated.
TRAINED_DAYS_AGO = 60
TABLE_SIGNED_DAYS_AGO = 45
# The national agency's agreement was signed 14 months ago with a 12-month review interval.
LAPSED_SIGNED_DAYS_AGO = 425

SAFEGUARDING = "safeguarding-referral"
REINTEGRATION = "reintegration-support"
TRENDS = "trend-analysis"

SAFEGUARDING_CATEGORIES = frozenset({
    C.IDENTITY, C.CONTACT, C.BEHAVIOURAL_CONCERN, C.FACT, C.OPINION,
    C.HEALTH, C.CRIMINAL_OFFENCE, C.SOCIAL_CIRCUMSTANCES,
})  # fmt: skip
PURPOSES = (
    PurposeDraft(
        SAFEGUARDING,
        "Referring a person at risk of radicalisation to the multi-agency safeguarding table "
        "so partners can assess the risk and agree support.",
        LawfulBasis.PUBLIC_TASK,
        SAFEGUARDING_CATEGORIES,
        365,
        False,
    ),
    PurposeDraft(
        REINTEGRATION,
        "Coordinating housing, work, mentoring and health support for a returnee or a released "
        "offender who agreed to the plan.",
        LawfulBasis.CONSENT,
        frozenset({C.IDENTITY, C.CONTACT, C.SOCIAL_CIRCUMSTANCES, C.HEALTH, C.OPINION}),
        730,
        True,
    ),
    PurposeDraft(
        TRENDS,
        "Aggregate figures on hate and extremism incidents to plan prevention work; nobody is "
        "identifiable.",
        LawfulBasis.LEGITIMATE_INTERESTS,
        frozenset({C.AGGREGATE_STATISTICS, C.OPINION}),
        1825,
        False,
    ),
)


# What each partner at the table may pass to each other (provider, recipient, categories).
TABLE_FLOWS = (
    (SOCIAL, POLICE, {C.IDENTITY, C.CONTACT, C.BEHAVIOURAL_CONCERN, C.FACT, C.OPINION,
                      C.CRIMINAL_OFFENCE, C.AGGREGATE_STATISTICS}),
    (SOCIAL, BRIDGES, {C.IDENTITY, C.CONTACT, C.BEHAVIOURAL_CONCERN, C.SOCIAL_CIRCUMSTANCES,
                       C.HEALTH, C.AGGREGATE_STATISTICS}),
    (POLICE, SOCIAL, {C.IDENTITY, C.BEHAVIOURAL_CONCERN, C.FACT, C.OPINION, C.CRIMINAL_OFFENCE,
                      C.AGGREGATE_STATISTICS}),
    (POLICE, BRIDGES, {C.IDENTITY, C.BEHAVIOURAL_CONCERN, C.FACT, C.AGGREGATE_STATISTICS}),
    (BRIDGES, SOCIAL, {C.IDENTITY, C.CONTACT, C.BEHAVIOURAL_CONCERN, C.FACT, C.OPINION,
                       C.SOCIAL_CIRCUMSTANCES, C.HEALTH}),
)  # fmt: skip


def table_terms(today: date) -> AgreementTerms:
    """Riverton safeguarding table: the three partners, three purposes, two years' validity."""
    both = PartyRole.PROVIDER_AND_RECIPIENT
    return AgreementTerms(
        title="Riverton multi-agency safeguarding table",
        parties=(Party(SOCIAL, both), Party(POLICE, both), Party(BRIDGES, both)),
        purposes=(SAFEGUARDING, REINTEGRATION, TRENDS),
        flows=tuple(DataFlow(p, r, frozenset(c)) for p, r, c in TABLE_FLOWS),
        valid_from=today - timedelta(days=TABLE_SIGNED_DAYS_AGO + 5),
        valid_until=today + timedelta(days=2 * 365),
        review_interval_months=12,
    )


def lapsed_terms(today: date) -> AgreementTerms:
    """The national agency and Social Services: trend figures, whose review was missed."""
    both = PartyRole.PROVIDER_AND_RECIPIENT
    return AgreementTerms(
        title="National prevention centre and Riverton Social Services: trend reporting",
        parties=(Party(CENTRE, both), Party(SOCIAL, both)),
        purposes=(TRENDS,),
        flows=(
            DataFlow(SOCIAL, CENTRE, frozenset({C.AGGREGATE_STATISTICS, C.OPINION})),
            DataFlow(CENTRE, SOCIAL, frozenset({C.AGGREGATE_STATISTICS})),
        ),
        valid_from=today - timedelta(days=LAPSED_SIGNED_DAYS_AGO + 5),
        valid_until=today + timedelta(days=365),
        review_interval_months=12,
    )


@dataclass(frozen=True)
class DemoShare:
    """One share the demo sends, days_ago days before seeding."""

    sender: Principal
    purpose: str
    record_type: str
    recipients: tuple[str, ...]
    subject_reference: str
    fields: dict[str, str]
    days_ago: int
    consent_reference: str = ""
    all_or_nothing: bool = False


SHARES = (
    DemoShare(
        SOCIAL_OFFICER,
        SAFEGUARDING,
        "referral-case",
        (POLICE, BRIDGES),
        "SOC-2026-0117",
        {
            "subject_name": "Milan Horvat",
            "date_of_birth": "2009-05-21",
            "address": "3 Quay Street, Riverton",
            "referral_reason": "Posts praising a banned group; asked classmates to join a chat.",
            "observed_facts": "School counsellor saw the posts on 2 and 9 February.",
            "risk_assessment": "Low to moderate; engaged with his football coach.",
            "health_notes": "Diagnosed with ADHD; medication managed by his GP.",
            "family_situation": "Lives with his grandmother; mother works abroad.",
        },
        30,
    ),
    DemoShare(
        POLICE_OFFICER,
        SAFEGUARDING,
        "incident-report",
        (SOCIAL, BRIDGES),
        "POL-INC-88412",
        {
            "incident_date": "2026-02-14",
            "location": "Riverton bus station",
            "description": "Leaflets of a banned group handed out to teenagers after school.",
            "persons_involved": "Milan Horvat and two adults not yet identified",
            "suspected_offence": "Distributing terrorist publications",
            "assessment": "Likely recruitment attempt aimed at under-18s.",
        },
        21,
    ),
    DemoShare(
        BRIDGES_OFFICER,
        REINTEGRATION,
        "reintegration-plan",
        (SOCIAL,),
        "BYN-MENTEE-031",
        {
            "subject_name": "Ayla Demir",
            "contact_details": "Through her Bridges mentor only",
            "goals": "Finish vocational training; move into supported housing by summer.",
            "support_services": "Weekly mentoring, housing application, job coaching.",
            "health_needs": "Counselling for trauma, already arranged.",
            "case_worker_assessment": "Motivated; needs steady contact with one worker.",
        },
        12,
        consent_reference="BYN consent form 2026-031, signed 3 March",
    ),
    DemoShare(
        SOCIAL_OFFICER,
        TRENDS,
        "trend-summary",
        (POLICE, CENTRE),
        "TREND-2026-Q1",
        {
            "period": "2026 Q1",
            "area": "Riverton",
            "incident_count": "14",
            "trend_description": "Referrals up by a third, mostly online contact with minors.",
            "analyst_opinion": "Schools need guidance on reporting online approaches.",
        },
        5,
    ),
    DemoShare(
        SOCIAL_OFFICER,
        SAFEGUARDING,
        "referral-case",
        (POLICE,),
        "SOC-2026-0131",
        {
            "subject_name": "Tomas Berg",
            "referral_reason": "Threatened a teacher with violence in the name of a movement.",
            "health_notes": "Under assessment by youth mental-health services.",
        },
        2,
        all_or_nothing=True,
    ),
)
