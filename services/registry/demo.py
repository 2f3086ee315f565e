"""Registry demo data: the fictional Republic of Ardenia, seeded through the real handlers."""

from __future__ import annotations

from datetime import date, timedelta

from services.common.auth import Principal, Role
from services.common.clock import today
from services.common.errors import AlreadyExists
from services.registry.deps import RegistryDeps
from services.registry.domain.bodies import (
    BodyContent,
    BodyKind,
    Chair,
    MandateItem,
    MeetingCadence,
    Member,
)
from services.registry.domain.frameworks import Disaggregation as D
from services.registry.domain.frameworks import (
    FrameworkContent,
    FrameworkKind,
    Indicator,
    IndicatorDirection,
    Pillar,
)
from services.registry.domain.frameworks import IndicatorLevel as L
from services.registry.domain.jurisdictions import Level
from services.registry.domain.mandates import (
    FocalPoint,
    InstitutionalModel,
    MandateScope,
    MandateSource,
    MandateTerms,
    PreventionLevel,
    ReportingObligation,
    ReportingPeriodicity,
)
from services.registry.domain.organisations import Details, RegistrationNumber
from services.registry.domain.organisations import OrganisationKind as K
from services.registry.domain.organisations import Sector as S
from services.registry.handlers import bodies, frameworks, jurisdictions, mandates, organisations
from services.registry.orm import jurisdictions as jurisdiction_store

SEEDER = Principal(
    "system", "system", frozenset({Role.PLATFORM_ADMIN, Role.NATIONAL_ADMIN}), None, name="Demo"
)
COUNTRY_CODE = "AR"
SINCE = date(2020, 1, 1)


def org_id(n: int) -> str:
    """The fixed demo organisation id number n (1-6 are the identity provider's org_id claims)."""
    return f"0b1c7a52-0000-4000-8000-{n:012d}"


CENTRE, RIVERTON, BRIDGES, TELECOM, INSTITUTE, AUDIT = (org_id(n) for n in range(1, 7))
DIALOGUE, HARBOUR, POLICE, SOCIAL, LAKESIDE, PORT_SELEN = (org_id(n) for n in range(7, 13))
PENDING = {HARBOUR}

# code, display name, level, parent code
PLACES = [
    ("AR", "Republic of Ardenia", Level.COUNTRY, None),
    ("AR-N", "North", Level.REGION, "AR"),
    ("AR-S", "South", Level.REGION, "AR"),
    ("AR-N-RIV", "Riverton", Level.CITY, "AR-N"),
    ("AR-N-LAK", "Lakeside", Level.COUNTY, "AR-N"),
    ("AR-N-EAS", "Eastvale", Level.MUNICIPALITY, "AR-N"),
    ("AR-S-HIG", "Highmoor", Level.COUNTY, "AR-S"),
    ("AR-S-PSE", "Port Selen", Level.CITY, "AR-S"),
    ("AR-S-GRE", "Greystone", Level.DISTRICT, "AR-S"),
]
# id, display name, kind, sector, place code
ORGANISATIONS = [
    (CENTRE, "National Centre for Prevention", K.NATIONAL_AGENCY, S.NATIONAL_GOVERNMENT, "AR"),
    (RIVERTON, "Riverton City Hall", K.LOCAL_GOVERNMENT, S.LOCAL_GOVERNMENT, "AR-N-RIV"),
    (BRIDGES, "Bridges Youth Network", K.CSO, S.YOUTH, "AR-N-RIV"),
    (TELECOM, "Ardenia Telecom Foundation", K.PRIVATE_SECTOR, S.PRIVATE_SECTOR, "AR"),
    (INSTITUTE, "Ardenia Institute for Social Research", K.RESEARCH, S.RESEARCH, "AR"),
    (AUDIT, "National Audit Office", K.NATIONAL_AGENCY, S.NATIONAL_GOVERNMENT, "AR"),
    (DIALOGUE, "Women for Dialogue Ardenia", K.CSO, S.CIVIL_SOCIETY, "AR-S-PSE"),
    (HARBOUR, "Harbour Neighbours Collective", K.CSO, S.CIVIL_SOCIETY, "AR-S-PSE"),
    (POLICE, "Riverton Police", K.POLICE, S.POLICE, "AR-N-RIV"),
    (SOCIAL, "Riverton Social Services", K.SERVICE_PROVIDER, S.SOCIAL_SERVICES, "AR-N-RIV"),
    (LAKESIDE, "Lakeside County Council", K.LOCAL_GOVERNMENT, S.LOCAL_GOVERNMENT, "AR-N-LAK"),
    (PORT_SELEN, "Port Selen City Council", K.LOCAL_GOVERNMENT, S.LOCAL_GOVERNMENT, "AR-S-PSE"),
]


def _indicator(code: str, title: str, level: L, unit: str, up: bool, *by: D) -> Indicator:
    direction = IndicatorDirection.UP if up else IndicatorDirection.DOWN
    return Indicator(code, title, code.split(".")[0], level, unit, direction, by)


STRATEGY = FrameworkContent(
    title="National Strategy for Preventing Hate and Violent Extremism 2026-2030",
    summary=(
        "A whole-of-society strategy: local governments lead prevention close to communities, "
        "supported by national guidance, shared indicators and twice-yearly reporting."
    ),
    pillars=(
        Pillar("P1", "Prevent", "Build resilient, cohesive communities and counter hate early."),
        Pillar("P2", "Protect", "Identify vulnerability and refer people to multi-agency support."),
        Pillar("P3", "Partner", "Coordinate national and local action with civil society."),
        Pillar("P4", "Learn", "Monitor, evaluate and share what works."),
    ),
    indicators=(
        _indicator("P1.OUT.1", "Residents reached by prevention activities", L.OUTPUT, "people",
                   True, D.SEX, D.AGE_GROUP),
        _indicator("P1.OC.1", "Residents who trust people of other backgrounds", L.OUTCOME,
                   "percent", True),
        _indicator("P2.OUT.1", "Frontline practitioners trained to recognise and refer",
                   L.OUTPUT, "people", True, D.SEX),
        _indicator("P2.OC.1", "Referrals completed through multi-agency support", L.OUTCOME,
                   "referrals", True),
        _indicator("P3.OUT.1", "Local prevention network meetings held", L.OUTPUT, "meetings",
                   True),
        _indicator("P4.IM.1", "Recorded hate incidents per 100,000 residents", L.IMPACT,
                   "incidents per 100,000", False),
    ),
    document_url="https://ncp.gov.ar.example/strategy-2026-2030.pdf",
)  # fmt: skip

RIVERTON_MANDATE = MandateTerms(
    sources=(MandateSource.COUNCIL_DECISION, MandateSource.NATIONAL_STRATEGY),
    source_reference="Riverton City Council Resolution 2024/117 on community safety and cohesion",
    scope=MandateScope.ALL_FORMS,
    specific_forms=(),
    prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.SECONDARY),
    institutional_model=InstitutionalModel.CITY_WIDE_NETWORK,
    lead_entity="Community Safety Unit, Office of the Mayor",
    focal_point=FocalPoint(
        "Mira Holm", "Prevention Coordinator", "prevention@riverton.gov.ar.example", "+000 555 0142"
    ),
    reporting_obligation=ReportingObligation(CENTRE, ReportingPeriodicity.SEMIANNUAL, 1),
    effective_from=date(2025, 1, 1),
    change_note="Mandate recorded when Riverton joined the national reporting cycle.",
)

NETWORK = BodyContent(
    display_name="Riverton Local Prevention Network",
    kind=BodyKind.LOCAL_PREVENTION_NETWORK,
    mandate_items=(
        MandateItem.MAP_THREATS,
        MandateItem.WRITE_ACTION_PLAN,
        MandateItem.MAP_STAKEHOLDERS,
        MandateItem.MONITOR_AND_EVALUATE,
    ),
    decision_making="Consensus of members; the chair decides when no consensus is reached.",
    communication="Minutes shared with members within a week; a public summary twice a year.",
    chairs=(Chair("Ana Petrova", RIVERTON, "Deputy Mayor for Community Safety"),),
    members=(
        Member(S.LOCAL_GOVERNMENT, RIVERTON, "Mira Holm", "Prevention Coordinator"),
        Member(S.POLICE, POLICE, "Insp. Dara Quinn", "Neighbourhood Policing Lead"),
        Member(S.SOCIAL_SERVICES, SOCIAL, "Tomas Varga", "Head of Family Support"),
        Member(S.YOUTH, BRIDGES, "Lea Okafor", "Director"),
        Member(S.EDUCATION, None, "Ivo Marin", "Schools Directorate, Safeguarding Lead"),
    ),
    meeting_cadence=MeetingCadence.MONTHLY,
    established_on=date(2024, 9, 15),
)


async def _places(deps: RegistryDeps) -> dict[str, str]:
    ids: dict[str, str] = {}
    for code, name, level, parent in PLACES:
        cmd = jurisdictions.CreateJurisdiction(code, name, level, ids.get(parent or ""), SINCE)
        ids[code] = (await jurisdictions.create_jurisdiction(deps.uow(SEEDER), cmd)).id
    return ids


async def _organisations(deps: RegistryDeps, places: dict[str, str]) -> None:
    for oid, name, kind, sector, place in ORGANISATIONS:
        host = name.lower().replace(" ", "-") + ".ar.example"
        numbers = (RegistrationNumber("ar-public-register", f"AR-{oid[-4:]}"),)
        details = Details(
            name, kind, sector, places[place], numbers, f"https://{host}", f"info@{host}"
        )
        cmd = organisations.CreateOrganisation(details, oid)
        await organisations.create_organisation(deps.uow(SEEDER), cmd)
        if oid not in PENDING:
            verify = organisations.ChangeVerification(oid, "Registration documents checked.")
            await organisations.verify_organisation(deps.uow(SEEDER), verify)


async def _strategy(deps: RegistryDeps, country_id: str) -> None:
    officer = Principal("system", "system", frozenset({Role.CITY_OFFICER}), RIVERTON)
    cmd = frameworks.CreateFramework(FrameworkKind.STRATEGY, CENTRE, country_id, STRATEGY)
    framework = await frameworks.create_framework(deps.uow(SEEDER), cmd)
    closes = today(deps.clock) + timedelta(days=30)
    opening = frameworks.OpenConsultation(framework.id, closes)
    await frameworks.open_consultation(deps.uow(SEEDER), opening)
    comment = frameworks.CommentOnFramework(
        framework.id,
        "P2.OUT.1",
        "Please count youth workers and teachers separately; our network trains both.",
    )
    await frameworks.comment_on_framework(deps.uow(officer), comment)
    await frameworks.adopt_framework(deps.uow(SEEDER), frameworks.AdoptFramework(framework.id))
    ack = frameworks.AcknowledgeFramework(framework.id, RIVERTON)
    await frameworks.acknowledge_framework(deps.uow(officer), ack)


async def seed_demo(deps: RegistryDeps) -> bool:
    """Seed Ardenia unless its country code exists; True when something was seeded."""
    async with deps.sessions() as session:
        if await jurisdiction_store.code_taken(session, COUNTRY_CODE):
            return False
    try:
        places = await _places(deps)
    except AlreadyExists:
        return False  # another replica is seeding at the same time
    await _organisations(deps, places)
    mandate = mandates.SetMandate(RIVERTON, RIVERTON_MANDATE)
    await mandates.set_mandate(deps.uow(SEEDER), mandate)
    await _strategy(deps, places[COUNTRY_CODE])
    network = bodies.CreateCoordinationBody(RIVERTON, places["AR-N-RIV"], NETWORK)
    await bodies.create_coordination_body(deps.uow(SEEDER), network)
    return True
