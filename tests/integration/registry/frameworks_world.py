"""A small world for framework tests: places, organisations and drafted strategies."""

from __future__ import annotations

from services.registry.domain.frameworks import (
    FrameworkContent,
    FrameworkKind,
    Indicator,
    IndicatorDirection,
    IndicatorLevel,
    Pillar,
)
from services.registry.domain.jurisdictions import Level
from services.registry.domain.organisations import OrganisationKind as K
from services.registry.handlers.frameworks import CreateFramework, create_framework
from tests.integration.registry.conftest import NATIONAL_ADMIN, add_org, add_place

CONTENT = FrameworkContent(
    title="National Strategy for Preventing Hate and Violent Extremism 2026-2030",
    summary="Whole-of-society prevention led locally.",
    pillars=(Pillar("P1", "Prevent"), Pillar("P2", "Protect")),
    indicators=(
        Indicator(
            "P1.OUT.1",
            "Frontline staff trained",
            "P1",
            IndicatorLevel.OUTPUT,
            "people",
            IndicatorDirection.UP,
        ),
    ),
)


async def framework_world(d):
    """Places North/South under Ardenia, a national centre, two councils, a pending town, a CSO."""
    country = await add_place(d, "AR", Level.COUNTRY)
    north = await add_place(d, "AR-N", Level.REGION, country)
    south = await add_place(d, "AR-S", Level.REGION, country)
    riv = await add_place(d, "AR-N-RIV", Level.CITY, north)
    lake = await add_place(d, "AR-S-LAKE", Level.COUNTY, south)
    return {
        "north": north,
        "country": country,
        "centre": await add_org(d, "National Centre", K.NATIONAL_AGENCY, country),
        "riverton": await add_org(d, "Riverton City Hall", K.LOCAL_GOVERNMENT, riv),
        "lakeside": await add_org(d, "Lakeside County", K.LOCAL_GOVERNMENT, lake),
        "pending": await add_org(d, "Pending Town", K.LOCAL_GOVERNMENT, riv, verified=False),
        "cso": await add_org(d, "Bridges", K.CSO, riv),
    }


async def draft(deps, world, jurisdiction="country"):
    """A draft strategy issued by the national centre for world[jurisdiction]."""
    cmd = CreateFramework(
        FrameworkKind.STRATEGY, world["centre"].id, world[jurisdiction].id, CONTENT
    )
    return await create_framework(deps.uow(NATIONAL_ADMIN), cmd)
