"""Jurisdiction handlers and queries on a real migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from nlc.registry.v1 import events_pb2
from services.common.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument
from services.registry.domain.jurisdictions import Level, NewPart
from services.registry.handlers.jurisdictions import (
    CreateJurisdiction,
    MergeJurisdictions,
    SplitJurisdiction,
    UpdateJurisdiction,
    create_jurisdiction,
    merge_jurisdictions,
    split_jurisdiction,
    update_jurisdiction,
)
from services.registry.queries import jurisdictions as q
from tests.integration.registry.conftest import NATIONAL_ADMIN

OLD = date(2020, 1, 1)
SPLIT_DAY = date(2026, 7, 1)


async def create(deps, code, level, parent=None, valid_from=OLD):
    cmd = CreateJurisdiction(code, code.title(), level, parent.id if parent else None, valid_from)
    return await create_jurisdiction(deps.uow(NATIONAL_ADMIN), cmd)


@pytest.fixture
async def tree(registry_deps):
    country = await create(registry_deps, "RV", Level.COUNTRY)
    region = await create(registry_deps, "RV-N", Level.REGION, country)
    city = await create(registry_deps, "RV-N-CITY", Level.CITY, region)
    town = await create(registry_deps, "RV-N-TOWN", Level.CITY, region)
    district = await create(registry_deps, "RV-N-CITY-D1", Level.DISTRICT, country)
    return {"country": country, "region": region, "city": city, "town": town, "d1": district}


async def test_create_records_event_audit_and_defaults(registry_deps, outbox_events, audit_of):
    country = await create_jurisdiction(
        registry_deps.uow(NATIONAL_ADMIN),
        CreateJurisdiction("RV", "Riverland", Level.COUNTRY, None),
    )
    assert (country.valid_from, country.valid_to, country.etag) == (date(2026, 3, 2), None, "1")
    assert country.created_by == NATIONAL_ADMIN.sub
    [event] = await outbox_events()
    assert event.subject == "nlc.registry.jurisdiction.created"
    decoded = event.decode(events_pb2.JurisdictionChanged)
    assert decoded.jurisdiction.code == "RV"
    assert decoded.jurisdiction.name == f"jurisdictions/{country.id}"
    [entry] = await audit_of(f"jurisdictions/{country.id}")
    assert (entry.action, entry.actor_username) == ("create", "nadmin")


async def test_tree_queries(registry_deps, tree):
    async with registry_deps.sessions() as s:
        children = await q.list_jurisdictions(
            s,
            parent_id=tree["region"].id,
            level=None,
            valid_on=date(2026, 3, 2),
            include_retired=False,
        )
        assert [j.code for j in children.items] == ["RV-N-CITY", "RV-N-TOWN"]
        cities = await q.list_jurisdictions(
            s,
            parent_id=None,
            level=Level.DISTRICT,
            valid_on=date(2026, 3, 2),
            include_retired=False,
        )
        assert [j.code for j in cities.items] == ["RV-N-CITY-D1"]
        subtree = await q.subtree_ids(s, tree["region"].id)
        assert set(subtree) == {tree["region"].id, tree["city"].id, tree["town"].id}
        chain = await q.ancestors(s, tree["city"].id)
        assert [j.code for j in chain] == ["RV", "RV-N"]
        assert await q.ancestors(s, tree["country"].id) == []


async def test_listing_pages_through_everything(registry_deps, tree):
    codes, token = [], ""
    async with registry_deps.sessions() as s:
        while True:
            page = await q.list_subtree(
                s,
                tree["country"].id,
                valid_on=date(2026, 3, 2),
                include_retired=False,
                requested_size=2,
                token=token,
            )
            codes += [j.code for j in page.items]
            token = page.next_page_token
            if not token:
                break
    assert sorted(codes) == sorted(j.code for j in tree.values())
    assert len(codes) == len(set(codes))


async def test_bad_and_duplicate_input(registry_deps, tree):
    uow = registry_deps.uow
    with pytest.raises(AlreadyExists):
        await create(registry_deps, "RV-N", Level.REGION, tree["country"])
    with pytest.raises(InvalidArgument) as exc:
        await create_jurisdiction(
            uow(NATIONAL_ADMIN),
            CreateJurisdiction("X", "X", Level.CITY, "00000000-0000-4000-8000-000000000000"),
        )
    assert [v.field for v in exc.value.violations] == ["jurisdiction.parent"]
    with pytest.raises(InvalidArgument) as exc:
        await create(registry_deps, "RV-N2", Level.REGION, tree["city"])
    assert [v.field for v in exc.value.violations] == ["jurisdiction.level"]


async def test_update_renames_recodes_and_checks_etag(registry_deps, tree, outbox_events):
    city = tree["city"]
    updated = await update_jurisdiction(
        registry_deps.uow(NATIONAL_ADMIN),
        UpdateJurisdiction(city.id, display_name="River City", code="RC", etag="1"),
    )
    assert (updated.display_name, updated.code, updated.etag) == ("River City", "RC", "2")
    assert (await outbox_events())[-1].subject == "nlc.registry.jurisdiction.updated"
    with pytest.raises(Conflict):
        await update_jurisdiction(
            registry_deps.uow(NATIONAL_ADMIN), UpdateJurisdiction(city.id, "Again", etag="1")
        )
    with pytest.raises(AlreadyExists):
        await update_jurisdiction(
            registry_deps.uow(NATIONAL_ADMIN), UpdateJurisdiction(city.id, code="RV")
        )


async def test_split_retires_original_and_keeps_lineage(registry_deps, tree, outbox_events):
    retired, parts = await split_jurisdiction(
        registry_deps.uow(NATIONAL_ADMIN),
        SplitJurisdiction(
            tree["region"].id,
            SPLIT_DAY,
            [NewPart("RV-NW", "North-West"), NewPart("RV-NE", "North-East")],
            "reform",
        ),
    )
    assert retired.valid_to == date(2026, 6, 30)
    assert set(retired.successors) == {p.id for p in parts}
    assert all(p.predecessors == (retired.id,) and p.parent_id == tree["country"].id for p in parts)
    event = (await outbox_events())[-1]
    assert event.subject == "nlc.registry.jurisdiction.split"
    assert event.decode(events_pb2.JurisdictionSplit).reason == "reform"
    async with registry_deps.sessions() as s:
        after = await q.list_jurisdictions(
            s,
            parent_id=tree["country"].id,
            level=Level.REGION,
            valid_on=SPLIT_DAY,
            include_retired=False,
        )
        assert sorted(j.code for j in after.items) == ["RV-NE", "RV-NW"]
        # Children are not moved automatically: they stay under the retired region.
        assert tree["region"].id in await q.subtree_ids(s, tree["region"].id)
        assert (await q.get_jurisdiction(s, tree["city"].id)).parent_id == tree["region"].id
    with pytest.raises(FailedPrecondition, match="retired"):
        await split_jurisdiction(
            registry_deps.uow(NATIONAL_ADMIN),
            SplitJurisdiction(
                tree["region"].id, date(2027, 1, 1), [NewPart("A1", "A"), NewPart("A2", "B")]
            ),
        )


async def test_split_to_a_taken_code_changes_nothing(registry_deps, tree, outbox_events):
    before = len(await outbox_events())
    with pytest.raises(AlreadyExists):
        await split_jurisdiction(
            registry_deps.uow(NATIONAL_ADMIN),
            SplitJurisdiction(tree["town"].id, SPLIT_DAY, [NewPart("RV", "A"), NewPart("B1", "B")]),
        )
    async with registry_deps.sessions() as s:
        assert (await q.get_jurisdiction(s, tree["town"].id)).valid_to is None
    assert len(await outbox_events()) == before


async def test_merge_then_lineage_walks_both_ways(registry_deps, tree, audit_of):
    retired, merged = await merge_jurisdictions(
        registry_deps.uow(NATIONAL_ADMIN),
        MergeJurisdictions(
            [tree["city"].id, tree["town"].id], SPLIT_DAY, NewPart("RV-N-UNI", "United"), "merge"
        ),
    )
    assert merged.predecessors == (tree["city"].id, tree["town"].id)
    assert all(r.successors == (merged.id,) and r.valid_to == date(2026, 6, 30) for r in retired)
    _, parts = await split_jurisdiction(
        registry_deps.uow(NATIONAL_ADMIN),
        SplitJurisdiction(
            merged.id, date(2027, 1, 1), [NewPart("U-1", "One"), NewPart("U-2", "Two")]
        ),
    )
    async with registry_deps.sessions() as s:
        older, newer = await q.lineage(s, parts[0].id)
        assert {j.code for j in older} == {"RV-N-CITY", "RV-N-TOWN", "RV-N-UNI"}
        assert older[-1].code == "RV-N-UNI" and newer == []
        older, newer = await q.lineage(s, tree["city"].id)
        assert older == [] and [j.code for j in newer] == ["RV-N-UNI", "U-1", "U-2"]
    actions = [e.action for e in await audit_of(f"jurisdictions/{merged.id}")]
    assert actions == ["create", "split"]


async def test_merge_refuses_units_under_different_parents(registry_deps, tree):
    with pytest.raises(InvalidArgument):
        await merge_jurisdictions(
            registry_deps.uow(NATIONAL_ADMIN),
            MergeJurisdictions([tree["city"].id, tree["d1"].id], SPLIT_DAY, NewPart("M", "M")),
        )
