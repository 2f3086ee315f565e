"""My applications: the organisation's applications, their states, the awards they won, and
withdrawing one that is still a draft or submitted."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import awards_pb2
from ui.client import PAGE_SIZE, UiError, call, services
from ui.display import amount, data_table, fetch, run_action, show_outcome, stamp, words
from ui.formatting import MISSING, empty_state, percent
from ui.grants import call_titles
from ui.navigation import page_of, workspace
from ui.paging import show_cut

APPLY = workspace("cso_apply.py")
# The states the grants service lets an applicant withdraw from.
WITHDRAWABLE = (pb.APPLICATION_STATE_DRAFT, pb.APPLICATION_STATE_SUBMITTED)


def title_of(a: pb.Application) -> str:
    return a.title or "Untitled"


def row(a: pb.Application, titles: dict[str, str], awards: dict) -> dict[str, object]:
    award = awards.get(a.name)
    return {
        "Application": title_of(a),
        "Call": titles[a.call],
        "State": words(pb.ApplicationState, a.state),
        "Requested": amount(a.requested_amount),
        "Project cost": amount(a.budget_summary.total_cost),
        "Match": percent(a.budget_summary.match_bps),
        "Submitted": stamp(a.submit_time),
        "Awarded": amount(award.amount) if award else MISSING,
    }


def withdraw(a: pb.Application) -> str:
    """Withdraw a, for the reason given, once the applicant has confirmed."""
    if not st.session_state[f"withdraw-confirm-{a.id}"]:
        raise UiError("Tick the confirmation to withdraw; nothing was withdrawn.")
    reason = st.session_state[f"withdraw-reason-{a.id}"]
    request = pb.WithdrawApplicationRequest(name=a.name, reason=reason)
    call(services().grants.WithdrawApplication, request)
    return f"“{title_of(a)}” is withdrawn."


def withdraw_form(candidates: list[pb.Application], titles: dict[str, str]) -> None:
    """Choose a draft or submitted application, give a reason, confirm, and withdraw it."""
    st.subheader("Withdraw an application")
    chosen = st.selectbox(
        "Application to withdraw",
        candidates,
        format_func=lambda a: f"{title_of(a)} ({titles[a.call]})",
    )
    with st.form(f"withdraw-{chosen.id}"):
        st.markdown("A withdrawn application leaves the call for good; this cannot be undone.")
        st.text_input("Reason for withdrawing (optional)", key=f"withdraw-reason-{chosen.id}")
        st.checkbox(
            f"I confirm withdrawing “{title_of(chosen)}”",
            key=f"withdraw-confirm-{chosen.id}",
        )
        st.form_submit_button(
            "Withdraw",
            type="primary",
            on_click=run_action,
            args=(partial(withdraw, chosen),),
            icon=":material/undo:",
        )
    show_outcome()


st.title("My applications")
grants = services().grants
request = pb.ListApplicationsRequest(page_size=PAGE_SIZE)
listed = fetch(grants.ListApplications, request, "Loading your applications…")
show_cut(listed, "applications", "the others are not listed")
applications = listed.applications
if not applications:
    empty_state("Your organisation has not applied yet. Find a call in Open calls.")
    st.stop()
won = fetch(grants.ListAwards, awards_pb2.ListAwardsRequest(page_size=PAGE_SIZE), "Loading awards…")
show_cut(won, "awards", "applications awarded later show no award")
awards = {a.application: a for a in won.awards}
titles = call_titles(a.call for a in applications)

states = [words(pb.ApplicationState, a.state) for a in applications]
shown = sorted(set(states), key=states.index)
for column, state in zip(st.columns(len(shown)), shown, strict=True):
    column.metric(state, states.count(state))
data_table([row(a, titles, awards) for a in applications], "my-applications.csv")

drafts = [a for a in applications if a.state == pb.APPLICATION_STATE_DRAFT]
if drafts:
    st.subheader("Drafts to finish")
for a in drafts:
    st.page_link(
        page_of(APPLY),
        label=f"{title_of(a)} ({titles[a.call]})",
        icon=":material/edit_document:",
        query_params={"application": a.id},
    )

candidates = [a for a in applications if a.state in WITHDRAWABLE]
if candidates:
    withdraw_form(candidates, titles)
else:
    show_outcome()
