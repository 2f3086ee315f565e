"""Calls: the grant manager's calls with their funders' pledges and what the pool has left."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from nlc.common.v1 import common_pb2
from nlc.grants.v1 import awards_pb2, calls_pb2
from services.common.currencies import to_decimal
from services.common.money import Money
from ui.client import UiError, call, services, show_error
from ui.display import data_table, stamp, words
from ui.formatting import date_text, empty_state, money

PAGE_SIZE = 500
# Committed and available add up to each funder's pledge.
PARTS = {"Committed": "#4575b4", "Available": "#a6d96a"}


def amount(value: common_pb2.Money) -> str:
    return money(value.minor_units, value.currency_code)


def major(value: common_pb2.Money) -> float:
    """An amount in whole currency units, for charts."""
    return float(to_decimal(Money(value.currency_code, value.minor_units)))


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


def funder_row(f: awards_pb2.FunderLedger) -> dict[str, object]:
    return {
        "Funder": f.funder_display_name,
        "Pledged": amount(f.pledged),
        "Committed": amount(f.committed),
        "Disbursed": amount(f.disbursed),
        "Available": amount(f.available),
    }


def ledger_chart(ledger: awards_pb2.Ledger, currency: str) -> alt.Chart:
    """Each funder's pledge as a bar split into what awards committed and what is left."""
    parts = pd.DataFrame(
        [
            {"Funder": f.funder_display_name, "Part": part, currency: major(value)}
            for f in ledger.funders
            for part, value in (("Committed", f.committed), ("Available", f.available))
        ]
    )
    scale = alt.Scale(domain=list(PARTS), range=list(PARTS.values()))
    return (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            x=alt.X(f"sum({currency}):Q", title=f"Pledge ({currency})"),
            y=alt.Y("Funder:N", title=None),
            color=alt.Color("Part:N", scale=scale, sort=list(PARTS), title=None),
            order=alt.Order("Part:N", sort="descending"),
            tooltip=["Funder", "Part", alt.Tooltip(f"{currency}:Q", format=",.2f")],
        )
    )


def show_ledger(c: calls_pb2.Call) -> None:
    """Pool, commitments, disbursements and what is left, in total and per funder."""
    try:
        with st.spinner("Loading the ledger…"):
            ledger = call(services().grants.GetLedger, awards_pb2.GetLedgerRequest(call=c.name))
    except UiError as error:
        show_error(error)
        return
    total = ledger.total
    figures = (
        ("Pool", total.pledged),
        ("Pool left", total.available),
        ("Committed", total.committed),
        ("Disbursed", total.disbursed),
    )
    for column, (label, value) in zip(st.columns(2) + st.columns(2), figures, strict=True):
        column.metric(label, amount(value))
    if not ledger.funders:
        empty_state("This call has no funder yet.")
        return
    st.altair_chart(ledger_chart(ledger, c.currency_code), width="stretch")
    data_table(pd.DataFrame([funder_row(f) for f in ledger.funders]), f"ledger-{c.id}.csv")


st.title("Calls")
try:
    with st.spinner("Loading calls…"):
        reply = call(services().grants.ListCalls, calls_pb2.ListCallsRequest(page_size=PAGE_SIZE))
except UiError as error:
    show_error(error)
    st.stop()
if not reply.calls:
    empty_state("There is no call yet.")
    st.stop()

data_table(pd.DataFrame([call_row(c) for c in reply.calls]), "calls.csv")
if reply.next_page_token:
    st.caption(f"Showing the first {PAGE_SIZE} calls.")

st.subheader("Funders and pledges")
calls = {c.name: c for c in reply.calls}
chosen = calls[st.selectbox("Call", calls, format_func=lambda n: calls[n].title)]
st.caption(chosen.description)
show_ledger(chosen)
