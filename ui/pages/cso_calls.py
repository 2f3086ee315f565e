"""Open calls: the calls the CSO may apply to, and why not for the others."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nlc.grants.v1 import calls_pb2
from nlc.registry.v1 import mandates_pb2
from ui.client import services
from ui.display import amount, data_table, fetch, stamp, words
from ui.formatting import empty_state, percent
from ui.navigation import page_of, workspace

APPLY = workspace("cso_apply.py")


def show_call(c: calls_pb2.Call) -> None:
    """The terms an applicant needs to decide whether to apply."""
    st.markdown(c.description)
    st.markdown(
        f"- **Award** {amount(c.min_award)} to {amount(c.max_award)}\n"
        f"- **Match funding** at least {percent(c.match_rule.min_match_bps)} of the project cost\n"
        f"- **Closes** {stamp(c.closes_at)}"
    )
    levels = [words(mandates_pb2.PreventionLevel, lv) for lv in c.eligibility.prevention_levels]
    st.caption(
        f"Pool {amount(c.pool)} from {', '.join(f.display_name for f in c.funders)} · "
        f"monitoring and evaluation at least {percent(c.min_monitoring_evaluation_bps)} "
        f"of the budget · prevention levels: {', '.join(levels) or 'any'}"
    )
    criteria = [
        {"Criterion": k.title, "Weight": k.weight, "Guidance": k.guidance} for k in c.criteria
    ]
    if criteria:
        st.dataframe(pd.DataFrame(criteria), hide_index=True)


st.title("Open calls")
request = calls_pb2.ListEligibleCallsRequest(include_ineligible=True)
found = fetch(services().grants.ListEligibleCalls, request, "Loading open calls…").calls
if not found:
    empty_state("No call is open at the moment.")
    st.stop()

eligible = [e for e in found if e.eligible]
st.subheader(f"You may apply to {len(eligible)} of {len(found)} open calls")
for e in eligible:
    with st.container(border=True):
        st.markdown(f"#### {e.call.title}")
        show_call(e.call)
        st.page_link(
            page_of(APPLY),
            label=f"Apply to {e.call.title}",
            icon=":material/edit_document:",
            query_params={"call": e.call.id},
        )
for e in found:
    if not e.eligible:
        with st.expander(f"{e.call.title}: you cannot apply", icon=":material/block:"):
            st.warning("\n".join(f"- {reason}" for reason in e.reasons))
            show_call(e.call)

st.subheader("All open calls")
rows = [
    {
        "Call": e.call.title,
        "You may apply": "yes" if e.eligible else "no",
        "Why not": "; ".join(e.reasons),
        "Closes": stamp(e.call.closes_at),
        "Smallest award": amount(e.call.min_award),
        "Largest award": amount(e.call.max_award),
        "Pool": amount(e.call.pool),
    }
    for e in found
]
data_table(pd.DataFrame(rows), "open-calls.csv")
