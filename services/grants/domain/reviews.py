"""Review panels and reviews: recusal, per-criterion scores, moderation, weighted score, ranking."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from services.common.errors import FailedPrecondition, ViolationCollector, invalid, quoted

FULL_MARKS = 100_000  # milli-percent
COMMENT_LEN, REASON_LEN, MAX_ASSIGN = 4000, 1000, 50
OWN_ORGANISATION = "the reviewer belongs to the applicant organisation"


class ReviewState(StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    RECUSED = "recused"


# What a reviewer sees and works on; RECUSED reviews are for managers' eyes only.
VISIBLE_TO_REVIEWER = (ReviewState.ASSIGNED, ReviewState.SUBMITTED)


class CriterionRule(Protocol):
    """What scoring needs of a call's criterion."""

    @property
    def code(self) -> str: ...
    @property
    def weight(self) -> int: ...
    @property
    def max_score(self) -> int: ...


@dataclass(frozen=True)
class DeclaredConflict:
    organisation_id: str
    reason: str
    declared_at: datetime


@dataclass(frozen=True)
class Reviewer:
    """A panel member of one call, registered from their own token."""

    call_id: str
    user_id: str
    username: str
    organisation_id: str
    registered_at: datetime
    conflicts: tuple[DeclaredConflict, ...] = ()


@dataclass(frozen=True)
class Score:
    """One criterion's score; a moderated score keeps what the reviewer gave."""

    criterion_code: str
    score: int
    comment: str = ""
    moderated: bool = False
    original_score: int = 0
    moderation_reason: str = ""
    moderated_by: str = ""
    moderated_at: datetime | None = None


@dataclass(frozen=True)
class Review:
    id: str
    call_id: str
    application_id: str
    reviewer_user_id: str
    reviewer_username: str
    state: ReviewState
    scores: tuple[Score, ...] = ()
    overall_comment: str = ""
    submit_time: datetime | None = None
    recusal_reason: str = ""
    version: int = 1


def recusal_reason(reviewer: Reviewer, applicant_organisation_id: str) -> str:
    """Why reviewer may not review the applicant's application; "" when they may."""
    if reviewer.organisation_id == applicant_organisation_id:
        return OWN_ORGANISATION
    for conflict in reviewer.conflicts:
        if conflict.organisation_id == applicant_organisation_id:
            return f"the reviewer declared a conflict of interest: {quoted(conflict.reason)}"
    return ""


def check_reason(reason: str, field: str) -> str:
    """A required free-text reason, trimmed and bounded."""
    text = reason.strip()
    if not text:
        raise invalid(field, "is required")
    if len(text) > REASON_LEN:
        raise invalid(field, f"must be at most {REASON_LEN} characters")
    return text


def check_scores(
    criteria: Sequence[CriterionRule], scores: Sequence[Score], overall_comment: str
) -> None:
    """InvalidArgument naming each unknown, repeated, missing or out-of-range score."""
    c = ViolationCollector()
    rules = {r.code: r for r in criteria}
    seen: set[str] = set()
    for i, s in enumerate(scores):
        field = f"scores[{i}]"
        rule = rules.get(s.criterion_code)
        if rule is None:
            c.add(f"{field}.criterion_code", f"{quoted(s.criterion_code)} is not a criterion")
            continue
        if s.criterion_code in seen:
            c.add(f"{field}.criterion_code", f"{quoted(s.criterion_code)} is scored twice")
        seen.add(s.criterion_code)
        c.require(0 <= s.score <= rule.max_score, f"{field}.score", f"must be 0..{rule.max_score}")
        c.require(
            len(s.comment) <= COMMENT_LEN,
            f"{field}.comment",
            f"must be at most {COMMENT_LEN} characters",
        )
    for code in rules.keys() - seen:
        c.add("scores", f"criterion {quoted(code)} is not scored")
    c.require(
        len(overall_comment) <= COMMENT_LEN,
        "overall_comment",
        f"must be at most {COMMENT_LEN} characters",
    )
    c.raise_invalid("invalid review")


def submitted(review: Review, scores: Sequence[Score], comment: str, at: datetime) -> Review:
    """review with the reviewer's scores; resubmission allowed unless a manager moderated it."""
    if review.state == ReviewState.RECUSED:
        raise FailedPrecondition("a recused review cannot be submitted")
    if any(s.moderated for s in review.scores):
        raise FailedPrecondition("a manager has moderated this review; it can no longer change")
    clean = tuple(
        Score(s.criterion_code, s.score, s.comment.strip()) for s in sorted_by_code(scores)
    )
    return replace(
        review,
        state=ReviewState.SUBMITTED,
        scores=clean,
        overall_comment=comment.strip(),
        submit_time=at,
    )


def sorted_by_code(scores: Iterable[Score]) -> list[Score]:
    return sorted(scores, key=lambda s: s.criterion_code)


def moderated(
    review: Review,
    rule: CriterionRule,
    score: int,
    reason: str,
    by: str,
    at: datetime | None = None,
) -> Review:
    """review with one criterion's score changed by a manager at `at`; the reviewer's original
    is kept."""
    if review.state != ReviewState.SUBMITTED:
        raise FailedPrecondition("only a submitted review can be moderated")
    if not 0 <= score <= rule.max_score:
        raise invalid("score", f"must be 0..{rule.max_score}")
    current = next((s for s in review.scores if s.criterion_code == rule.code), None)
    if current is None:
        raise invalid("criterion_code", f"{quoted(rule.code)} is not scored in this review")
    original = current.original_score if current.moderated else current.score
    changed = replace(
        current,
        score=score,
        moderated=True,
        original_score=original,
        moderation_reason=reason,
        moderated_by=by,
        moderated_at=at,
    )
    scores = tuple(changed if s is current else s for s in review.scores)
    return replace(review, scores=scores)


def _points(criteria: Sequence[CriterionRule], scores: Iterable[Score]) -> int:
    """sum(score_i * weight_i) over the call's criteria (unknown codes count nothing)."""
    weights = {r.code: r.weight for r in criteria}
    return sum(s.score * weights.get(s.criterion_code, 0) for s in scores)


def full_points(criteria: Sequence[CriterionRule]) -> int:
    """sum(max_i * weight_i): the points of a review with full marks everywhere."""
    return sum(r.max_score * r.weight for r in criteria)


def _round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def weighted_score(criteria: Sequence[CriterionRule], scores: Iterable[Score]) -> int:
    """One review's weighted score in milli-percent of full marks (0..100000)."""
    return mean_weighted_score(criteria, [scores])


def mean_weighted_score(
    criteria: Sequence[CriterionRule], reviews: Sequence[Iterable[Score]]
) -> int:
    """Exact mean of the reviews' weighted scores, rounded half up once, in milli-percent."""
    full = full_points(criteria)
    if not reviews or full <= 0:
        return 0
    points = sum(_points(criteria, scores) for scores in reviews)
    return _round_half_up(points * FULL_MARKS, full * len(reviews))


@dataclass(frozen=True)
class RankEntry:
    application_id: str
    weighted_score: int
    reviews_done: int
    submit_time: datetime | None


def ranked(entries: Iterable[RankEntry]) -> list[tuple[int, RankEntry]]:
    """(rank, entry) by score desc, reviews done desc, earlier submission first.

    Entries with the same score and the same number of reviews done share a rank (1, 2, 2, 4):
    submission time only orders them on the page, it is no merit.
    """
    order = sorted(
        entries,
        key=lambda e: (
            -e.weighted_score,
            -e.reviews_done,
            e.submit_time is None,
            e.submit_time or datetime.min,
            e.application_id,
        ),
    )
    result: list[tuple[int, RankEntry]] = []
    for position, entry in enumerate(order, start=1):
        prev = result[-1] if result else None
        tied = prev is not None and (prev[1].weighted_score, prev[1].reviews_done) == (
            entry.weighted_score,
            entry.reviews_done,
        )
        result.append((prev[0] if tied and prev else position, entry))
    return result
