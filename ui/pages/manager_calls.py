"""Calls: the grant manager's calls with their funders' pledges and what the pool has left;
writing a new call, editing a draft and opening it; changing an open call's description or
giving applicants more time."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.grants.v1 import awards_pb2, calls_pb2
from ui.call_form import call_form
from ui.client import call, services
from ui.display import (
    amount,
    data_table,
    fetch,
    metrics,
    registry_organisations,
    run_action,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import date_text, empty_state
from ui.grants import choose_call, managed_calls
from ui.ledger import figures, pledge_chart
from ui.open_call_form import open_call_form

NEW_CALL = ""
WRITING_KEY = "nlc_call_being_written"
WRITING_CHOICE = "call-writing-choice"


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


def write_next(c: calls_pb2.Call) -> None:
    """Keep c's form open after it is saved."""
    st.session_state[WRITING_KEY] = c.name
    st.session_state.pop(WRITING_CHOICE, None)


def remember_writing() -> None:
    st.session_state[WRITING_KEY] = st.session_state[WRITING_CHOICE]


def choose_draft(drafts: dict[str, calls_pb2.Call]) -> calls_pb2.Call | None:
    """The draft to edit, or None for a new call."""
    options = [NEW_CALL, *drafts]
    remembered = st.session_state.get(WRITING_KEY, NEW_CALL)
    chosen = st.selectbox(
        "Call to write",
        options,
        index=options.index(remembered) if remembered in options else 0,
        format_func=lambda n: f"{drafts[n].title} (draft)" if n else "A new call",
        key=WRITING_CHOICE,
        on_change=remember_writing,
    )
    return drafts.get(chosen)


def open_call(c: calls_pb2.Call) -> str:
    call(services().grants.OpenCall, calls_pb2.OpenCallRequest(name=c.name))
    st.session_state[WRITING_KEY] = NEW_CALL
    st.session_state.pop(WRITING_CHOICE, None)
    return f"“{c.title}” is open: eligible organisations can apply from its opening date."


def offer_opening(c: calls_pb2.Call) -> None:
    """Open the draft c; the service says which of its rules are not met yet."""
    st.button(
        "Open the call",
        icon=":material/campaign:",
        on_click=run_action,
        args=(partial(open_call, c),),
        help="Save your changes first: the call opens as it is saved.",
    )


st.title("Calls")
show_outcome()
calls = managed_calls()
if calls:
    data_table([call_row(c) for c in calls], "calls.csv")
else:
    empty_state("Your organisation runs no call yet.")

st.subheader("Write a call")
drafts = {c.name: c for c in calls if c.state == calls_pb2.CALL_STATE_DRAFT}
draft = choose_draft(drafts)
call_form(draft, registry_organisations(), write_next)
if draft is not None:
    offer_opening(draft)

open_calls = {c.name: c for c in calls if c.state == calls_pb2.CALL_STATE_OPEN}
if open_calls:
    st.subheader("Change an open call")
    changing = st.selectbox(
        "Open call", list(open_calls), format_func=lambda n: open_calls[n].title
    )
    open_call_form(open_calls[changing])

if calls:
    st.subheader("Funders and pledges")
    chosen = choose_call(calls, "Your organisation runs no call yet.")
    st.caption(chosen.description)
    show_ledger(chosen)
