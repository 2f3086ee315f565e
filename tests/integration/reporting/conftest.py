"""Fixtures for reporting: a migrated database (SQLite and PostgreSQL), a seeded read model.

Fixtures
    reporting_deps -> ReportingDeps on a freshly migrated schema; `reporting_deps.clock` is a
        FixedClock at NOW (2026-03-02 09:00 UTC); `reporting_deps.uow(principal)`.
    places -> Places: the read model seeded as if the registry had announced it (see below).
    outbox_events -> async () -> list[StoredEvent]; audit_of -> async (resource) -> [AuditRecord]

The seeded places (demo org ids, so demo users' tokens match):
    country AR "Arland" > regions NORTH, SOUTH > cities RIVERTON (under NORTH), LAKESIDE (SOUTH);
    CENTRE (national agency, country) oversees RIVERTON and LAKESIDE through their mandates
    (semiannual, fiscal start month 1); BRIDGES (CSO in Riverton); TELECOM (private funder);
    framework STRATEGY (adopted) with pillars P1-P4 and standard indicators P1.OUT.1 (people,
    sum, up, by sex and age group), P1.OC.1 (percent, average, up), P4.IM.1 (average, down).

Identities: CITY (city-officer of RIVERTON), OTHER_CITY (city-officer of LAKESIDE), REVIEWER
(national-reviewer of CENTRE), OTHER_REVIEWER (national-reviewer of another body), MANAGER
(grant-manager of RIVERTON), CSO (cso-member of BRIDGES), FUNDER (funder of TELECOM), ADMIN
(national-admin). member(org_id, role) makes any other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common import demo_ids
from services.common.auth import Role
from services.common.clock import FixedClock
from services.common.db import session_factory
from services.common.migrations import upgrade
from services.common.uow import AuditRecord, uow_factory
from services.reporting.deps import ReportingDeps
from services.reporting.orm.read_model import (
    known_frameworks,
    known_jurisdictions,
    known_mandates,
    known_organisations,
)
from tests.support.handler_kit import StoredEvent, audit_entries, member, staged_events

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "reporting" / "migrations"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

COUNTRY = "1a000000-0000-4000-8000-000000000001"
NORTH = "1a000000-0000-4000-8000-000000000002"
SOUTH = "1a000000-0000-4000-8000-000000000003"
RIVERTON_CITY = "1a000000-0000-4000-8000-000000000004"
LAKESIDE_CITY = "1a000000-0000-4000-8000-000000000005"
FRAMEWORK = "1f000000-0000-4000-8000-000000000001"
OTHER_BODY = "0b1c7a52-0000-4000-8000-000000000099"

CITY = member(demo_ids.RIVERTON, Role.CITY_OFFICER)
OTHER_CITY = member(demo_ids.LAKESIDE, Role.CITY_OFFICER)
REVIEWER = member(demo_ids.CENTRE, Role.NATIONAL_REVIEWER)
OTHER_REVIEWER = member(OTHER_BODY, Role.NATIONAL_REVIEWER)
MANAGER = member(demo_ids.RIVERTON, Role.GRANT_MANAGER)
CSO = member(demo_ids.BRIDGES, Role.CSO_MEMBER)
FUNDER = member(demo_ids.TELECOM, Role.FUNDER)
ADMIN = member(demo_ids.CENTRE, Role.NATIONAL_ADMIN)

PILLARS = [{"code": f"P{n}", "title": title} for n, title in enumerate(
    ["Prevent", "Protect", "Partner", "Learn"], start=1
)]  # fmt: skip
STANDARD_INDICATORS = [
    {"code": "P1.OUT.1", "title": "Residents reached", "pillar_code": "P1", "level": "output",
     "unit": "people", "direction": "up", "disaggregations": ["sex", "age_group"]},
    {"code": "P1.OC.1", "title": "Residents who trust others", "pillar_code": "P1",
     "level": "outcome", "unit": "percent", "direction": "up", "disaggregations": []},
    {"code": "P4.IM.1", "title": "Hate incidents per 100,000", "pillar_code": "P4",
     "level": "impact", "unit": "incidents per 100,000", "direction": "down",
     "disaggregations": []},
]  # fmt: skip


@dataclass(frozen=True)
class Places:
    country: str = COUNTRY
    north: str = NORTH
    south: str = SOUTH
    riverton: str = RIVERTON_CITY
    lakeside: str = LAKESIDE_CITY
    framework: str = FRAMEWORK


@pytest.fixture
async def reporting_deps(db_engine: AsyncEngine, db_schema: str) -> AsyncIterator[ReportingDeps]:
    """ReportingDeps on a freshly migrated database, with a FixedClock at NOW."""
    await upgrade(db_engine, MIGRATIONS, schema=db_schema)
    sessions = session_factory(db_engine)
    clock = FixedClock(NOW)
    yield ReportingDeps(sessions=sessions, uow=uow_factory(sessions, clock), clock=clock)


def _unit(unit_id: str, parent: str | None, path: str, code: str, name: str, level: str) -> dict:
    return {
        "id": unit_id,
        "parent_id": parent,
        "code": code,
        "display_name": name,
        "level": level,
        "path": path,
        "valid_from": date(2020, 1, 1),
        "valid_to": None,
        "as_of": NOW,
    }


def _organisation(org_id: str, name: str, kind: str, jurisdiction_id: str) -> dict:
    return {
        "id": org_id,
        "display_name": name,
        "kind": kind,
        "verification_state": "verified",
        "jurisdiction_id": jurisdiction_id,
        "as_of": NOW,
    }


def _mandate(org_id: str) -> dict:
    return {
        "organisation_id": org_id,
        "version": 1,
        "overseeing_org_id": demo_ids.CENTRE,
        "periodicity": "semiannual",
        "fiscal_start_month": 1,
        "as_of": NOW,
    }


async def seed_places(deps: ReportingDeps) -> Places:
    """The read model of the module docstring, written as the consumers would write it."""
    root = f"/{COUNTRY}/"
    units = [
        _unit(COUNTRY, None, root, "AR", "Arland", "country"),
        _unit(NORTH, COUNTRY, f"{root}{NORTH}/", "AR-N", "North", "region"),
        _unit(SOUTH, COUNTRY, f"{root}{SOUTH}/", "AR-S", "South", "region"),
        _unit(RIVERTON_CITY, NORTH, f"{root}{NORTH}/{RIVERTON_CITY}/", "AR-N-RV", "Riverton",
              "city"),
        _unit(LAKESIDE_CITY, SOUTH, f"{root}{SOUTH}/{LAKESIDE_CITY}/", "AR-S-LK", "Lakeside",
              "city"),
    ]  # fmt: skip
    organisations = [
        _organisation(demo_ids.CENTRE, "National Prevention Centre", "national_agency", COUNTRY),
        _organisation(demo_ids.RIVERTON, "City of Riverton", "local_government", RIVERTON_CITY),
        _organisation(demo_ids.LAKESIDE, "Lakeside Municipality", "local_government",
                      LAKESIDE_CITY),
        _organisation(demo_ids.BRIDGES, "Bridges Youth Network", "cso", RIVERTON_CITY),
        _organisation(demo_ids.TELECOM, "Arland Telecom Foundation", "private_sector", COUNTRY),
    ]  # fmt: skip
    framework = {
        "id": FRAMEWORK,
        "title": "National Strategy 2026-2030",
        "state": "adopted",
        "pillars": PILLARS,
        "indicators": STANDARD_INDICATORS,
        "as_of": NOW,
    }
    async with deps.sessions() as session:
        await session.execute(insert(known_jurisdictions), units)
        await session.execute(insert(known_organisations), organisations)
        await session.execute(
            insert(known_mandates), [_mandate(demo_ids.RIVERTON), _mandate(demo_ids.LAKESIDE)]
        )
        await session.execute(insert(known_frameworks).values(**framework))
        await session.commit()
    return Places()


@pytest.fixture
async def places(reporting_deps: ReportingDeps) -> Places:
    """The seeded read model (see the module docstring)."""
    return await seed_places(reporting_deps)


@pytest.fixture
def outbox_events(reporting_deps: ReportingDeps) -> Callable[[], Awaitable[list[StoredEvent]]]:
    """Reads every event staged in the outbox, oldest first."""

    async def read() -> list[StoredEvent]:
        return await staged_events(reporting_deps.sessions)

    return read


@pytest.fixture
def audit_of(reporting_deps: ReportingDeps) -> Callable[[str], Awaitable[list[AuditRecord]]]:
    """Reads a resource's audit history, oldest first."""

    async def read(resource: str) -> list[AuditRecord]:
        return await audit_entries(reporting_deps.sessions, resource)

    return read
