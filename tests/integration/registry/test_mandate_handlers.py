"""Mandate handlers and queries on a real migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from nlc.registry.v1 import events_pb2, mandates_pb2
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
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
from services.registry.domain.organisations import OrganisationKind, Sector
from services.registry.handlers.mandates import SetMandate, set_mandate
from services.registry.queries.mandates import get_mandate, list_mandate_history
from tests.integration.registry.conftest import (
    AUDITOR,
    NATIONAL_ADMIN,
    add_org,
    add_place,
    member,
)

K = OrganisationKind


@pytest.fixture
async def world(registry_deps):
    d = registry_deps
    country = await add_place(d, "AR", Level.COUNTRY)
    city = await add_place(d, "AR-RIV", Level.CITY, country)
    return {
        "centre": await add_org(d, "National Centre", K.NATIONAL_AGENCY, country),
        "city": await add_org(d, "Riverton City Hall", K.LOCAL_GOVERNMENT, city),
        "pending_city": await add_org(d, "Newtown", K.LOCAL_GOVERNMENT, city, verified=False),
        "cso": await add_org(d, "Bridges", K.CSO, city, sector=Sector.YOUTH),
    }


def terms(overseer, **changes) -> MandateTerms:
    base = MandateTerms(
        sources=(MandateSource.COUNCIL_DECISION, MandateSource.NATIONAL_STRATEGY),
        source_reference="Council decision 2025/14",
        scope=MandateScope.ALL_FORMS,
        specific_forms=(),
        prevention_levels=(PreventionLevel.PRIMARY, PreventionLevel.SECONDARY),
        institutional_model=InstitutionalModel.CITY_WIDE_NETWORK,
        lead_entity="Office of the Mayor",
        focal_point=FocalPoint("Mira Holm", "Coordinator", "mira@riverton.example"),
        reporting_obligation=ReportingObligation(overseer.id, ReportingPeriodicity.SEMIANNUAL),
        effective_from=None,
        change_note="",
    )
    return replace(base, **changes)


async def test_versions_are_appended_and_history_is_newest_first(
    registry_deps, world, outbox_events, audit_of
):
    city, centre = world["city"], world["centre"]
    officer = member(city.id, "city-officer")
    first = await set_mandate(registry_deps.uow(officer), SetMandate(city.id, terms(centre)))
    assert (first.version, first.terms.effective_from) == (1, date(2026, 3, 2))
    assert first.terms.reporting_obligation.fiscal_start_month == 1
    second_terms = terms(
        centre, change_note="Adds tertiary prevention", scope=MandateScope.ALL_FORMS
    )
    second_terms = replace(second_terms, prevention_levels=(PreventionLevel.TERTIARY,))
    second = await set_mandate(
        registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, second_terms, expected_version=1)
    )
    assert second.version == 2
    assert (second.created_by, second.recorded_by) == (officer.sub, NATIONAL_ADMIN.sub)
    async with registry_deps.sessions() as s:
        current = await get_mandate(s, city.id, member(world["cso"].id))
        page = await list_mandate_history(s, city.id, AUDITOR, requested_size=1)
        rest = await list_mandate_history(
            s, city.id, AUDITOR, requested_size=1, token=page.next_page_token
        )
    assert current.terms.prevention_levels == (PreventionLevel.TERTIARY,)
    assert [v.version for v in page.items + rest.items] == [2, 1]
    assert rest.next_page_token == ""
    events = [e for e in await outbox_events() if e.subject == "nlc.registry.mandate.set"]
    assert len(events) == 2
    decoded = events[1].decode(events_pb2.MandateSet).mandate
    assert decoded.name == f"organisations/{city.id}/mandate"
    assert decoded.version == 2
    assert list(decoded.prevention_levels) == [mandates_pb2.PREVENTION_LEVEL_TERTIARY]
    audit = await audit_of(f"organisations/{city.id}/mandate")
    assert [(a.action, a.details["version"]) for a in audit] == [("set", 1), ("set", 2)]


async def test_stale_expected_version_is_a_conflict(registry_deps, world):
    city, centre = world["city"], world["centre"]
    await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, terms(centre)))
    again = terms(centre, change_note="second")
    with pytest.raises(Conflict):
        await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, again, 0))


async def test_change_note_required_after_first_version(registry_deps, world):
    city, centre = world["city"], world["centre"]
    await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, terms(centre)))
    with pytest.raises(InvalidArgument) as exc:
        await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, terms(centre), 1))
    assert [v.field for v in exc.value.violations] == ["mandate.change_note"]


async def test_overseeing_body_must_be_a_national_agency(registry_deps, world):
    city, cso = world["city"], world["cso"]
    with pytest.raises(InvalidArgument) as exc:
        await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(city.id, terms(cso)))
    assert exc.value.violations[0].field == "mandate.reporting_obligation.overseeing_body"


async def test_only_local_governments_hold_a_mandate(registry_deps, world):
    cso, centre = world["cso"], world["centre"]
    with pytest.raises(FailedPrecondition):
        await set_mandate(registry_deps.uow(NATIONAL_ADMIN), SetMandate(cso.id, terms(centre)))


async def test_who_may_set_a_mandate(registry_deps, world):
    city, pending, centre = world["city"], world["pending_city"], world["centre"]
    other_officer = member(world["cso"].id, "city-officer")
    with pytest.raises(PermissionDenied):
        await set_mandate(registry_deps.uow(other_officer), SetMandate(city.id, terms(centre)))
    with pytest.raises(NotFound):
        await set_mandate(registry_deps.uow(other_officer), SetMandate(pending.id, terms(centre)))
    own = member(pending.id, "city-officer")
    created = await set_mandate(registry_deps.uow(own), SetMandate(pending.id, terms(centre)))
    assert created.version == 1
    async with registry_deps.sessions() as s:
        with pytest.raises(NotFound):
            await get_mandate(s, pending.id, other_officer)
        with pytest.raises(NotFound):
            await get_mandate(s, city.id, other_officer)
