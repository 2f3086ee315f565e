"""Reviewers, reviews and rankings between protobuf and domain."""

from __future__ import annotations

from nlc.grants.v1 import reviews_pb2 as pb
from services.common.resource_names import make_name, to_timestamp
from services.grants.convert.calls import call_name, org_name
from services.grants.domain.reviews import Review, Reviewer, Score
from services.grants.queries.reviews import RankingView

COLLECTION = "reviews"
STATE_PREFIX = "REVIEW_STATE_"


def review_name(review_id: str) -> str:
    return make_name(COLLECTION, review_id)


def reviewer_name(call_id: str, user_id: str) -> str:
    return f"calls/{call_id}/reviewers/{user_id}"


def reviewer_to_proto(r: Reviewer) -> pb.Reviewer:
    return pb.Reviewer(
        name=reviewer_name(r.call_id, r.user_id),
        call=call_name(r.call_id),
        user_id=r.user_id,
        username=r.username,
        organisation=org_name(r.organisation_id),
        declared_conflicts=[org_name(c.organisation_id) for c in r.conflicts],
    )


def scores_from_proto(scores: list[pb.CriterionScore]) -> list[Score]:
    """What a reviewer sends; moderation fields are the service's and are ignored."""
    return [Score(s.criterion_code, s.score, s.comment) for s in scores]


def _score(s: Score) -> pb.CriterionScore:
    return pb.CriterionScore(
        criterion_code=s.criterion_code,
        score=s.score,
        comment=s.comment,
        moderated=s.moderated,
        original_score=s.original_score,
        moderation_reason=s.moderation_reason,
        moderated_by=s.moderated_by,
        moderate_time=to_timestamp(s.moderated_at),
    )


def review_to_proto(r: Review, *, for_manager: bool) -> pb.Review:
    """A review resource; the recusal reason only for managers."""
    return pb.Review(
        name=review_name(r.id),
        application=make_name("applications", r.application_id),
        reviewer_user_id=r.reviewer_user_id,
        reviewer_username=r.reviewer_username,
        state=pb.ReviewState.Value(STATE_PREFIX + r.state.value.upper()),
        scores=[_score(s) for s in r.scores],
        overall_comment=r.overall_comment,
        submit_time=to_timestamp(r.submit_time),
        recusal_reason=r.recusal_reason if for_manager else "",
        etag=str(r.version),
    )


def ranking_to_proto(view: RankingView) -> pb.Ranking:
    return pb.Ranking(
        call=call_name(view.call_id),
        applications=[
            pb.RankedApplication(
                application=make_name("applications", a.application_id),
                title=a.title,
                applicant_organisation=org_name(a.applicant_organisation_id),
                weighted_score_milli_pct=a.weighted_score,
                reviews_done=a.reviews_done,
                reviews_needed=a.reviews_needed,
                rank=a.rank,
                moderated_scores=a.moderated_scores,
            )
            for a in view.applications
        ],
    )
