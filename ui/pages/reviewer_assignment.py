"""Assign reviewers: give a call's submitted applications to members of its review panel."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import applications_pb2, calls_pb2
from nlc.grants.v1 import reviews_pb2 as pb
from ui.client import PAGE_SIZE, call, services
from ui.display import data_table, fetch, org_names, run_action, show_outcome, words
from ui.formatting import empty_state
from ui.grants import choose_call, managed_calls
from ui.paging import show_cut

ASSIGNABLE = (calls_pb2.CALL_STATE_OPEN, calls_pb2.CALL_STATE_CLOSED)


def assign(app: applications_pb2.Application, usernames: dict[str, str]) -> str:
    """Assign the reviewers chosen for app; say who reviews it and who was recused."""
    chosen = st.session_state.get(f"reviewers-{app.id}", [])
    request = pb.AssignReviewersRequest(application=app.name, reviewer_user_ids=chosen)
    reviews = call(services().grants.AssignReviewers, request).reviews
    done = [
        f"{usernames.get(r.reviewer_user_id, r.reviewer_username)}: "
        f"{words(pb.ReviewState, r.state).lower()}"
        + (f" ({r.recusal_reason})" if r.recusal_reason else "")
        for r in reviews
    ]
    return f"“{app.title}” assigned. " + "; ".join(done)


def reviewer_label(r: pb.Reviewer, orgs: dict[str, str]) -> str:
    """'panel (Institute for Social Cohesion; conflicts: Bridges Youth Network)'."""
    conflicts = ", ".join(orgs[o] for o in r.declared_conflicts)
    return (
        f"{r.username} ({orgs[r.organisation]}{f'; conflicts: {conflicts}' if conflicts else ''})"
    )


st.title("Assign reviewers")
calls = [c for c in managed_calls() if c.state in ASSIGNABLE]
chosen = choose_call(calls, "None of your calls is open or closed for review right now.")
grants = services().grants
panel = fetch(
    grants.ListReviewers, pb.ListReviewersRequest(call=chosen.name), "Loading the panel…"
).reviewers
request = applications_pb2.ListApplicationsRequest(
    call=chosen.name, state=applications_pb2.APPLICATION_STATE_SUBMITTED, page_size=PAGE_SIZE
)
submitted = fetch(grants.ListApplications, request, "Loading applications…")
show_cut(submitted, "submitted applications", "the others are not listed")
apps = list(submitted.applications)
ranking = fetch(grants.GetRanking, pb.GetRankingRequest(call=chosen.name), "Loading reviews…")
if not apps:
    empty_state("No application to this call is submitted yet.")
    st.stop()
if not panel:
    empty_state("Nobody has joined this call's review panel yet; reviewers join in Review panels.")
    st.stop()

orgs = org_names(
    [a.applicant_organisation for a in apps]
    + [r.organisation for r in panel]
    + [o for r in panel for o in r.declared_conflicts]
)
progress = {r.application: r for r in ranking.applications}
data_table(
    [
        {
            "Application": a.title,
            "Applicant": orgs[a.applicant_organisation],
            "Reviews done": progress[a.name].reviews_done if a.name in progress else 0,
            "Reviews needed": chosen.reviews_per_application,
        }
        for a in apps
    ],
    "applications-to-review.csv",
)
labels = {r.user_id: reviewer_label(r, orgs) for r in panel}
usernames = {r.user_id: r.username for r in panel}
st.subheader("Assign")
app = st.selectbox("Application", apps, format_func=lambda a: a.title)
with st.form(f"assign-{app.id}"):
    st.multiselect(
        "Reviewers",
        list(labels),
        format_func=labels.get,
        key=f"reviewers-{app.id}",
        help="A reviewer from the applicant's organisation, or with a declared conflict, is "
        "recused by the service.",
    )
    st.form_submit_button(
        "Assign",
        type="primary",
        icon=":material/group_add:",
        on_click=run_action,
        args=(partial(assign, app, usernames),),
    )
show_outcome()
