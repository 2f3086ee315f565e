"""Framework handlers and queries on a real migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nlc.registry.v1 import events_pb2
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.registry.domain.frameworks import (
    FrameworkContent,
    FrameworkKind,
    FrameworkState,
    Pillar,
)
from services.registry.handlers.frameworks import (
    AcknowledgeFramework,
    AdoptFramework,
    CommentOnFramework,
    CreateFramework,
    OpenConsultation,
    UpdateFramework,
    acknowledge_framework,
    adopt_framework,
    comment_on_framework,
    create_framework,
    open_consultation,
    update_framework,
)
from services.registry.queries import frameworks as q
from tests.integration.registry.conftest import NATIONAL_ADMIN, member
from tests.integration.registry.frameworks_world import CONTENT, draft, framework_world


@pytest.fixture
async def world(registry_deps):
    return await framework_world(registry_deps)


async def test_lifecycle_with_comments_adoption_and_acknowledgement(
    registry_deps, world, outbox_events, audit_of
):
    d = registry_deps
    framework = await draft(d, world)
    assert (framework.state, framework.version) == (FrameworkState.DRAFT, 1)
    closes = date(2026, 3, 20)
    opened = await open_consultation(d.uow(NATIONAL_ADMIN), OpenConsultation(framework.id, closes))
    assert (opened.state, opened.consultation_closes) == (FrameworkState.CONSULTATION, closes)
    officer = member(world["riverton"].id, "city-officer")
    comment = await comment_on_framework(
        d.uow(officer), CommentOnFramework(framework.id, "P1", "Add youth workers.")
    )
    assert comment.organisation_id == world["riverton"].id
    adopted = await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))
    assert adopted.state is FrameworkState.ADOPTED
    d.clock.advance(timedelta(days=3))
    ack = await acknowledge_framework(
        d.uow(officer), AcknowledgeFramework(framework.id, world["riverton"].id)
    )
    assert ack.acknowledged_by == officer.username
    again = await acknowledge_framework(
        d.uow(officer), AcknowledgeFramework(framework.id, world["riverton"].id)
    )
    assert again == ack
    d.clock.advance(timedelta(days=2))
    async with d.sessions() as s:
        page = await q.list_distributions(s, framework.id, NATIONAL_ADMIN, now=d.clock.now())
        pending = await q.list_distributions(
            s, framework.id, NATIONAL_ADMIN, now=d.clock.now(), pending_only=True
        )
        comments = await q.list_comments(s, framework.id, NATIONAL_ADMIN)
    assert [x.organisation_display_name for x in page.items] == [
        "Lakeside County",
        "Riverton City Hall",
    ]
    assert (page.acknowledged_count, page.pending_count) == (1, 1)
    assert [(x.organisation_id, x.days_waiting) for x in pending.items] == [
        (world["lakeside"].id, 5)
    ]
    assert [c.text for c in comments.items] == ["Add youth workers."]
    subjects = [e.subject for e in await outbox_events() if ".framework." in e.subject]
    assert subjects == [
        "nlc.registry.framework.created",
        "nlc.registry.framework.consultation_opened",
        "nlc.registry.framework.commented",
        "nlc.registry.framework.adopted",
        "nlc.registry.framework.distributed",
        "nlc.registry.framework.distributed",
        "nlc.registry.framework.acknowledged",
    ]
    last = (await outbox_events())[-1].decode(events_pb2.FrameworkDistributionChanged)
    assert last.distribution.organisation == f"organisations/{world['riverton'].id}"
    actions = [a.action for a in await audit_of(f"frameworks/{framework.id}")]
    assert actions == ["create", "open_consultation", "adopt", "acknowledge"]


async def test_distribution_follows_the_jurisdiction_subtree(registry_deps, world):
    framework = await draft(registry_deps, world, jurisdiction="north")
    await adopt_framework(registry_deps.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))
    async with registry_deps.sessions() as s:
        page = await q.list_distributions(
            s, framework.id, NATIONAL_ADMIN, now=registry_deps.clock.now()
        )
    assert [x.organisation_id for x in page.items] == [world["riverton"].id]


async def test_creation_checks_issuer_and_content(registry_deps, world):
    cmd = CreateFramework(FrameworkKind.STRATEGY, world["cso"].id, world["country"].id, CONTENT)
    with pytest.raises(InvalidArgument) as exc:
        await create_framework(registry_deps.uow(NATIONAL_ADMIN), cmd)
    assert exc.value.violations[0].field == "framework.issuing_organisation"
    bad = FrameworkContent("", "", (Pillar("P1", "A"), Pillar("P1", "B")), ())
    cmd = CreateFramework(None, world["centre"].id, world["country"].id, bad)
    with pytest.raises(InvalidArgument) as exc:
        await create_framework(registry_deps.uow(NATIONAL_ADMIN), cmd)
    assert {v.field for v in exc.value.violations} == {
        "framework.kind",
        "framework.title",
        "framework.pillars[1].code",
    }


async def test_updates_only_before_adoption_and_with_fresh_etag(registry_deps, world):
    d = registry_deps
    framework = await draft(d, world)
    new = FrameworkContent("Renamed", "", CONTENT.pillars, CONTENT.indicators)
    updated = await update_framework(
        d.uow(NATIONAL_ADMIN), UpdateFramework(framework.id, new, frozenset({"title"}), "1")
    )
    assert (updated.content.title, updated.content.summary, updated.version) == (
        "Renamed",
        CONTENT.summary,
        2,
    )
    with pytest.raises(Conflict):
        await update_framework(
            d.uow(NATIONAL_ADMIN), UpdateFramework(framework.id, new, frozenset({"title"}), "1")
        )
    no_pillars = FrameworkContent("x", "", (), ())
    with pytest.raises(InvalidArgument) as exc:
        await update_framework(
            d.uow(NATIONAL_ADMIN), UpdateFramework(framework.id, no_pillars, frozenset({"pillars"}))
        )
    assert exc.value.violations[0].field == "framework.indicators[0].pillar_code"
    await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))
    with pytest.raises(FailedPrecondition):
        await update_framework(
            d.uow(NATIONAL_ADMIN), UpdateFramework(framework.id, new, frozenset({"title"}))
        )


async def test_comment_rules(registry_deps, world):
    d = registry_deps
    framework = await draft(d, world)
    officer = member(world["riverton"].id, "city-officer")
    with pytest.raises(NotFound):
        await comment_on_framework(d.uow(officer), CommentOnFramework(framework.id, "", "Hi"))
    reviewer = member(world["centre"].id, "national-reviewer")
    with pytest.raises(FailedPrecondition):
        await comment_on_framework(d.uow(reviewer), CommentOnFramework(framework.id, "", "Hi"))
    await open_consultation(d.uow(NATIONAL_ADMIN), OpenConsultation(framework.id, date(2026, 3, 3)))
    cso_officer = member(world["cso"].id, "city-officer")
    with pytest.raises(PermissionDenied):
        await comment_on_framework(d.uow(cso_officer), CommentOnFramework(framework.id, "", "Hi"))
    with pytest.raises(InvalidArgument) as exc:
        await comment_on_framework(d.uow(officer), CommentOnFramework(framework.id, "P9", "Hi"))
    assert exc.value.violations[0].field == "anchor_code"
    national = await comment_on_framework(
        d.uow(reviewer), CommentOnFramework(framework.id, "P1.OUT.1", "Define 'trained'.")
    )
    assert national.organisation_id == world["centre"].id
    d.clock.advance(timedelta(days=2))
    with pytest.raises(FailedPrecondition):
        await comment_on_framework(d.uow(officer), CommentOnFramework(framework.id, "", "Late"))


async def test_acknowledgement_rules(registry_deps, world):
    d = registry_deps
    framework = await draft(d, world)
    riverton = world["riverton"].id
    officer = member(riverton, "city-officer")
    with pytest.raises(NotFound):
        await acknowledge_framework(d.uow(officer), AcknowledgeFramework(framework.id, riverton))
    await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))
    other = member(world["lakeside"].id, "city-officer")
    with pytest.raises(PermissionDenied):
        await acknowledge_framework(d.uow(other), AcknowledgeFramework(framework.id, riverton))
    with pytest.raises(NotFound):
        await acknowledge_framework(
            d.uow(other), AcknowledgeFramework(framework.id, world["pending"].id)
        )
    pending_officer = member(world["pending"].id, "city-officer")
    with pytest.raises(FailedPrecondition):
        await acknowledge_framework(
            d.uow(pending_officer), AcknowledgeFramework(framework.id, world["pending"].id)
        )
    with pytest.raises(FailedPrecondition):
        await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(framework.id))


async def test_lists_frameworks_by_state(registry_deps, world):
    d = registry_deps
    first = await draft(d, world)
    second = await draft(d, world)
    await adopt_framework(d.uow(NATIONAL_ADMIN), AdoptFramework(second.id))
    async with d.sessions() as s:
        drafts = await q.list_frameworks(s, NATIONAL_ADMIN, state=FrameworkState.DRAFT)
        page = await q.list_frameworks(s, NATIONAL_ADMIN, requested_size=1)
        with pytest.raises(NotFound):
            await q.get_framework(s, "00000000-0000-4000-8000-000000000000")
    assert [f.id for f in drafts.items] == [first.id]
    assert page.next_page_token
