"""Draft frameworks are seen only by national roles, auditors and the issuer (both databases)."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.auth import Principal, Role
from services.common.errors import NotFound
from services.registry.domain.frameworks import FrameworkState
from services.registry.handlers.frameworks import (
    AdoptFramework,
    CommentOnFramework,
    OpenConsultation,
    adopt_framework,
    comment_on_framework,
    open_consultation,
)
from services.registry.queries import frameworks as q
from tests.integration.registry.conftest import AUDITOR, NATIONAL_ADMIN, member
from tests.integration.registry.frameworks_world import draft, framework_world


@pytest.fixture
async def world(registry_deps):
    return await framework_world(registry_deps)


async def test_drafts_are_seen_only_by_national_roles_auditors_and_the_issuer(registry_deps, world):
    d = registry_deps
    drafted = await draft(d, world)
    consulted = await draft(d, world)
    await open_consultation(
        d.uow(NATIONAL_ADMIN), OpenConsultation(consulted.id, date(2026, 3, 20))
    )
    adopted = await draft(d, world)
    await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(adopted.id))
    centre, riverton = world["centre"].id, world["riverton"].id
    insiders = [
        NATIONAL_ADMIN,
        AUDITOR,
        Principal("sub-platform", "padmin", frozenset({Role.PLATFORM_ADMIN}), None),
        member(riverton, Role.NATIONAL_REVIEWER),
        member(centre, Role.CSO_MEMBER),
    ]
    outsiders = [
        member(riverton, Role.CITY_OFFICER),
        member(world["cso"].id, Role.CSO_MEMBER),
        Principal("sub-nobody", "nobody", frozenset(), None),
    ]
    everything = {drafted.id, consulted.id, adopted.id}
    async with d.sessions() as s:
        for actor in insiders:
            seen = await q.get_visible_framework(s, drafted.id, actor)
            assert seen.state is FrameworkState.DRAFT
            assert {f.id for f in (await q.list_frameworks(s, actor)).items} == everything
            drafts = await q.list_frameworks(s, actor, state=FrameworkState.DRAFT)
            assert [f.id for f in drafts.items] == [drafted.id]
        for actor in outsiders:
            with pytest.raises(NotFound):
                await q.get_visible_framework(s, drafted.id, actor)
            assert (await q.get_visible_framework(s, consulted.id, actor)).id == consulted.id
            assert (await q.get_visible_framework(s, adopted.id, actor)).id == adopted.id
            listed = {f.id for f in (await q.list_frameworks(s, actor)).items}
            assert listed == {consulted.id, adopted.id}
            assert (await q.list_frameworks(s, actor, state=FrameworkState.DRAFT)).items == []


async def test_paging_through_frameworks_skips_hidden_drafts(registry_deps, world):
    d = registry_deps
    public = []
    for _ in range(3):
        await draft(d, world)
        framework = await draft(d, world)
        await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))
        public.append(framework.id)
    officer = member(world["riverton"].id, Role.CITY_OFFICER)
    seen, token = [], ""
    async with d.sessions() as s:
        while True:
            page = await q.list_frameworks(s, officer, requested_size=2, token=token)
            seen += [f.id for f in page.items]
            if not (token := page.next_page_token):
                break
    assert sorted(seen) == sorted(public)


async def test_a_hidden_draft_is_not_found_for_comments_distributions_and_acknowledgement(
    registry_deps, world
):
    framework = await draft(registry_deps, world)
    officer = member(world["riverton"].id, "city-officer")
    async with registry_deps.sessions() as s:
        with pytest.raises(NotFound):
            await q.list_comments(s, framework.id, officer)
        with pytest.raises(NotFound):
            await q.list_distributions(s, framework.id, officer, now=registry_deps.clock.now())
    with pytest.raises(NotFound):
        await comment_on_framework(
            registry_deps.uow(officer), CommentOnFramework(framework.id, "", "Early look")
        )
