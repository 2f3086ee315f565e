"""My applications: the organisation's applications, their states, and the awards they won."""

from __future__ import annotations

import streamlit as st

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import awards_pb2
from ui.client import services
from ui.display import amount, data_table, fetch, stamp, words
from ui.formatting import MISSING, empty_state, percent
from ui.grants import PAGE_SIZE, call_titles
from ui.navigation import page_of, workspace

APPLY = workspace("cso_apply.py")


def row(a: pb.Application, titles: dict[str, str], awards: dict) -> dict[str, object]:
    award = awards.get(a.name)
    return {
        "Application": a.title or "Untitled",
        "Call": titles[a.call],
        "State": words(pb.ApplicationState, a.state),
        "Requested": amount(a.requested_amount),
        "Project cost": amount(a.budget_summary.total_cost),
        "Match": percent(a.budget_summary.match_bps),
        "Submitted": stamp(a.submit_time),
        "Awarded": amount(award.amount) if award else MISSING,
    }


st.title("My applications")
grants = services().grants
request = pb.ListApplicationsRequest(page_size=PAGE_SIZE)
applications = fetch(grants.ListApplications, request, "Loading your applications…").applications
if not applications:
    empty_state("Your organisation has not applied yet. Find a call in Open calls.")
    st.stop()
won = fetch(
    grants.ListAwards, awards_pb2.ListAwardsRequest(page_size=PAGE_SIZE), "Loading awards…"
).awards
awards = {a.application: a for a in won}
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
        label=f"{a.title or 'Untitled'} ({titles[a.call]})",
        icon=":material/edit_document:",
        query_params={"application": a.id},
    )
