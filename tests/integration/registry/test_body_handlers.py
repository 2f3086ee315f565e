"""Coordination body handlers and queries on a real migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nlc.registry.v1 import events_pb2, organisations_pb2
from services.common.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from services.registry.domain.bodies import (
    BodyContent,
    BodyKind,
    Chair,
    MandateItem,
    MeetingCadence,
    Member,
)
from services.registry.domain.jurisdictions import Level
from services.registry.domain.organisations import OrganisationKind as K
from services.registry.domain.organisations import Sector
from services.registry.handlers.bodies import (
    CreateCoordinationBody,
    UpdateCoordinationBody,
    create_coordination_body,
    update_coordination_body,
)
from services.registry.queries import bodies as q
from tests.integration.registry.conftest import (
    AUDITOR,
    NATIONAL_ADMIN,
    add_org,
    add_place,
    member,
)


@pytest.fixture
async def world(registry_deps):
    d = registry_deps
    country = await add_place(d, "AR", Level.COUNTRY)
    north = await add_place(d, "AR-N", Level.REGION, country)
    south = await add_place(d, "AR-S", Level.REGION, country)
    riv = await add_place(d, "AR-N-RIV", Level.CITY, north)
    lake = await add_place(d, "AR-S-LAKE", Level.COUNTY, south)
    return {
        "north": north,
        "riv": riv,
        "lake": lake,
        "riverton": await add_org(d, "Riverton City Hall", K.LOCAL_GOVERNMENT, riv),
        "lakeside": await add_org(d, "Lakeside County", K.LOCAL_GOVERNMENT, lake),
        "pending": await add_org(d, "Pending Town", K.LOCAL_GOVERNMENT, riv, verified=False),
        "police": await add_org(d, "Riverton Police", K.POLICE, riv),
    }


def content(world, **changes) -> BodyContent:
    base = BodyContent(
        display_name="Riverton Local Prevention Network",
        kind=BodyKind.LOCAL_PREVENTION_NETWORK,
        mandate_items=(MandateItem.MAP_THREATS, MandateItem.WRITE_ACTION_PLAN),
        decision_making="Consensus",
        communication="Minutes within a week",
        chairs=(Chair("Ana Petrova", world["riverton"].id, "Deputy Mayor"),),
        members=(
            Member(Sector.POLICE, world["police"].id, "Insp. Dara Quinn"),
            Member(Sector.EDUCATION),
            Member(Sector.EDUCATION),
        ),
        meeting_cadence=MeetingCadence.MONTHLY,
        established_on=None,
    )
    return replace(base, **changes)


async def create(deps, world, actor=NATIONAL_ADMIN, owner="riverton", place="riv", **changes):
    cmd = CreateCoordinationBody(world[owner].id, world[place].id, content(world, **changes))
    return await create_coordination_body(deps.uow(actor), cmd)


async def test_create_update_and_coverage(registry_deps, world, outbox_events, audit_of):
    d = registry_deps
    officer = member(world["riverton"].id, "city-officer")
    body = await create(d, world, officer)
    assert (body.version, body.created_by) == (1, officer.sub)
    wider = (*content(world).members, Member(Sector.YOUTH), Member(Sector.MEDIA))
    updated = await update_coordination_body(
        d.uow(officer),
        UpdateCoordinationBody(body.id, content(world, members=wider), frozenset({"members"}), "1"),
    )
    assert updated.version == 2
    assert updated.content.display_name == "Riverton Local Prevention Network"
    async with d.sessions() as s:
        coverage = await q.get_sector_coverage(s, body.id, member(world["lakeside"].id))
    assert coverage.present == (
        (Sector.POLICE, 1),
        (Sector.EDUCATION, 2),
        (Sector.YOUTH, 1),
        (Sector.MEDIA, 1),
    )
    assert Sector.LOCAL_GOVERNMENT in coverage.missing  # the chair's city hall does not count
    assert len(coverage.missing) == 5
    events = [e for e in await outbox_events() if "coordination_body" in e.subject]
    assert [e.subject for e in events] == [
        "nlc.registry.coordination_body.created",
        "nlc.registry.coordination_body.updated",
    ]
    decoded = events[1].decode(events_pb2.CoordinationBodyChanged).coordination_body
    assert decoded.name == f"coordinationBodies/{body.id}"
    assert organisations_pb2.SECTOR_MEDIA in [m.sector for m in decoded.members]
    actions = [a.action for a in await audit_of(f"coordinationBodies/{body.id}")]
    assert actions == ["create", "update"]


async def test_who_may_edit(registry_deps, world):
    d = registry_deps
    other = member(world["lakeside"].id, "city-officer")
    with pytest.raises(PermissionDenied):
        await create(d, world, other)
    body = await create(d, world)
    with pytest.raises(PermissionDenied):
        await update_coordination_body(
            d.uow(other), UpdateCoordinationBody(body.id, content(world), frozenset({"kind"}))
        )
    hidden = await create(d, world, owner="pending")
    with pytest.raises(NotFound):
        await update_coordination_body(
            d.uow(other), UpdateCoordinationBody(hidden.id, content(world), frozenset({"kind"}))
        )
    with pytest.raises(Conflict):
        await update_coordination_body(
            d.uow(NATIONAL_ADMIN),
            UpdateCoordinationBody(body.id, content(world), frozenset({"kind"}), "7"),
        )


async def test_references_must_exist(registry_deps, world):
    ghost = "00000000-0000-4000-8000-000000000000"
    officer = member(world["riverton"].id, "city-officer")  # may not see the pending town
    with pytest.raises(InvalidArgument) as exc:
        await create(
            registry_deps,
            world,
            officer,
            chairs=(Chair("A", ghost), Chair("B")),
            members=(Member(Sector.HEALTH), Member(Sector.YOUTH, world["pending"].id)),
        )
    assert {v.field for v in exc.value.violations} == {
        "coordination_body.chairs[0].organisation",
        "coordination_body.members[1].organisation",
    }
    with pytest.raises(InvalidArgument) as exc:
        cmd = CreateCoordinationBody(ghost, world["riv"].id, content(world))
        await create_coordination_body(registry_deps.uow(NATIONAL_ADMIN), cmd)
    assert exc.value.violations[0].field == "coordination_body.owner_organisation"


async def test_lists_filter_by_owner_subtree_and_kind(registry_deps, world):
    d = registry_deps
    riv = await create(d, world)
    lake = await create(
        d,
        world,
        owner="lakeside",
        place="lake",
        display_name="Lakeside Forum",
        kind=BodyKind.COUNTY_ENGAGEMENT_FORUM,
    )
    hidden = await create(d, world, owner="pending", display_name="Pending Table")
    reader = member(world["lakeside"].id, "cso-member")
    async with d.sessions() as s:
        everything = await q.list_bodies(s, reader)
        north = await q.list_bodies(s, reader, jurisdiction_id=world["north"].id)
        forums = await q.list_bodies(s, reader, kind=BodyKind.COUNTY_ENGAGEMENT_FORUM)
        owned = await q.list_bodies(s, AUDITOR, owner_id=world["pending"].id)
        first = await q.list_bodies(s, AUDITOR, requested_size=2)
        rest = await q.list_bodies(s, AUDITOR, requested_size=2, token=first.next_page_token)
    assert [b.id for b in everything.items] == [lake.id, riv.id]
    assert [b.id for b in north.items] == [riv.id]
    assert [b.id for b in forums.items] == [lake.id]
    assert [b.id for b in owned.items] == [hidden.id]
    assert len(first.items + rest.items) == 3
    assert rest.next_page_token == ""
