"""Audit trail: the tamper-evident record of every infoshare decision and read, and its check."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, org_names, stamp
from ui.formatting import empty_state
from ui.paging import show_cut


def verify() -> None:
    """Ask the service to re-check every link of the chain and say what it found."""
    try:
        with st.spinner("Checking every link…"):
            verdict = call(services().infoshare.VerifyAuditChain, pb.VerifyAuditChainRequest())
    except UiError as error:
        show_error(error)
        return
    if verdict.intact:
        st.success(
            f"The audit chain is intact: {verdict.records_checked} records checked.",
            icon=":material/verified:",
        )
    else:
        st.error(
            f"The audit chain is broken at record {verdict.first_broken_sequence}: "
            f"{verdict.problem}",
            icon=":material/gpp_bad:",
        )


st.title("Audit trail")
if st.button("Verify chain", type="primary", icon=":material/verified_user:"):
    verify()
resource = st.text_input("Only records about", placeholder="e.g. shares/… or agreements/…")
try:
    with st.spinner("Loading the audit trail…"):
        request = pb.ListAuditRecordsRequest(page_size=PAGE_SIZE, resource=resource.strip())
        reply = call(services().infoshare.ListAuditRecords, request)
        orgs = org_names(r.actor_organisation for r in reply.records if r.actor_organisation)
except UiError as error:
    show_error(error)
    st.stop()
if not reply.records:
    empty_state("No audit records match." if resource else "Nothing has been audited yet.")
    st.stop()

rows = [
    {
        "Sequence": r.sequence,
        "Time": stamp(r.time),
        "Actor": r.actor_username or r.actor_sub,
        "Organisation": orgs.get(r.actor_organisation, ""),
        "Action": r.action,
        "Resource": r.resource,
        "Purpose": r.purpose,
        "Decision": r.decision,
        "Reason": r.reason,
        "Agreement version": r.agreement_version,
        "Hash": r.hash,
        "Previous hash": r.previous_hash,
    }
    for r in reply.records
]
counts = pd.DataFrame(rows).groupby(["Action", "Decision"]).size().reset_index(name="Records")
st.altair_chart(
    alt.Chart(counts)
    .mark_bar()
    .encode(
        x=alt.X("Records:Q"),
        y=alt.Y("Action:N", sort="-x"),
        color=alt.Color("Decision:N"),
        tooltip=["Action", "Decision", "Records"],
    ),
    width="stretch",
)
data_table(rows, "audit-trail.csv")
show_cut(reply, "records (newest first)", "narrow by resource to see older ones")
