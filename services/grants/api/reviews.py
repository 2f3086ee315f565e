"""RPCs of review: panels, conflicts, assignments, scores, moderation and ranking."""

from __future__ import annotations

from functools import partial
from typing import Any

from nlc.grants.v1 import reviews_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.errors import invalid
from services.common.field_parser import FieldParser
from services.common.paging import page_reply, paging
from services.common.resource_names import parse_name, parse_optional_name
from services.grants.convert import reviews as convert
from services.grants.deps import GrantsDeps
from services.grants.domain.reviews import MAX_ASSIGN
from services.grants.handlers import reviews as handlers
from services.grants.queries import reviews as queries

_PREFIX = "/nlc.grants.v1.GrantsService/"
_REVIEWERS = frozenset({Role.GRANT_REVIEWER})
_MANAGERS = frozenset({Role.GRANT_MANAGER, Role.PLATFORM_ADMIN})
POLICIES: dict[str, Any] = {
    _PREFIX + "RegisterReviewer": _REVIEWERS,
    _PREFIX + "DeclareConflict": _REVIEWERS,
    _PREFIX + "ListMyReviews": _REVIEWERS,
    _PREFIX + "SubmitReview": _REVIEWERS,
    _PREFIX + "ListReviewers": _MANAGERS,
    _PREFIX + "AssignReviewers": _MANAGERS,
    _PREFIX + "ModerateScore": _MANAGERS,
    _PREFIX + "ListReviews": _MANAGERS,
    _PREFIX + "GetRanking": _MANAGERS | {Role.FUNDER},
}


def _user_ids(values: Any) -> tuple[str, ...]:
    """Distinct reviewer user ids in request order."""
    if not values:
        raise invalid("reviewer_user_ids", "name at least one reviewer")
    if len(values) > MAX_ASSIGN:
        raise invalid("reviewer_user_ids", f"at most {MAX_ASSIGN} reviewers at once")
    for i, v in enumerate(values):
        if not v or len(v) > 255:
            raise invalid(f"reviewer_user_ids[{i}]", "must be a user id of 1-255 characters")
    return tuple(dict.fromkeys(values))


_review_for_manager = partial(convert.review_to_proto, for_manager=True)


class ReviewsApi:
    """Review RPCs; panel membership, recusal and ownership are checked in handlers."""

    deps: GrantsDeps

    async def RegisterReviewer(self, request: pb.RegisterReviewerRequest, context: Any) -> Any:
        cmd = handlers.RegisterReviewer(parse_name(request.call, "calls", field="call"))
        reviewer = await handlers.register_reviewer(self.deps.uow(current_principal()), cmd)
        return convert.reviewer_to_proto(reviewer)

    async def ListReviewers(self, request: pb.ListReviewersRequest, context: Any) -> Any:
        call_id = parse_name(request.call, "calls", field="call")
        async with self.deps.sessions() as session:
            panel = await queries.get_panel(session, call_id, current_principal())
        return pb.ListReviewersResponse(reviewers=[convert.reviewer_to_proto(r) for r in panel])

    async def DeclareConflict(self, request: pb.DeclareConflictRequest, context: Any) -> Any:
        parse = FieldParser()
        call_id = parse(parse_name, request.call, "calls", field="call")
        org_id = parse(parse_name, request.organisation, "organisations", field="organisation")
        if not request.reason.strip():
            parse.add("reason", "is required")
        parse.check()
        assert call_id is not None and org_id is not None
        cmd = handlers.DeclareConflict(call_id, org_id, request.reason)
        reviewer = await handlers.declare_conflict(self.deps.uow(current_principal()), cmd)
        return convert.reviewer_to_proto(reviewer)

    async def AssignReviewers(self, request: pb.AssignReviewersRequest, context: Any) -> Any:
        parse = FieldParser()
        app_id = parse(parse_name, request.application, "applications", field="application")
        user_ids = parse(_user_ids, request.reviewer_user_ids)
        parse.check()
        assert app_id is not None and user_ids is not None
        cmd = handlers.AssignReviewers(app_id, user_ids)
        views = await handlers.assign_reviewers(self.deps.uow(current_principal()), cmd)
        reviews = [convert.review_to_proto(r, for_manager=True) for r in views]
        return pb.AssignReviewersResponse(reviews=reviews)

    async def ListMyReviews(self, request: pb.ListMyReviewsRequest, context: Any) -> Any:
        call_id = parse_optional_name(request.call, "calls", field="call")
        actor = current_principal()
        async with self.deps.sessions() as session:
            mine = await queries.my_reviews(session, actor.sub, call_id)
        reviews = [convert.review_to_proto(r, for_manager=False) for r in mine]
        return pb.ListMyReviewsResponse(reviews=reviews)

    async def SubmitReview(self, request: pb.SubmitReviewRequest, context: Any) -> Any:
        review_id = parse_name(request.name, convert.COLLECTION)
        scores = tuple(convert.scores_from_proto(list(request.scores)))
        cmd = handlers.SubmitReview(review_id, scores, request.overall_comment)
        review = await handlers.submit_review(self.deps.uow(current_principal()), cmd)
        return convert.review_to_proto(review, for_manager=False)

    async def ModerateScore(self, request: pb.ModerateScoreRequest, context: Any) -> Any:
        parse = FieldParser()
        review_id = parse(parse_name, request.review, convert.COLLECTION, field="review")
        if not request.criterion_code:
            parse.add("criterion_code", "is required")
        if not request.reason.strip():
            parse.add("reason", "is required")
        parse.check()
        assert review_id is not None
        cmd = handlers.ModerateScore(
            review_id, request.criterion_code, request.score, request.reason
        )
        review = await handlers.moderate_score(self.deps.uow(current_principal()), cmd)
        return convert.review_to_proto(review, for_manager=True)

    async def ListReviews(self, request: pb.ListReviewsRequest, context: Any) -> Any:
        app_id = parse_name(request.parent, "applications", field="parent")
        async with self.deps.sessions() as session:
            page = await queries.list_reviews(
                session, app_id, current_principal(), **paging(request)
            )
        return page_reply(pb.ListReviewsResponse, "reviews", page, _review_for_manager)

    async def GetRanking(self, request: pb.GetRankingRequest, context: Any) -> Any:
        call_id = parse_name(request.call, "calls", field="call")
        async with self.deps.sessions() as session:
            view = await queries.get_ranking(session, call_id, current_principal())
        return convert.ranking_to_proto(view)
