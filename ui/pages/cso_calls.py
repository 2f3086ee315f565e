"""Open calls: the calls the CSO may apply to, and why not for the others."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nlc.common.v1 import common_pb2
from nlc.grants.v1 import calls_pb2
from nlc.registry.v1 import mandates_pb2
from ui.client import UiError, call, services, show_error
from ui.display import data_table, stamp, words
from ui.formatting import empty_state, money

BPS_PER_PERCENT = 100


def percent(bps: int) -> str:
    """Basis points as a percentage: 2000 -> '20%'."""
    return f"{bps / BPS_PER_PERCENT:g}%"


def amount(value: common_pb2.Money) -> str:
    return money(value.minor_units, value.currency_code)


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
try:
    with st.spinner("Loading open calls…"):
        request = calls_pb2.ListEligibleCallsRequest(include_ineligible=True)
        found = call(services().grants.ListEligibleCalls, request).calls
except UiError as error:
    show_error(error)
    st.stop()
if not found:
    empty_state("No call is open at the moment.")
    st.stop()

eligible = [e for e in found if e.eligible]
st.subheader(f"You may apply to {len(eligible)} of {len(found)} open calls")
for e in eligible:
    with st.container(border=True):
        st.markdown(f"#### {e.call.title}")
        show_call(e.call)
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
