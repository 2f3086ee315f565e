"""Review handlers and queries on a migrated database: recusal, scoring, moderation, ranking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from services.common.auth import Principal, Role
from services.common.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.common.uow import AuditRecord
from services.grants.deps import GrantsDeps
from services.grants.domain.reviews import OWN_ORGANISATION, ReviewState, Score
from services.grants.handlers import calls as call_handlers
from services.grants.handlers import reviews as h
from services.grants.queries import reviews as q
from services.grants.queries.applications import get_visible_application
from tests.integration.grants.conftest import (
    APPLICANT,
    CSO_ORG,
    FUNDER_ORG,
    MANAGER,
    OTHER_MANAGER_ORG,
    REVIEWER_ORG,
    draft_application,
    member,
    open_call,
    submitted_application,
)

AuditOf = Callable[[str], Awaitable[list[AuditRecord]]]
OTHER_CSO = "0b1c7a52-0000-4000-8000-000000000007"


def reviewer(name: str, org_id: str = REVIEWER_ORG) -> Principal:
    return Principal(f"sub-{name}", name, frozenset({Role.GRANT_REVIEWER}), org_id)


ANA, BEN, CARA = reviewer("ana"), reviewer("ben"), reviewer("cara")
INSIDER = reviewer("insider", CSO_ORG)


def scores(impact: int, feasibility: int) -> tuple[Score, ...]:
    return (Score("impact", impact, "clear"), Score("feasibility", feasibility))


async def join(deps: GrantsDeps, call_id: str, *who: Principal) -> None:
    for p in who:
        await h.register_reviewer(deps.uow(p), h.RegisterReviewer(call_id))


async def assign(deps: GrantsDeps, app_id: str, *who: Principal) -> list:
    cmd = h.AssignReviewers(app_id, tuple(p.sub for p in who))
    return await h.assign_reviewers(deps.uow(MANAGER), cmd)


async def submit(deps: GrantsDeps, who: Principal, review_id: str, given: tuple) -> object:
    cmd = h.SubmitReview(review_id, given, "")
    return await h.submit_review(deps.uow(who), cmd)


async def sees(deps: GrantsDeps, who: Principal, app_id: str) -> bool:
    """Whether who can read the application, and whether it is among their reviews (must agree)."""
    async with deps.sessions() as session:
        mine = await q.my_reviews(session, who.sub, None)
        try:
            await get_visible_application(session, app_id, who)
            readable = True
        except NotFound:
            readable = False
    listed = any(r.application_id == app_id for r in mine)
    assert readable == listed
    return readable


async def setup(deps: GrantsDeps, *who: Principal) -> tuple[str, str]:
    call = await open_call(deps)
    app = await submitted_application(deps, call.id)
    await join(deps, call.id, *who)
    return call.id, app.id


async def test_joining_a_panel_is_idempotent_and_only_managers_list_it(
    grants_deps: GrantsDeps, audit_of: AuditOf
) -> None:
    call = await open_call(grants_deps)
    await join(grants_deps, call.id, ANA, ANA)
    async with grants_deps.sessions() as session:
        panel = await q.get_panel(session, call.id, MANAGER)
        with pytest.raises(PermissionDenied):
            await q.get_panel(session, call.id, member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER))
    assert [(r.username, r.organisation_id) for r in panel] == [("ana", REVIEWER_ORG)]
    history = await audit_of(f"calls/{call.id}/reviewers/{ANA.sub}")
    assert [a.action for a in history] == ["register"]


async def test_a_reviewer_of_the_applicant_organisation_is_recused(
    grants_deps: GrantsDeps,
) -> None:
    _, app_id = await setup(grants_deps, ANA, INSIDER)
    ana, insider = await assign(grants_deps, app_id, ANA, INSIDER)
    assert ana.state == ReviewState.ASSIGNED and ana.recusal_reason == ""
    assert insider.state == ReviewState.RECUSED
    assert insider.recusal_reason == OWN_ORGANISATION
    assert await sees(grants_deps, ANA, app_id)
    async with grants_deps.sessions() as session:
        assert await q.my_reviews(session, INSIDER.sub, None) == []
    with pytest.raises(NotFound):
        await submit(grants_deps, INSIDER, insider.id, scores(5, 5))


async def test_a_recused_reviewer_of_the_applicant_organisation_cannot_read_it(
    grants_deps: GrantsDeps,
) -> None:
    _, app_id = await setup(grants_deps, INSIDER)
    await assign(grants_deps, app_id, INSIDER)
    with pytest.raises(NotFound):
        async with grants_deps.sessions() as session:
            await get_visible_application(session, app_id, INSIDER)


async def test_a_conflict_declared_before_assignment_recuses_and_hides(
    grants_deps: GrantsDeps,
) -> None:
    call_id, app_id = await setup(grants_deps, BEN)
    cmd = h.DeclareConflict(call_id, CSO_ORG, "I sit on their board")
    declared = await h.declare_conflict(grants_deps.uow(BEN), cmd)
    assert [c.organisation_id for c in declared.conflicts] == [CSO_ORG]
    (review,) = await assign(grants_deps, app_id, BEN)
    assert review.state == ReviewState.RECUSED
    assert "I sit on their board" in review.recusal_reason
    assert not await sees(grants_deps, BEN, app_id)
    with pytest.raises(NotFound):
        await submit(grants_deps, BEN, review.id, scores(5, 5))


async def test_a_conflict_declared_after_assignment_recuses_at_once(
    grants_deps: GrantsDeps, audit_of: AuditOf
) -> None:
    call_id, app_id = await setup(grants_deps, BEN)
    (review,) = await assign(grants_deps, app_id, BEN)
    assert await sees(grants_deps, BEN, app_id)
    await submit(grants_deps, BEN, review.id, scores(4, 4))
    cmd = h.DeclareConflict(call_id, CSO_ORG, "My sister runs it")
    await h.declare_conflict(grants_deps.uow(BEN), cmd)
    assert not await sees(grants_deps, BEN, app_id)
    (again,) = await assign(grants_deps, app_id, BEN)
    assert again.id == review.id and again.state == ReviewState.RECUSED
    assert [a.action for a in await audit_of(f"reviews/{review.id}")][-1] == "recuse"
    async with grants_deps.sessions() as session:
        (ranked,) = (await q.get_ranking(session, call_id, MANAGER)).applications
    assert ranked.reviews_done == 0


async def test_assignment_rules(grants_deps: GrantsDeps) -> None:
    call_id, app_id = await setup(grants_deps, ANA)
    first = await assign(grants_deps, app_id, ANA)
    assert [r.id for r in await assign(grants_deps, app_id, ANA)] == [r.id for r in first]
    with pytest.raises(FailedPrecondition) as caught:
        await assign(grants_deps, app_id, ANA, CARA)
    assert [v.field for v in caught.value.violations] == ["reviewer_user_ids[1]"]
    assert "'sub-cara'" in caught.value.violations[0].description
    cmd = h.AssignReviewers(app_id, (ANA.sub,))
    with pytest.raises(NotFound):
        other = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
        await h.assign_reviewers(grants_deps.uow(other), cmd)
    with pytest.raises(PermissionDenied):
        await h.assign_reviewers(grants_deps.uow(APPLICANT), cmd)
    draft = await draft_application(grants_deps, call_id)
    with pytest.raises(FailedPrecondition, match="submitted"):
        await assign(grants_deps, draft.id, ANA)
    await call_handlers.close_call(grants_deps.uow(MANAGER), call_handlers.CallRef(call_id))
    await join(grants_deps, call_id, BEN)
    (closed_call_review,) = await assign(grants_deps, app_id, BEN)
    assert closed_call_review.state == ReviewState.ASSIGNED


async def test_scores_are_checked_and_resubmission_is_allowed(grants_deps: GrantsDeps) -> None:
    _, app_id = await setup(grants_deps, ANA, BEN)
    review, _ = await assign(grants_deps, app_id, ANA, BEN)
    with pytest.raises(InvalidArgument) as caught:
        await submit(grants_deps, ANA, review.id, (Score("impact", 6), Score("charm", 1)))
    fields = sorted(v.field for v in caught.value.violations)
    assert fields == ["scores", "scores[0].score", "scores[1].criterion_code"]
    with pytest.raises(NotFound):
        await submit(grants_deps, BEN, review.id, scores(1, 1))
    done = await submit(grants_deps, ANA, review.id, scores(3, 3))
    grants_deps.clock.advance(timedelta(hours=1))
    again = await submit(grants_deps, ANA, review.id, scores(5, 4))
    assert again.state == ReviewState.SUBMITTED and again.submit_time > done.submit_time
    assert {s.criterion_code: s.score for s in again.scores} == {"impact": 5, "feasibility": 4}


async def test_moderation_keeps_the_original(grants_deps: GrantsDeps, audit_of: AuditOf) -> None:
    call_id, app_id = await setup(grants_deps, ANA)
    (review,) = await assign(grants_deps, app_id, ANA)
    await submit(grants_deps, ANA, review.id, scores(2, 5))
    moderate = h.ModerateScore(review.id, "impact", 4, "Scored against the wrong guidance")
    await h.moderate_score(grants_deps.uow(MANAGER), moderate)
    again = h.ModerateScore(review.id, "impact", 5, "Panel consensus")
    changed = await h.moderate_score(grants_deps.uow(MANAGER), again)
    impact = next(s for s in changed.scores if s.criterion_code == "impact")
    assert (impact.score, impact.original_score, impact.moderated) == (5, 2, True)
    assert (impact.moderation_reason, impact.moderated_by) == ("Panel consensus", MANAGER.username)
    assert impact.comment == "clear"
    actions = [(a.action, a.details.get("reason")) for a in await audit_of(f"reviews/{review.id}")]
    assert actions[-2:] == [
        ("moderate", "Scored against the wrong guidance"),
        ("moderate", "Panel consensus"),
    ]
    with pytest.raises(InvalidArgument, match="reason"):
        await h.moderate_score(
            grants_deps.uow(MANAGER), h.ModerateScore(review.id, "impact", 1, "")
        )
    with pytest.raises(NotFound):
        other = member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)
        await h.moderate_score(grants_deps.uow(other), again)
    with pytest.raises(FailedPrecondition, match="moderated"):
        await submit(grants_deps, ANA, review.id, scores(1, 1))
    async with grants_deps.sessions() as session:
        (ranked,) = (await q.get_ranking(session, call_id, MANAGER)).applications
    assert ranked.weighted_score == 100_000  # (5*3 + 5*2) / (5*3 + 5*2)


async def test_ranking_orders_by_score_then_reviews_done_and_counts(
    grants_deps: GrantsDeps,
) -> None:
    call = await open_call(grants_deps)
    await join(grants_deps, call.id, ANA, BEN, CARA)
    apps = {}
    for key in "ABCD":
        apps[key] = (await submitted_application(grants_deps, call.id, title=f"Project {key}")).id
        grants_deps.clock.advance(timedelta(minutes=1))
    given = {
        "A": [(ANA, (5, 5)), (BEN, (4, 4))],  # 25/25, 20/25 -> 90.000 %
        "B": [(ANA, (5, 4))],  # 23/25 -> 92.000 %
        "C": [(ANA, (4, 5)), (BEN, (5, 4))],  # 22/25, 23/25 -> 90.000 %
    }
    for key, marks in given.items():
        reviews = await assign(grants_deps, apps[key], *(who for who, _ in marks))
        for review, (who, (impact, feasibility)) in zip(reviews, marks, strict=True):
            await submit(grants_deps, who, review.id, scores(impact, feasibility))
    await assign(grants_deps, apps["D"], CARA)  # assigned, never submitted
    async with grants_deps.sessions() as session:
        ranking = await q.get_ranking(session, call.id, MANAGER)
        funder_view = await q.get_ranking(session, call.id, member(FUNDER_ORG, Role.FUNDER))
        with pytest.raises(PermissionDenied):
            await q.get_ranking(session, call.id, member(OTHER_CSO, Role.FUNDER))
        with pytest.raises(PermissionDenied):
            await q.get_ranking(session, call.id, APPLICANT)
    by_id = {v: k for k, v in apps.items()}
    rows = [
        (by_id[a.application_id], a.rank, a.weighted_score, a.reviews_done, a.reviews_needed)
        for a in ranking.applications
    ]
    assert rows == [
        ("B", 1, 92_000, 1, 2),
        ("A", 2, 90_000, 2, 2),
        ("C", 2, 90_000, 2, 2),
        ("D", 4, 0, 0, 2),
    ]
    assert ranking.applications[0].title == "Project B"
    assert funder_view == ranking
