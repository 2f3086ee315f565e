"""Calls through handlers and queries on a migrated database: drafts, opening rules, closing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from nlc.grants.v1 import events_pb2
from services.common.auth import Role
from services.common.errors import FailedPrecondition, NotFound, PermissionDenied
from services.common.money import Money
from services.grants.domain.calls import CallState, Criterion, Funder, PlannedTranche
from services.grants.handlers import calls as h
from services.grants.queries.calls import get_visible_call, list_calls
from services.grants.scheduler import close_due_calls
from tests.integration.grants.conftest import (
    APPLICANT,
    FUNDER_ORG,
    MANAGER,
    MANAGER_ORG,
    NOW,
    OTHER_MANAGER_ORG,
    PLATFORM_ADMIN,
    call_terms,
    eur,
    member,
    open_call,
)


async def test_a_manager_drafts_a_call_for_their_own_organisation(grants_deps) -> None:
    view = await h.create_call(grants_deps.uow(MANAGER), h.CreateCall(call_terms()))
    assert view.call.state == CallState.DRAFT
    assert view.call.managing_org_id == MANAGER_ORG
    assert view.call.terms.pool == eur(1_000_000)
    other = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
    with pytest.raises(PermissionDenied):
        await h.create_call(grants_deps.uow(other), h.CreateCall(call_terms(), MANAGER_ORG))
    admin_made = await h.create_call(
        grants_deps.uow(PLATFORM_ADMIN), h.CreateCall(call_terms(), OTHER_MANAGER_ORG)
    )
    assert admin_made.call.managing_org_id == OTHER_MANAGER_ORG


async def test_drafts_are_hidden_from_everyone_but_their_managers(grants_deps) -> None:
    draft = await h.create_call(grants_deps.uow(MANAGER), h.CreateCall(call_terms()))
    opened = await open_call(grants_deps)
    async with grants_deps.sessions() as session:
        with pytest.raises(NotFound):
            await get_visible_call(session, draft.id, APPLICANT)
        with pytest.raises(NotFound):
            await get_visible_call(session, draft.id, member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER))
        assert (await get_visible_call(session, draft.id, PLATFORM_ADMIN)).id == draft.id
        assert (await get_visible_call(session, opened.id, APPLICANT)).id == opened.id
        public = await list_calls(session, APPLICANT)
        mine = await list_calls(session, MANAGER)
    assert [v.id for v in public.items] == [opened.id]
    assert {v.id for v in mine.items} == {draft.id, opened.id}


async def test_opening_lists_every_unmet_rule(grants_deps) -> None:
    bad = call_terms(
        funders=(
            Funder(FUNDER_ORG, "A", eur(100)),
            Funder(FUNDER_ORG, "A again", Money("EUR", 0)),
        ),
        min_award=eur(60_000),
        max_award=eur(50_000),
        criteria=(Criterion("impact", weight=0), Criterion("impact", max_score=0)),
        reviews_per_application=0,
        closes_at=NOW - timedelta(hours=1),
        opens_at=NOW - timedelta(days=2),
        tranche_plan=(PlannedTranche("a", 5000, None), PlannedTranche("a", 4000, None)),
    )
    draft = await h.create_call(grants_deps.uow(MANAGER), h.CreateCall(bad))
    with pytest.raises(FailedPrecondition) as caught:
        await h.open_call(grants_deps.uow(MANAGER), h.CallRef(draft.id))
    said = [f"{v.field}: {v.description}" for v in caught.value.violations]
    expected = [
        "call.funders[1].pledge: must be more than zero",
        "is listed more than once",
        "the minimum award is above the maximum award",
        "the maximum award is above the pool",
        "criterion code 'impact' is used more than once",
        "call.criteria[0].weight: must be more than zero",
        "call.criteria[1].max_score: must be more than zero",
        "call.reviews_per_application",
        "call.closes_at: is in the past",
        "shares add up to 9000 basis points",
        "tranche code 'a' is used more than once",
        "call.tranche_plan[0].trigger",
    ]
    for text in expected:
        assert any(text in s for s in said), (text, said)


async def test_opening_emits_an_event_and_open_calls_change_only_a_little(
    grants_deps, outbox_events
) -> None:
    view = await open_call(grants_deps)
    events = await outbox_events()
    assert [e.subject for e in events] == ["nlc.grants.call.opened"]
    assert events[0].decode(events_pb2.CallChanged).call.title == "Shared Endeavour Fund 2026"
    later = replace(view.call.terms, closes_at=view.call.terms.closes_at + timedelta(days=7))
    moved = await h.update_call(
        grants_deps.uow(MANAGER), h.UpdateCall(view.id, later, frozenset({"closes_at"}))
    )
    assert moved.call.terms.closes_at == NOW + timedelta(days=37)
    earlier = replace(later, closes_at=NOW + timedelta(days=1), title="New title")
    with pytest.raises(FailedPrecondition) as caught:
        await h.update_call(
            grants_deps.uow(MANAGER),
            h.UpdateCall(view.id, earlier, frozenset({"closes_at", "title"})),
        )
    said = " | ".join(v.description for v in caught.value.violations)
    assert "title cannot change while the call is open" in said
    assert "can only move later" in said


async def test_other_organisations_cannot_manage_an_open_call(grants_deps) -> None:
    view = await open_call(grants_deps)
    other = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
    with pytest.raises(PermissionDenied):
        await h.close_call(grants_deps.uow(other), h.CallRef(view.id))


async def test_calls_close_at_their_deadline_once(grants_deps, outbox_events) -> None:
    soon = await open_call(grants_deps, closes_at=NOW + timedelta(hours=1))
    later = await open_call(grants_deps, closes_at=NOW + timedelta(days=10))
    assert await close_due_calls(grants_deps) == 0
    grants_deps.clock.advance(timedelta(hours=1))
    assert await close_due_calls(grants_deps) == 1
    assert await close_due_calls(grants_deps) == 0
    async with grants_deps.sessions() as session:
        assert (await get_visible_call(session, soon.id, APPLICANT)).call.state == CallState.CLOSED
        assert (await get_visible_call(session, later.id, APPLICANT)).call.state == CallState.OPEN
    closed = [e for e in await outbox_events() if e.subject == "nlc.grants.call.closed"]
    assert len(closed) == 1


async def test_a_manager_closes_a_call_early_but_not_twice(grants_deps) -> None:
    view = await open_call(grants_deps)
    assert view.call.terms.closes_at > NOW
    closed = await h.close_call(grants_deps.uow(MANAGER), h.CallRef(view.id))
    assert closed.call.state == CallState.CLOSED
    assert closed.call.terms.closes_at == NOW
    with pytest.raises(FailedPrecondition):
        await h.close_call(grants_deps.uow(MANAGER), h.CallRef(view.id))
