"""Calls: the grant manager's calls with their funders' pledges and what the pool has left."""

from __future__ import annotations

import streamlit as st

from nlc.grants.v1 import awards_pb2, calls_pb2
from ui.client import services
from ui.display import amount, data_table, fetch, metrics, stamp, words
from ui.formatting import date_text, empty_state
from ui.grants import choose_call, managed_calls
from ui.ledger import figures, pledge_chart


def call_row(c: calls_pb2.Call) -> dict[str, object]:
    return {
        "Call": c.title,
        "State": words(calls_pb2.CallState, c.state),
        "Opens": stamp(c.opens_at),
        "Closes": stamp(c.closes_at),
        "Decision by": date_text(c.decision_date),
        "Funders": len(c.funders),
        "Pool": amount(c.pool),
    }


def show_ledger(c: calls_pb2.Call) -> None:
    """Pool, commitments, payments and what is left, in total and per funder."""
    request = awards_pb2.GetLedgerRequest(call=c.name)
    ledger = fetch(services().grants.GetLedger, request, "Loading the ledger…")
    total = ledger.total
    metrics(
        {
            "Pool": amount(total.pledged),
            "Pool left": amount(total.available),
            "Committed": amount(total.committed),
            "Paid": amount(total.disbursed),
        }
    )
    if not ledger.funders:
        empty_state("This call has no funder yet.")
        return
    lines = [(f.funder_display_name, f) for f in ledger.funders]
    st.altair_chart(pledge_chart(lines, c.currency_code), width="stretch")
    rows = [{"Funder": f.funder_display_name, **figures(f)} for f in ledger.funders]
    data_table(rows, f"ledger-{c.id}.csv")


st.title("Calls")
calls = managed_calls()
if not calls:
    empty_state("Your organisation runs no call yet.")
    st.stop()
data_table([call_row(c) for c in calls], "calls.csv")

st.subheader("Funders and pledges")
chosen = choose_call(calls, "Your organisation runs no call yet.")
st.caption(chosen.description)
show_ledger(chosen)
