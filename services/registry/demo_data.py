"""The fictional Republic of Ardenia: the registry's demo places, organisations and documents."""

from __future__ import annotations

from datetime import date

from services.common.demo_ids import (
    AUDIT,
    BRIDGES,
    CENTRE,
    DIALOGUE,
    HARBOUR,
    INSTITUTE,
    LAKESIDE,
    POLICE,
    PORT_SELEN,
    RIVERTON,
    SOCIAL,
    TELECOM,
)
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
from services.registry.domain.organisations import OrganisationKind as K
from services.registry.domain.organisations import Sector as S

COUNTRY_CODE = "AR"
SINCE = date(2020, 1, 1)


def place_id(n: int) -> str:
    """The fixed id of the nth demo place (in PLACES order, from 1)."""
    return f"0b1c7a52-0001-4000-8000-{n:012d}"


NETWORK_ID = "0b1c7a52-0003-4000-8000-000000000001"
COMMENT = "Please count youth workers and teachers separately; our network trains both."


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

LAKESIDE_MANDATE = MandateTerms(
    sources=(MandateSource.NATIONAL_STRATEGY,),
    source_reference="National Strategy 2026-2030, section 4: county prevention plans",
    scope=MandateScope.ALL_FORMS,
    specific_forms=(),
    prevention_levels=(PreventionLevel.PRIMARY,),
    institutional_model=InstitutionalModel.SINGLE_LEAD_AGENCY,
    lead_entity="County Community Development Department",
    focal_point=FocalPoint(
        "Jonas Berg", "Community Cohesion Officer", "cohesion@lakeside.gov.ar.example", ""
    ),
    reporting_obligation=ReportingObligation(CENTRE, ReportingPeriodicity.SEMIANNUAL, 1),
    effective_from=date(2025, 1, 1),
    change_note="County plan duty under the national strategy.",
)

PORT_SELEN_MANDATE = MandateTerms(
    sources=(MandateSource.PUBLIC_SAFETY_MANDATE,),
    source_reference="Port Selen Public Safety By-law 12/2023",
    scope=MandateScope.SPECIFIC_FORMS,
    specific_forms=("hate crime", "online hate speech"),
    prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.SECONDARY),
    institutional_model=InstitutionalModel.SHARED_ACROSS_AGENCIES,
    lead_entity="Public Safety Office",
    focal_point=FocalPoint("Selma Arif", "Public Safety Advisor", "safety@portselen.example", ""),
    reporting_obligation=ReportingObligation(CENTRE, ReportingPeriodicity.SEMIANNUAL, 1),
    effective_from=date(2025, 1, 1),
    change_note="Recorded when Port Selen joined the national reporting cycle.",
)

MANDATES = (
    (RIVERTON, RIVERTON_MANDATE),
    (LAKESIDE, LAKESIDE_MANDATE),
    (PORT_SELEN, PORT_SELEN_MANDATE),
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
