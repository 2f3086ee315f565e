"""ListReviews: an application's reviews for the call's managers, with moderation shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import pytest

from nlc.grants.v1 import reviews_pb2 as pb
from services.common.auth import Principal, Role
from services.common.errors import InvalidArgument, NotFound, PermissionDenied
from services.grants.api.reviews import POLICIES
from services.grants.deps import GrantsDeps
from tests.integration.grants.conftest import (
    APPLICANT,
    MANAGER,
    NOW,
    OTHER_MANAGER_ORG,
    PLATFORM_ADMIN,
    REVIEWER_ORG,
    member,
    open_call,
    submitted_application,
)
from tests.integration.grants.test_review_api import Api, call_as

PANEL = Principal("sub-panel", "panel", frozenset({Role.GRANT_REVIEWER}), REVIEWER_ORG)
OUTSIDER = Principal("sub-outsider", "outsider", frozenset({Role.GRANT_REVIEWER}), REVIEWER_ORG)


@dataclass(frozen=True)
class Reviewed:
    api: Api
    call: str
    application: str
    review: str


async def reviewed_application(deps: GrantsDeps) -> Reviewed:
    """An application PANEL scored (impact 4, feasibility 3); OUTSIDER is on the panel but
    not assigned to it."""
    api = Api(deps)
    call = await open_call(deps)
    app = await submitted_application(deps, call.id)
    call_name, app_name = f"calls/{call.id}", f"applications/{app.id}"
    for who in (PANEL, OUTSIDER):
        await call_as(who, api.RegisterReviewer, pb.RegisterReviewerRequest(call=call_name))
    assign = pb.AssignReviewersRequest(application=app_name, reviewer_user_ids=[PANEL.sub])
    (review,) = (await call_as(MANAGER, api.AssignReviewers, assign)).reviews
    scores = [
        pb.CriterionScore(criterion_code="impact", score=4, comment="Strong reach"),
        pb.CriterionScore(criterion_code="feasibility", score=3),
    ]
    submit = pb.SubmitReviewRequest(name=review.name, scores=scores)
    await call_as(PANEL, api.SubmitReview, submit)
    return Reviewed(api, call_name, app_name, review.name)


async def moderate(r: Reviewed, score: int, reason: str) -> None:
    request = pb.ModerateScoreRequest(
        review=r.review, criterion_code="impact", score=score, reason=reason
    )
    await call_as(MANAGER, r.api.ModerateScore, request)


async def test_a_manager_lists_the_reviews_and_then_sees_the_moderation(
    grants_deps: GrantsDeps,
) -> None:
    r = await reviewed_application(grants_deps)
    request = pb.ListReviewsRequest(parent=r.application)
    listed = await call_as(MANAGER, r.api.ListReviews, request)
    (review,) = listed.reviews
    assert (review.name, review.reviewer_username, review.state) == (
        r.review,
        "panel",
        pb.REVIEW_STATE_SUBMITTED,
    )
    assert {s.criterion_code: s.score for s in review.scores} == {"feasibility": 3, "impact": 4}
    assert not any(s.moderated for s in review.scores)
    assert listed.next_page_token == ""

    await moderate(r, 2, "Reach is overstated")
    (review,) = (await call_as(PLATFORM_ADMIN, r.api.ListReviews, request)).reviews
    impact = next(s for s in review.scores if s.criterion_code == "impact")
    assert (impact.moderated, impact.score, impact.original_score) == (True, 2, 4)
    assert (impact.moderation_reason, impact.moderated_by) == (
        "Reach is overstated",
        MANAGER.username,
    )
    assert impact.moderate_time.ToDatetime(tzinfo=UTC) == NOW


async def test_the_ranking_counts_moderated_scores(grants_deps: GrantsDeps) -> None:
    r = await reviewed_application(grants_deps)
    request = pb.GetRankingRequest(call=r.call)
    (before,) = (await call_as(MANAGER, r.api.GetRanking, request)).applications
    await moderate(r, 5, "Underrated")
    (after,) = (await call_as(MANAGER, r.api.GetRanking, request)).applications
    assert (before.moderated_scores, after.moderated_scores) == (0, 1)
    assert after.weighted_score_milli_pct > before.weighted_score_milli_pct


async def test_reviews_page_with_a_token(grants_deps: GrantsDeps) -> None:
    r = await reviewed_application(grants_deps)
    assign = pb.AssignReviewersRequest(application=r.application, reviewer_user_ids=[OUTSIDER.sub])
    await call_as(MANAGER, r.api.AssignReviewers, assign)
    first = await call_as(
        MANAGER, r.api.ListReviews, pb.ListReviewsRequest(parent=r.application, page_size=1)
    )
    second = await call_as(
        MANAGER,
        r.api.ListReviews,
        pb.ListReviewsRequest(parent=r.application, page_size=1, page_token=first.next_page_token),
    )
    assert sorted(v.reviewer_username for v in (*first.reviews, *second.reviews)) == [
        "outsider",
        "panel",
    ]
    assert second.next_page_token == ""


def test_only_managers_and_platform_admins_may_call_it() -> None:
    assert POLICIES["/nlc.grants.v1.GrantsService/ListReviews"] == {
        Role.GRANT_MANAGER,
        Role.PLATFORM_ADMIN,
    }


async def test_callers_who_may_not_see_the_reviews_are_refused(grants_deps: GrantsDeps) -> None:
    r = await reviewed_application(grants_deps)
    request = pb.ListReviewsRequest(parent=r.application)
    with pytest.raises(PermissionDenied):
        await call_as(APPLICANT, r.api.ListReviews, request)
    for stranger in (OUTSIDER, member(OTHER_MANAGER_ORG, Role.GRANT_MANAGER)):
        with pytest.raises(NotFound):
            await call_as(stranger, r.api.ListReviews, request)


@pytest.mark.parametrize(
    ("parent", "words"),
    [("", "is required"), ("calls/x", "is not a applications name"), ("applications/1", "id")],
)
async def test_a_bad_parent_is_named(grants_deps: GrantsDeps, parent: str, words: str) -> None:
    api = Api(grants_deps)
    with pytest.raises(InvalidArgument) as raised:
        await call_as(MANAGER, api.ListReviews, pb.ListReviewsRequest(parent=parent))
    (violation,) = raised.value.violations
    assert violation.field == "parent" and words in violation.description
