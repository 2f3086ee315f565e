"""Score moderation on the ranking page: an application's reviews, their scores (moderated ones
marked), and a form for the call's managers to change one criterion score with a reason."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import calls_pb2
from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import PAGE_SIZE, call, services
from ui.display import fetch, run_action, show_outcome, stamp, words
from ui.formatting import empty_state
from ui.paging import show_cut


def score_text(s: pb.CriterionScore) -> str:
    """'4', or '2 (moderated, was 4)'."""
    return f"{s.score} (moderated, was {s.original_score})" if s.moderated else str(s.score)


def review_rows(reviews: list[pb.Review], criteria: list[calls_pb2.Criterion]) -> list[dict]:
    """One row per review: reviewer, state and the score of each criterion."""
    rows = []
    for r in reviews:
        given = {s.criterion_code: score_text(s) for s in r.scores}
        row = {"Reviewer": r.reviewer_username, "Review": words(pb.ReviewState, r.state)}
        rows.append(row | {k.title: given.get(k.code, "") for k in criteria})
    return rows


def show_moderations(reviews: list[pb.Review], titles: dict[str, str]) -> None:
    """Each moderated score: what changed, by whom, when and why."""
    for r in reviews:
        for s in (s for s in r.scores if s.moderated):
            st.markdown(
                f"**{titles.get(s.criterion_code, s.criterion_code)}** in {r.reviewer_username}'s "
                f"review: {s.original_score} → {s.score}, moderated by {s.moderated_by} on "
                f"{stamp(s.moderate_time)}: “{s.moderation_reason}”"
            )


def moderate(review_names: dict[str, str], titles: dict[str, str]) -> str:
    """Send the moderation typed in the form; say what changed."""
    review = st.session_state["moderate-review"]
    code = st.session_state["moderate-criterion"]
    request = pb.ModerateScoreRequest(
        review=review,
        criterion_code=code,
        score=st.session_state["moderate-score"],
        reason=st.session_state.get("moderate-reason", ""),
    )
    call(services().grants.ModerateScore, request)
    return f"{titles[code]} in {review_names[review]}'s review is moderated."


def moderation_form(reviews: list[pb.Review], criteria: list[calls_pb2.Criterion]) -> None:
    """Pick a submitted review and a criterion, give the new score and the reason."""
    submitted = {
        r.name: r.reviewer_username for r in reviews if r.state == pb.REVIEW_STATE_SUBMITTED
    }
    if not submitted:
        empty_state("No review of this application is submitted yet.")
        return
    titles = {k.code: k.title for k in criteria}
    with st.form("moderate-score"):
        st.selectbox("Review by", list(submitted), format_func=submitted.get, key="moderate-review")
        st.selectbox("Criterion", list(titles), format_func=titles.get, key="moderate-criterion")
        top = max(k.max_score for k in criteria)
        st.number_input("New score", min_value=0, max_value=top, step=1, key="moderate-score")
        st.text_input("Reason", key="moderate-reason", help="Why the score changes; required.")
        st.form_submit_button(
            "Moderate score",
            type="primary",
            icon=":material/balance:",
            on_click=run_action,
            args=(partial(moderate, submitted, titles),),
        )


def moderation_section(c: calls_pb2.Call, applications: dict[str, str]) -> None:
    """The reviews of an application of call c (application name -> title), and moderation
    while the call is not decided."""
    st.subheader("Reviews and moderation")
    if c.state == calls_pb2.CALL_STATE_DECIDED:
        st.caption("The awards are decided; the scores are final.")
        return
    chosen = st.selectbox(
        "Application to moderate", list(applications), format_func=applications.get
    )
    request = pb.ListReviewsRequest(parent=chosen, page_size=PAGE_SIZE)
    reply = fetch(services().grants.ListReviews, request, "Loading reviews…")
    show_cut(reply, "reviews of this application", "the others are not listed")
    reviews = list(reply.reviews)
    criteria = list(c.criteria)
    if reviews:
        st.table(review_rows(reviews, criteria))
        show_moderations(reviews, {k.code: k.title for k in criteria})
    else:
        empty_state("No reviewer is assigned to this application yet.")
    show_outcome()
    moderation_form(reviews, criteria)
