"""Review RPCs end to end through the servicer: resources, hidden fields and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from nlc.grants.v1 import reviews_pb2 as pb
from services.common.auth import Principal, Role, bind_principal
from services.common.errors import FailedPrecondition, InvalidArgument
from services.grants.api.reviews import POLICIES, ReviewsApi
from services.grants.deps import GrantsDeps
from tests.integration.grants.conftest import (
    CSO_ORG,
    FUNDER_ORG,
    MANAGER,
    REVIEWER_ORG,
    member,
    open_call,
    submitted_application,
)

PANEL = Principal("sub-panel", "panel", frozenset({Role.GRANT_REVIEWER}), REVIEWER_ORG)
INSIDER = Principal("sub-insider", "insider", frozenset({Role.GRANT_REVIEWER}), CSO_ORG)


class Api(ReviewsApi):
    def __init__(self, deps: GrantsDeps) -> None:
        self.deps = deps


async def call_as(who: Principal, method: Any, request: Any) -> Any:
    with bind_principal(who):
        return await method(request, None)


def test_every_review_rpc_declares_its_roles() -> None:
    methods = [m for m in dir(ReviewsApi) if m[0].isupper()]
    assert sorted(p.rsplit("/", 1)[1] for p in POLICIES) == sorted(methods)
    assert POLICIES["/nlc.grants.v1.GrantsService/GetRanking"] >= {Role.FUNDER}


async def test_review_lifecycle_over_the_api(grants_deps: GrantsDeps) -> None:
    api = Api(grants_deps)
    call = await open_call(grants_deps)
    app = await submitted_application(grants_deps, call.id)
    call_name, app_name = f"calls/{call.id}", f"applications/{app.id}"
    for who in (PANEL, INSIDER):
        joined = await call_as(
            who, api.RegisterReviewer, pb.RegisterReviewerRequest(call=call_name)
        )
        assert joined.name == f"{call_name}/reviewers/{who.sub}"
    assigned = await call_as(
        MANAGER,
        api.AssignReviewers,
        pb.AssignReviewersRequest(application=app_name, reviewer_user_ids=[PANEL.sub, INSIDER.sub]),
    )
    states = [(r.reviewer_username, r.state, bool(r.recusal_reason)) for r in assigned.reviews]
    assert states == [
        ("panel", pb.REVIEW_STATE_ASSIGNED, False),
        ("insider", pb.REVIEW_STATE_RECUSED, True),
    ]
    mine = await call_as(INSIDER, api.ListMyReviews, pb.ListMyReviewsRequest(call=call_name))
    assert list(mine.reviews) == []
    (todo,) = (await call_as(PANEL, api.ListMyReviews, pb.ListMyReviewsRequest())).reviews
    assert todo.application == app_name and todo.recusal_reason == ""
    scores = [
        pb.CriterionScore(criterion_code="impact", score=4, comment="Strong reach"),
        pb.CriterionScore(criterion_code="feasibility", score=3),
    ]
    request = pb.SubmitReviewRequest(name=todo.name, scores=scores, overall_comment="Fund it")
    done = await call_as(PANEL, api.SubmitReview, request)
    assert done.state == pb.REVIEW_STATE_SUBMITTED and done.submit_time.seconds > 0
    moderate = pb.ModerateScoreRequest(
        review=todo.name, criterion_code="feasibility", score=5, reason="Budget was misread"
    )
    moderated = await call_as(MANAGER, api.ModerateScore, moderate)
    feasibility = next(s for s in moderated.scores if s.criterion_code == "feasibility")
    assert (feasibility.score, feasibility.original_score) == (5, 3)
    assert feasibility.moderated and feasibility.moderation_reason == "Budget was misread"
    funder = member(FUNDER_ORG, Role.FUNDER)
    ranking = await call_as(funder, api.GetRanking, pb.GetRankingRequest(call=call_name))
    (row,) = ranking.applications
    # (4*3 + 5*2) / (5*3 + 5*2) = 22/25 = 88 %
    assert (row.application, row.weighted_score_milli_pct, row.rank) == (app_name, 88_000, 1)
    assert (row.reviews_done, row.reviews_needed) == (1, 2)
    panel = await call_as(MANAGER, api.ListReviewers, pb.ListReviewersRequest(call=call_name))
    assert [r.username for r in panel.reviewers] == ["insider", "panel"]


async def test_bad_requests_name_their_fields(grants_deps: GrantsDeps) -> None:
    api = Api(grants_deps)
    call = await open_call(grants_deps)
    with pytest.raises(InvalidArgument) as caught:
        await call_as(PANEL, api.DeclareConflict, pb.DeclareConflictRequest(call="calls/x"))
    assert sorted(v.field for v in caught.value.violations) == ["call", "organisation", "reason"]
    with pytest.raises(InvalidArgument) as caught:
        request = pb.AssignReviewersRequest(application="applications/nope")
        await call_as(MANAGER, api.AssignReviewers, request)
    assert sorted(v.field for v in caught.value.violations) == ["application", "reviewer_user_ids"]
    request = pb.DeclareConflictRequest(
        call=f"calls/{call.id}", organisation=f"organisations/{CSO_ORG}", reason="Board member"
    )
    with pytest.raises(FailedPrecondition, match="panel"):
        await call_as(PANEL, api.DeclareConflict, request)
