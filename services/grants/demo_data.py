"""The grants demo: two Riverton calls and the applications Ardenia's CSOs made to them.

Every entity has a fixed id, so the seed can tell what already exists. Dates are relative to
the moment a call is first created; amounts are EUR minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.auth import Principal, Role
from services.common.demo_ids import BRIDGES, DIALOGUE, INSTITUTE, RIVERTON, TELECOM
from services.common.money import Money
from services.grants.domain.applications import BudgetCategory, BudgetLine, Content, MatchCommitment
from services.grants.domain.calls import (
    CallTerms,
    Criterion,
    Funder,
    MatchKind,
    MatchRule,
    Periodicity,
    PlannedTranche,
    ReportingDuty,
    TrancheTrigger,
)
from services.grants.domain.eligibility import Eligibility, OrganisationKind, PreventionLevel


def _user(n: int, username: str, role: str, org_id: str) -> Principal:
    """A dev IdP demo user (deploy/keycloak/demo-users.json) as the handlers see it."""
    return Principal(f"5e9d2f10-0000-4000-8000-000000000{n}", username, frozenset({role}), org_id)


MANAGER = _user(105, "manager", Role.GRANT_MANAGER, RIVERTON)
BRIDGES_MEMBER = _user(106, "cso", Role.CSO_MEMBER, BRIDGES)
PANEL = _user(109, "panel", Role.GRANT_REVIEWER, INSTITUTE)
# Women for Dialogue has no demo login; the seed acts for it.
DIALOGUE_MEMBER = Principal("system", "system", frozenset({Role.CSO_MEMBER}), DIALOGUE, name="Demo")
APPLICANTS = {BRIDGES: BRIDGES_MEMBER, DIALOGUE: DIALOGUE_MEMBER}
# Organisations the seed needs in the read model; applicants must also be verified.
NEEDED = (RIVERTON, TELECOM, INSTITUTE, BRIDGES, DIALOGUE)

SHARED_FUND = "0b1c7a52-0010-4000-8000-000000000001"
SMALL_GRANTS = "0b1c7a52-0010-4000-8000-000000000002"


def application_id(n: int) -> str:
    return f"0b1c7a52-0011-4000-8000-{n:012d}"


def eur(major: int) -> Money:
    return Money("EUR", major * 100)


def shared_fund_terms(now: datetime) -> CallTerms:
    """The pooled fund: city hall and telecom foundation 400,000.00 EUR each."""
    closes = now + timedelta(hours=1)  # the manager closes it early to decide the first round
    return CallTerms(
        title="Shared Endeavour Fund 2026",
        description=(
            "A pooled fund of Riverton City Hall and Ardenia Telecom Foundation for community "
            "projects that prevent hate and violent extremism."
        ),
        currency_code="EUR",
        funders=(
            Funder(RIVERTON, "Riverton City Hall", eur(400_000)),
            Funder(TELECOM, "Ardenia Telecom Foundation", eur(400_000)),
        ),
        min_award=eur(5_000),
        max_award=eur(60_000),
        eligibility=Eligibility(
            applicant_kinds=(OrganisationKind.CSO,),
            prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.SECONDARY),
        ),
        match_rule=MatchRule(min_match_bps=2000, in_kind_cap_bps=5000),
        min_monitoring_evaluation_bps=500,
        criteria=(
            Criterion("impact", "Impact", "Who benefits and how much?", 3, 5),
            Criterion("feasibility", "Feasibility", "Can the team deliver it?", 2, 5),
            Criterion("value", "Value for money", "", 1, 5),
        ),
        reviews_per_application=1,
        opens_at=now - timedelta(days=21),
        closes_at=closes,
        decision_date=closes.date(),
        reporting_duty=ReportingDuty(Periodicity.SEMIANNUAL, True),
        tranche_plan=(
            PlannedTranche("signing", 4000, TrancheTrigger.ON_SIGNING),
            PlannedTranche("progress", 6000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
        ),
    )


def small_grants_terms(now: datetime) -> CallTerms:
    """An open call from the city hall alone, closing four weeks from now."""
    closes = now + timedelta(days=28)
    return CallTerms(
        title="Safer Neighbourhoods Small Grants 2026",
        description="Small grants for neighbourhood dialogue and early prevention.",
        currency_code="EUR",
        funders=(Funder(RIVERTON, "Riverton City Hall", eur(150_000)),),
        min_award=eur(2_000),
        max_award=eur(15_000),
        eligibility=Eligibility(applicant_kinds=(OrganisationKind.CSO,)),
        match_rule=MatchRule(min_match_bps=1000),
        min_monitoring_evaluation_bps=500,
        criteria=(Criterion("impact", "Impact", "", 1, 5),),
        reviews_per_application=1,
        opens_at=now - timedelta(days=2),
        closes_at=closes,
        decision_date=closes.date() + timedelta(days=21),
        reporting_duty=ReportingDuty(Periodicity.ANNUAL, False),
        tranche_plan=(
            PlannedTranche("signing", 5000, TrancheTrigger.ON_SIGNING),
            PlannedTranche("report", 5000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
        ),
    )


@dataclass(frozen=True)
class DemoApplication:
    """One application and where the seed leaves it."""

    id: str
    call_id: str
    applicant: str
    content: Content
    state: str  # draft, submitted, withdrawn, awarded, not_awarded
    scores: tuple[int, ...] = ()  # the panel's scores, in criteria order
    award: int = 0  # major units
    review_comment: str = ""


def _complete(title: str, summary: str, budget: tuple[int, int, int], requested: int,
              match: tuple[tuple[MatchKind, str, int, str], ...]) -> Content:  # fmt: skip
    staff, activities, me = budget
    lines = (
        BudgetLine(BudgetCategory.STAFF, "Project staff", eur(staff)),
        BudgetLine(BudgetCategory.ACTIVITIES, "Activities and materials", eur(activities)),
        BudgetLine(BudgetCategory.MONITORING_EVALUATION, "External evaluation", eur(me)),
    )
    commitments = tuple(
        MatchCommitment("", None, source, kind, eur(amount), commitment_reference=ref)
        for kind, source, amount, ref in match
    )
    levels = (PreventionLevel.PRIMARY,)
    return Content(title, summary, None, levels, lines, eur(requested), commitments)


CASH, IN_KIND = MatchKind.CASH, MatchKind.IN_KIND
APPLICATIONS = (
    DemoApplication(
        application_id(1), SHARED_FUND, BRIDGES,
        _complete("Youth mentors in Riverton North", "Peer mentoring for young people at risk.",
                  (30_000, 7_600, 2_400), 30_000,
                  ((CASH, "Riverton Community Trust", 10_000, "RCT-2026-014"),)),
        "awarded", (5, 4, 4), 30_000, "Strong local roots and a clear referral path.",
    ),
    DemoApplication(
        application_id(2), SHARED_FUND, DIALOGUE,
        _complete("Women mediators in Port Selen", "Training women as community mediators.",
                  (24_000, 9_000, 2_000), 25_000,
                  ((CASH, "Port Selen Harbour Authority", 8_000, "PSHA-2026-03"),)),
        "awarded", (4, 4, 5), 25_000, "Good value; mediators already trusted locally.",
    ),
    DemoApplication(
        application_id(3), SHARED_FUND, BRIDGES,
        _complete("Counter-speech lab for schools", "Pupils learn to answer online hate.",
                  (12_000, 7_000, 1_000), 16_000,
                  ((CASH, "Bridges members' fund", 2_000, "BYN-MF-2026"),
                   (IN_KIND, "Riverton Library (rooms)", 2_000, "RL-ROOMS-26"))),
        "not_awarded", (3, 2, 3), 0, "Promising, but the school partners are not confirmed.",
    ),
    DemoApplication(
        application_id(4), SHARED_FUND, DIALOGUE,
        _complete("Interfaith youth exchange", "Exchanges between youth groups of all faiths.",
                  (10_000, 7_000, 1_000), 14_000,
                  ((CASH, "Ardenia Interfaith Council", 4_000, "AIC-2026-7"),)),
        "withdrawn",
    ),
    DemoApplication(
        application_id(5), SHARED_FUND, BRIDGES,
        Content("Sports for cohesion", "Mixed neighbourhood football leagues."),
        "draft",
    ),
    DemoApplication(
        application_id(6), SMALL_GRANTS, DIALOGUE,
        _complete("Neighbourhood listening circles", "Monthly circles in three districts.",
                  (7_000, 4_400, 600), 10_000,
                  ((CASH, "Port Selen Rotary", 1_500, "PSR-2026-11"),)),
        "submitted",
    ),
    DemoApplication(
        application_id(7), SMALL_GRANTS, BRIDGES,
        Content("After-school dialogue club", "Weekly dialogue sessions for teenagers."),
        "draft",
    ),
)  # fmt: skip
WITHDRAWAL_REASON = "Our partner organisation pulled out."
DECISION_NOTE = "First and final round of the Shared Endeavour Fund 2026."
