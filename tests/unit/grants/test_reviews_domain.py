"""Review rules: recusal, score checks, moderation, weighted score and ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import FailedPrecondition, InvalidArgument
from services.grants.domain.reviews import (
    FULL_MARKS,
    OWN_ORGANISATION,
    DeclaredConflict,
    RankEntry,
    Review,
    Reviewer,
    ReviewState,
    Score,
    check_reason,
    check_scores,
    mean_weighted_score,
    moderated,
    ranked,
    recusal_reason,
    submitted,
    weighted_score,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PANEL_ORG, CSO, OTHER = "org-panel", "org-cso", "org-other"


@dataclass(frozen=True)
class Rule:
    code: str
    weight: int
    max_score: int


CRITERIA = (Rule("impact", 3, 10), Rule("feasibility", 2, 5), Rule("value", 1, 4))


def reviewer(*conflicts: str) -> Reviewer:
    declared = tuple(DeclaredConflict(org, "I chair its board", T0) for org in conflicts)
    return Reviewer("call", "u1", "panel", PANEL_ORG, T0, declared)


def review(state: ReviewState = ReviewState.ASSIGNED, scores: tuple[Score, ...] = ()) -> Review:
    return Review("r1", "call", "app", "u1", "panel", state, scores)


def full_scores(impact: int = 8, feasibility: int = 4, value: int = 2) -> list[Score]:
    return [Score("impact", impact), Score("feasibility", feasibility), Score("value", value)]


def test_a_reviewer_from_the_applicant_organisation_is_recused() -> None:
    assert recusal_reason(reviewer(), PANEL_ORG) == OWN_ORGANISATION


def test_a_declared_conflict_recuses_with_the_reason() -> None:
    assert "conflict of interest" in recusal_reason(reviewer(CSO), CSO)
    assert "I chair its board" in recusal_reason(reviewer(CSO), CSO)
    assert recusal_reason(reviewer(CSO), OTHER) == ""


def test_a_reason_is_required_and_bounded() -> None:
    with pytest.raises(InvalidArgument, match="reason: is required"):
        check_reason("   ", "reason")
    with pytest.raises(InvalidArgument, match="at most"):
        check_reason("x" * 1001, "reason")
    assert check_reason("  typo  ", "reason") == "typo"


def test_every_criterion_must_be_scored_once_within_its_range() -> None:
    check_scores(CRITERIA, full_scores(), "")
    bad = [Score("impact", 11), Score("impact", 3), Score("nonsense", 1)]
    with pytest.raises(InvalidArgument) as caught:
        check_scores(CRITERIA, bad, "")
    fields = {v.field: v.description for v in caught.value.violations}
    assert fields["scores[0].score"] == "must be 0..10"
    assert "scored twice" in fields["scores[1].criterion_code"]
    assert "not a criterion" in fields["scores[2].criterion_code"]
    missing = [v.description for v in caught.value.violations if v.field == "scores"]
    assert sorted(missing) == [
        "criterion 'feasibility' is not scored",
        "criterion 'value' is not scored",
    ]


def test_weighted_score_is_points_over_full_points_in_milli_percent() -> None:
    # (8*3 + 4*2 + 2*1) / (10*3 + 5*2 + 4*1) = 34 / 44 = 77.2727..% -> 77273
    assert weighted_score(CRITERIA, full_scores()) == 77273
    assert weighted_score(CRITERIA, full_scores(10, 5, 4)) == FULL_MARKS
    assert weighted_score(CRITERIA, full_scores(0, 0, 0)) == 0


def test_the_mean_is_exact_and_rounded_half_up_once() -> None:
    one = [Score("x", 1)]
    half = (Rule("x", 1, 200_000),)
    # 1/200000 of full marks = 0.5 milli-percent, rounded half up to 1.
    assert weighted_score(half, one) == 1
    # Mean of 34/44 and 44/44 = 78/88 = 88.6363..% -> 88636
    assert mean_weighted_score(CRITERIA, [full_scores(), full_scores(10, 5, 4)]) == 88636
    assert mean_weighted_score(CRITERIA, []) == 0


score_lists = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 5), st.integers(0, 4)), max_size=6
)


@given(
    weights=st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50)),
    reviews=score_lists,
)
def test_the_weighted_score_always_lies_within_full_marks(
    weights: tuple[int, int, int], reviews: list[tuple[int, int, int]]
) -> None:
    criteria = tuple(Rule(r.code, w, r.max_score) for r, w in zip(CRITERIA, weights, strict=True))
    value = mean_weighted_score(criteria, [full_scores(*r) for r in reviews])
    assert 0 <= value <= FULL_MARKS


def test_submission_keeps_scores_and_allows_resubmission() -> None:
    done = submitted(review(), full_scores(), " good ", T0)
    assert done.state == ReviewState.SUBMITTED and done.overall_comment == "good"
    again = submitted(done, full_scores(1, 1, 1), "", T0 + timedelta(hours=1))
    assert again.submit_time == T0 + timedelta(hours=1)
    assert {s.score for s in again.scores} == {1}


def test_a_recused_or_moderated_review_cannot_be_submitted() -> None:
    with pytest.raises(FailedPrecondition):
        submitted(review(ReviewState.RECUSED), full_scores(), "", T0)
    done = submitted(review(), full_scores(), "", T0)
    changed = moderated(done, CRITERIA[0], 5, "outlier", "manager")
    with pytest.raises(FailedPrecondition, match="moderated"):
        submitted(changed, full_scores(), "", T0)


def test_only_submitted_reviews_are_moderated_within_range() -> None:
    with pytest.raises(FailedPrecondition):
        moderated(review(), CRITERIA[0], 5, "outlier", "manager")
    done = submitted(review(), full_scores(), "", T0)
    with pytest.raises(InvalidArgument, match=r"0\.\.10"):
        moderated(done, CRITERIA[0], 11, "outlier", "manager")


@given(st.lists(st.tuples(st.sampled_from(CRITERIA), st.integers(0, 10)), max_size=8))
def test_moderation_never_loses_the_original(changes: list[tuple[Rule, int]]) -> None:
    given_scores = full_scores()
    current = submitted(review(), given_scores, "", T0)
    original = {s.criterion_code: s.score for s in given_scores}
    for i, (rule, value) in enumerate(changes):
        current = moderated(current, rule, min(value, rule.max_score), f"r{i}", f"m{i}")
    for s in current.scores:
        kept = s.original_score if s.moderated else s.score
        assert kept == original[s.criterion_code]
    touched = {rule.code for rule, _ in changes}
    assert {s.criterion_code for s in current.scores if s.moderated} == touched


def entry(app: str, score: int, done: int, minutes: int) -> RankEntry:
    return RankEntry(app, score, done, T0 + timedelta(minutes=minutes))


def test_ranking_orders_by_score_then_reviews_done_then_submit_time_and_shares_ties() -> None:
    entries = [
        entry("late-tie", 80_000, 2, 9),
        entry("low", 50_000, 3, 0),
        entry("early-tie", 80_000, 2, 1),
        entry("fewer-reviews", 80_000, 1, 0),
        entry("best", 90_000, 1, 5),
    ]
    result = [(rank, e.application_id) for rank, e in ranked(entries)]
    assert result == [
        (1, "best"),
        (2, "early-tie"),
        (2, "late-tie"),
        (4, "fewer-reviews"),
        (5, "low"),
    ]
