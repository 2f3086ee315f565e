"""Match funding: record an application's match commitments as confirmed, received or declined."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import calls_pb2
from ui.client import PAGE_SIZE, call, services
from ui.display import amount, data_table, fetch, org_names, run_action, show_outcome, words
from ui.formatting import empty_state
from ui.paging import show_cut

# Applications whose match funding can still be recorded.
OPEN_STATES = (
    pb.APPLICATION_STATE_DRAFT,
    pb.APPLICATION_STATE_SUBMITTED,
    pb.APPLICATION_STATE_AWARDED,
)


def record(app: pb.Application, commitment: pb.MatchCommitment) -> str:
    """Move commitment to the state chosen for it, with the evidence typed for it."""
    state = st.session_state[f"state-{commitment.id}"]
    evidence = st.session_state.get(f"evidence-{commitment.id}", "")
    request = pb.ChangeMatchStateRequest(
        application=app.name, commitment_id=commitment.id, state=state, evidence_reference=evidence
    )
    call(services().grants.ChangeMatchState, request)
    return f"{commitment.source_name}: {words(pb.MatchState, state).lower()}."


def record_form(app: pb.Application, commitment: pb.MatchCommitment) -> None:
    """Confirm, mark received or record that the source declined it, with the evidence, for one
    commitment not yet received."""
    later = [s for s in pb.MatchState.values() if s > commitment.state]
    with st.form(f"match-{commitment.id}"):
        st.radio(
            "It is now",
            later,
            format_func=lambda s: words(pb.MatchState, s),
            horizontal=True,
            key=f"state-{commitment.id}",
        )
        st.text_input(
            "Evidence",
            key=f"evidence-{commitment.id}",
            help="The letter, contract or bank statement that shows it (or the withdrawal).",
        )
        st.form_submit_button(
            "Record",
            type="primary",
            icon=":material/task_alt:",
            on_click=run_action,
            args=(partial(record, app, commitment),),
        )


st.title("Match funding")
st.caption(
    "Match funding moves from pledged to confirmed to received, each step with evidence; a source"
    " that withdraws before paying is recorded as declined, and no longer counts as match."
)
request = pb.ListApplicationsRequest(page_size=PAGE_SIZE)
listed = fetch(services().grants.ListApplications, request, "Loading applications…")
show_cut(listed, "applications", "the others are not listed")
pairs = [(a, m) for a in listed.applications if a.state in OPEN_STATES for m in a.match_commitments]
if not pairs:
    empty_state("No application you can see has match funding to record.")
    st.stop()

names = org_names(a.applicant_organisation for a, _ in pairs)
rows = [
    {
        "Application": a.title or "Untitled",
        "Applicant": names[a.applicant_organisation],
        "Source": m.source_name,
        "Kind": words(calls_pb2.MatchKind, m.kind),
        "Amount": amount(m.amount),
        "State": words(pb.MatchState, m.state),
        "Evidence": m.evidence_reference,
        "Reference": m.commitment_reference,
    }
    for a, m in pairs
]
data_table(rows, "match-funding.csv")
show_outcome()
SETTLED = (pb.MATCH_STATE_RECEIVED, pb.MATCH_STATE_DECLINED)
open_ones = {m.id: (a, m) for a, m in pairs if m.state not in SETTLED}
if not open_ones:
    st.success("All this match funding is received or declined; there is nothing left to record.")
    st.stop()
st.subheader("Record progress")
chosen = st.selectbox(
    "Match funding",
    list(open_ones),
    format_func=lambda i: (
        f"{open_ones[i][1].source_name} for “{open_ones[i][0].title}” "
        f"({words(pb.MatchState, open_ones[i][1].state).lower()})"
    ),
)
record_form(*open_ones[chosen])
