"""My reviews: read an assigned application, score it per criterion, or declare a conflict."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import applications_pb2, calls_pb2
from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import call, services
from ui.display import data_table, fetch, org_names, run_action, show_outcome, stamp, words
from ui.formatting import empty_state
from ui.grants import show_application


def score_key(review: pb.Review, criterion: calls_pb2.Criterion, part: str) -> str:
    return f"{review.name}-{criterion.code}-{part}"


def send_scores(review: pb.Review, criteria: list[calls_pb2.Criterion]) -> str:
    """Submit the scores and comments typed for review (unscored criteria are left out)."""
    scores = [
        pb.CriterionScore(
            criterion_code=k.code,
            score=st.session_state[score_key(review, k, "score")],
            comment=st.session_state.get(score_key(review, k, "comment"), ""),
        )
        for k in criteria
        if st.session_state.get(score_key(review, k, "score")) is not None
    ]
    comment = st.session_state.get(f"{review.name}-overall", "")
    request = pb.SubmitReviewRequest(name=review.name, scores=scores, overall_comment=comment)
    call(services().grants.SubmitReview, request)
    return "Your review is submitted. You can change it until the awards are decided."


def declare(app: applications_pb2.Application, applicant: str) -> str:
    """Declare a conflict of interest with the application's applicant, with the reason typed."""
    request = pb.DeclareConflictRequest(
        call=app.call,
        organisation=app.applicant_organisation,
        reason=st.session_state.get(f"{app.name}-conflict", ""),
    )
    call(services().grants.DeclareConflict, request)
    return f"Conflict with {applicant} declared; you no longer review its applications."


def scoring_form(review: pb.Review, criteria: list[calls_pb2.Criterion]) -> None:
    """A score and a comment per criterion, an overall comment, and "Submit review"."""
    given = {s.criterion_code: s for s in review.scores}
    with st.form(f"score-{review.name}"):
        for k in criteria:
            before = given.get(k.code)
            st.segmented_control(
                f"{k.title} (weight {k.weight})",
                list(range(k.max_score + 1)),
                default=before.score if before else None,
                key=score_key(review, k, "score"),
                help=k.guidance or None,
            )
            st.text_input(
                f"Comment on {k.title.lower()}",
                value=before.comment if before else "",
                key=score_key(review, k, "comment"),
            )
        st.text_area("Overall comment", value=review.overall_comment, key=f"{review.name}-overall")
        st.form_submit_button(
            "Submit review",
            type="primary",
            icon=":material/send:",
            on_click=run_action,
            args=(partial(send_scores, review, criteria),),
        )


def conflict_form(app: applications_pb2.Application, applicant: str) -> None:
    """Declare a conflict with the applicant instead of scoring."""
    with st.expander(f"I have a conflict of interest with {applicant}", icon=":material/block:"):
        with st.form(f"conflict-{app.name}"):
            st.text_input("Why", key=f"{app.name}-conflict", help="For example: I am a trustee.")
            st.form_submit_button(
                "Declare the conflict",
                on_click=run_action,
                args=(partial(declare, app, applicant),),
            )


st.title("My reviews")
grants = services().grants
reviews = fetch(grants.ListMyReviews, pb.ListMyReviewsRequest(), "Loading your reviews…").reviews
if not reviews:
    show_outcome()
    empty_state("No application is assigned to you. Join a call's panel in Review panels.")
    st.stop()
apps = {
    r.name: fetch(
        grants.GetApplication,
        applications_pb2.GetApplicationRequest(name=r.application),
        "Loading the applications…",
    )
    for r in reviews
}
calls = {
    name: fetch(grants.GetCall, calls_pb2.GetCallRequest(name=name), "Loading the calls…")
    for name in {a.call for a in apps.values()}
}
applicants = org_names(a.applicant_organisation for a in apps.values())
data_table(
    [
        {
            "Application": apps[r.name].title,
            "Applicant": applicants[apps[r.name].applicant_organisation],
            "Call": calls[apps[r.name].call].title,
            "Review": words(pb.ReviewState, r.state),
            "Submitted": stamp(r.submit_time),
        }
        for r in reviews
    ],
    "my-reviews.csv",
)
by_name = {r.name: r for r in reviews}
waiting = [r.name for r in reviews if r.state == pb.REVIEW_STATE_ASSIGNED]
chosen = by_name[
    st.selectbox(
        "Application to review",
        list(by_name),
        index=list(by_name).index(waiting[0]) if waiting else 0,
        format_func=lambda n: apps[n].title,
        key="review-choice",
    )
]
app = apps[chosen.name]
applicant = applicants[app.applicant_organisation]
st.header(app.title)
st.caption(
    f"{applicant} · {calls[app.call].title} · your review: "
    f"{words(pb.ReviewState, chosen.state).lower()}"
)
show_application(app)
st.subheader("Your scores")
show_outcome()
scoring_form(chosen, list(calls[app.call].criteria))
conflict_form(app, applicant)
