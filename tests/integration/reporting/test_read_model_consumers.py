"""The read model fed by registry and grants events, built from real protobuf messages: place
paths through moves, splits and out-of-order arrivals; awards opening grant obligations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select

from nlc.common.v1 import common_pb2
from nlc.grants.v1 import awards_pb2, calls_pb2
from nlc.grants.v1 import events_pb2 as grants_events
from nlc.registry.v1 import (
    events_pb2,
    frameworks_pb2,
    jurisdictions_pb2,
    mandates_pb2,
    organisations_pb2,
)
from services.common import demo_ids
from services.common.messaging import EventEnvelope
from services.reporting.consumers import (
    UnknownCall,
    grants_event_handler,
    handle_registry_event,
)
from services.reporting.orm import obligation_rows as rows
from services.reporting.orm.obligations import expected_reports, obligations
from services.reporting.orm.read_model import (
    known_awards,
    known_frameworks,
    known_jurisdictions,
    known_mandates,
    known_organisations,
)

LAND, OTHER_LAND, REGION, CITY, EAST, WEST = (
    f"5a000000-0000-4000-8000-00000000000{i}" for i in range(1, 7)
)
T0 = datetime(2026, 2, 1, tzinfo=UTC)
CALL = "3c000000-0000-4000-8000-000000000009"
AWARD = "3a000000-0000-4000-8000-000000000009"


def _unit(uid: str, code: str, parent: str = "", **extra) -> jurisdictions_pb2.Jurisdiction:
    return jurisdictions_pb2.Jurisdiction(
        name=f"jurisdictions/{uid}",
        id=uid,
        code=code,
        display_name=code.title(),
        level=jurisdictions_pb2.JURISDICTION_LEVEL_REGION,
        parent=f"jurisdictions/{parent}" if parent else "",
        valid_from="2020-01-01",
        **extra,
    )


async def _deliver(deps, handler, subject: str, message, at: datetime = T0) -> None:
    envelope = EventEnvelope(subject, subject, "", at, message.SerializeToString(), 1)
    async with deps.sessions() as session:
        await handler(session, envelope)
        await session.commit()


async def _registry(deps, subject: str, message, at: datetime = T0) -> None:
    await _deliver(deps, handle_registry_event, subject, message, at)


async def _created(deps, unit, at: datetime = T0) -> None:
    changed = events_pb2.JurisdictionChanged(jurisdiction=unit)
    await _registry(deps, "nlc.registry.jurisdiction.created", changed, at)


async def _paths(deps) -> dict[str, str]:
    t = known_jurisdictions
    async with deps.sessions() as session:
        return {r.id: r.path for r in await session.execute(select(t.c.id, t.c.path))}


async def test_children_arriving_before_their_parents_are_moved_under_them(reporting_deps) -> None:
    await _created(reporting_deps, _unit(CITY, "CITY", REGION))
    await _created(reporting_deps, _unit(REGION, "REGION", LAND))
    assert (await _paths(reporting_deps))[CITY] == f"/{REGION}/{CITY}/"
    await _created(reporting_deps, _unit(LAND, "LAND"))
    assert await _paths(reporting_deps) == {
        LAND: f"/{LAND}/",
        REGION: f"/{LAND}/{REGION}/",
        CITY: f"/{LAND}/{REGION}/{CITY}/",
    }


async def test_moving_a_region_moves_its_whole_subtree(reporting_deps) -> None:
    for unit in (
        _unit(LAND, "LAND"),
        _unit(OTHER_LAND, "OTHER"),
        _unit(REGION, "REGION", LAND),
        _unit(CITY, "CITY", REGION),
    ):
        await _created(reporting_deps, unit)
    moved = events_pb2.JurisdictionChanged(jurisdiction=_unit(REGION, "REGION", OTHER_LAND))
    later = T0 + timedelta(hours=1)
    await _registry(reporting_deps, "nlc.registry.jurisdiction.updated", moved, later)
    paths = await _paths(reporting_deps)
    assert paths[REGION] == f"/{OTHER_LAND}/{REGION}/"
    assert paths[CITY] == f"/{OTHER_LAND}/{REGION}/{CITY}/"
    assert paths[LAND] == f"/{LAND}/"

    # A late redelivery of the older state changes nothing.
    await _created(reporting_deps, _unit(REGION, "REGION", LAND))
    assert await _paths(reporting_deps) == paths


async def test_a_split_places_the_parts_and_retires_the_unit(reporting_deps) -> None:
    for unit in (_unit(LAND, "LAND"), _unit(REGION, "REGION", LAND), _unit(CITY, "CITY", REGION)):
        await _created(reporting_deps, unit)
    split = events_pb2.JurisdictionSplit(
        retired=_unit(CITY, "CITY", REGION, valid_to="2026-01-31"),
        parts=[_unit(EAST, "CITY-E", REGION), _unit(WEST, "CITY-W", LAND)],
        reason="boundary review",
    )
    await _registry(
        reporting_deps, "nlc.registry.jurisdiction.split", split, T0 + timedelta(hours=1)
    )
    paths = await _paths(reporting_deps)
    assert paths[EAST] == f"/{LAND}/{REGION}/{EAST}/"
    assert paths[WEST] == f"/{LAND}/{WEST}/"
    async with reporting_deps.sessions() as session:
        retired = (
            await session.execute(
                select(known_jurisdictions).where(known_jurisdictions.c.id == CITY)
            )
        ).one()
    assert (retired.valid_to.isoformat(), retired.level) == ("2026-01-31", "region")


async def test_organisations_mandates_and_frameworks_are_kept(reporting_deps) -> None:
    org = organisations_pb2.Organisation(
        name=f"organisations/{demo_ids.LAKESIDE}",
        id=demo_ids.LAKESIDE,
        display_name="Lakeside Municipality",
        kind=organisations_pb2.ORGANISATION_KIND_LOCAL_GOVERNMENT,
        jurisdiction=f"jurisdictions/{CITY}",
        verification_state=organisations_pb2.VERIFICATION_STATE_VERIFIED,
    )
    changed = events_pb2.OrganisationChanged(organisation=org)
    await _registry(reporting_deps, "nlc.registry.organisation.verified", changed)
    mandate = mandates_pb2.Mandate(
        name=f"organisations/{demo_ids.LAKESIDE}/mandate",
        organisation=f"organisations/{demo_ids.LAKESIDE}",
        version=3,
        reporting_obligation=mandates_pb2.ReportingObligation(
            overseeing_body=f"organisations/{demo_ids.CENTRE}",
            periodicity=mandates_pb2.REPORTING_PERIODICITY_QUARTERLY,
        ),
    )
    await _registry(
        reporting_deps, "nlc.registry.mandate.set", events_pb2.MandateSet(mandate=mandate)
    )
    framework = frameworks_pb2.Framework(
        name="frameworks/6f000000-0000-4000-8000-000000000001",
        id="6f000000-0000-4000-8000-000000000001",
        title="National Strategy",
        state=frameworks_pb2.FRAMEWORK_STATE_ADOPTED,
        pillars=[frameworks_pb2.Pillar(code="P1", title="Prevent", description="...")],
        indicators=[
            frameworks_pb2.StandardIndicator(
                code="P1.OUT.1",
                title="Residents reached",
                pillar_code="P1",
                level=frameworks_pb2.INDICATOR_LEVEL_OUTPUT,
                unit="people",
                direction=frameworks_pb2.INDICATOR_DIRECTION_UP,
                disaggregations=[
                    frameworks_pb2.DISAGGREGATION_SEX,
                    frameworks_pb2.DISAGGREGATION_AGE_GROUP,
                ],
            )
        ],
    )
    await _registry(
        reporting_deps,
        "nlc.registry.framework.adopted",
        events_pb2.FrameworkChanged(framework=framework),
    )
    # Framework comments carry another message and are ignored.
    await _registry(
        reporting_deps, "nlc.registry.framework.commented", events_pb2.FrameworkCommented()
    )
    async with reporting_deps.sessions() as session:
        known_org = (await session.execute(select(known_organisations))).one()
        known_mandate = (await session.execute(select(known_mandates))).one()
        known_framework = (await session.execute(select(known_frameworks))).one()
    assert (known_org.kind, known_org.verification_state, known_org.jurisdiction_id) == (
        "local_government",
        "verified",
        CITY,
    )
    assert (
        known_mandate.organisation_id,
        known_mandate.overseeing_org_id,
        known_mandate.periodicity,
        known_mandate.fiscal_start_month,
        known_mandate.version,
    ) == (demo_ids.LAKESIDE, demo_ids.CENTRE, "quarterly", 1, 3)
    assert known_framework.state == "adopted"
    assert known_framework.pillars == [{"code": "P1", "title": "Prevent"}]
    assert known_framework.indicators == [
        {
            "code": "P1.OUT.1",
            "title": "Residents reached",
            "pillar_code": "P1",
            "level": "output",
            "unit": "people",
            "direction": "up",
            "disaggregations": ["sex", "age_group"],
        }
    ]


def _call() -> calls_pb2.Call:
    return calls_pb2.Call(
        name=f"calls/{CALL}",
        id=CALL,
        title="Shared Endeavour Fund",
        managing_organisation=f"organisations/{demo_ids.RIVERTON}",
    )


def _award() -> awards_pb2.Award:
    money = common_pb2.Money(currency_code="EUR", minor_units=1_000_000)
    awarded = Timestamp()
    awarded.FromDatetime(datetime(2026, 2, 20, 15, 0, tzinfo=UTC))
    return awards_pb2.Award(
        name=f"awards/{AWARD}",
        id=AWARD,
        call=f"calls/{CALL}",
        grantee_organisation=f"organisations/{demo_ids.BRIDGES}",
        amount=money,
        funder_shares=[
            awards_pb2.FunderShare(funder=f"organisations/{demo_ids.RIVERTON}", amount=money),
            awards_pb2.FunderShare(funder=f"organisations/{demo_ids.TELECOM}", amount=money),
        ],
        reporting_duty=calls_pb2.ReportingDuty(
            periodicity=mandates_pb2.REPORTING_PERIODICITY_QUARTERLY,
            final_evaluation_required=True,
        ),
        award_time=awarded,
    )


async def _grants(deps, subject: str, message) -> None:
    await _deliver(deps, grants_event_handler(deps.clock), subject, message)


async def test_an_award_opens_the_grantees_obligation(reporting_deps, places) -> None:
    await _grants(reporting_deps, "nlc.grants.call.opened", grants_events.CallChanged(call=_call()))
    made = grants_events.AwardMade(award=_award())
    await _grants(reporting_deps, "nlc.grants.award.made", made)
    await _grants(reporting_deps, "nlc.grants.award.made", made)  # a redelivery adds nothing
    async with reporting_deps.sessions() as session:
        award = (await session.execute(select(known_awards))).one()
        found = (await session.execute(select(obligations))).all()
        obligation = await rows.load_obligation(session, award_id=AWARD)
        cycles = (await session.scalars(select(expected_reports.c.cycle_code))).all()
    assert award.funder_org_ids == [demo_ids.RIVERTON, demo_ids.TELECOM]
    assert (award.periodicity, award.final_evaluation_required) == ("quarterly", True)
    assert len(found) == 1 and obligation is not None
    assert (
        obligation.organisation_id,
        obligation.reviewing_org_id,
        obligation.jurisdiction_id,
        obligation.start_on.isoformat(),
        obligation.call_id,
    ) == (demo_ids.BRIDGES, demo_ids.RIVERTON, places.riverton, "2026-02-20", CALL)
    assert cycles == ["2026-Q1"]


async def test_an_award_of_an_unknown_call_is_refused_not_guessed(reporting_deps, places) -> None:
    made = grants_events.AwardMade(award=_award())
    with pytest.raises(UnknownCall):
        await _grants(reporting_deps, "nlc.grants.award.made", made)
    async with reporting_deps.sessions() as session:
        assert (await session.execute(select(obligations))).all() == []
