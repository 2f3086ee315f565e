"""Changing an open call: the service lets a manager reword its description or give applicants
more time (a later closing date) once it is open; it refuses anything else, at the field."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from nlc.grants.v1 import calls_pb2 as pb
from ui.call_terms import CLOSING_TIME, PREFIX, day, save_request
from ui.client import UiError, call, services
from ui.display import remember_outcome, show_form_problems

AT_FIELDS = {"description": "Item", "closes_at": "Item"}


def changed_call(saved: pb.Call, description: str, closes_on: object) -> pb.Call:
    """saved with the description and closing day typed (closing at the end of that day)."""
    wanted = pb.Call()
    wanted.CopyFrom(saved)
    wanted.description = description
    if closes_on:
        wanted.closes_at.FromDatetime(datetime.combine(closes_on, CLOSING_TIME, UTC))
    return wanted


def save_open_call(saved: pb.Call, wanted: pb.Call) -> UiError | None:
    """Send what changed; the refusal, if any."""
    request = save_request(saved, wanted)
    if request is None:
        return UiError("Nothing changed: there is nothing to save.")
    try:
        done = call(services().grants.UpdateCall, request)
    except UiError as failure:
        return failure
    remember_outcome(f"“{done.title}” is saved; it closes on {day(done.closes_at):%Y-%m-%d}.")
    return None


@st.fragment
def open_call_form(saved: pb.Call) -> None:
    """The description and closing date of the open call saved, and a button to save them."""

    def key(name: str) -> str:
        return f"open-call-{saved.id}-{saved.etag}-{name}"

    status = st.empty()
    slots = {}
    description = st.text_area(
        "Description shown to applicants", value=saved.description, key=key("description")
    )
    slots["description"] = st.empty()
    closes_on = st.date_input(
        "Closing date",
        value=day(saved.closes_at),
        format="YYYY-MM-DD",
        key=key("closes"),
        help="An open call can only close later than announced: applicants count on the date.",
    )
    slots["closes_at"] = st.empty()
    error = None
    if st.button("Save the open call", type="primary", icon=":material/save:"):
        error = save_open_call(saved, changed_call(saved, description, closes_on))
        if error is None:
            st.rerun()
    show_form_problems(error, status, slots, PREFIX, AT_FIELDS)
