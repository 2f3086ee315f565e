"""Apply: pick a draft or an open call, and write the application (saved as you type)."""

from __future__ import annotations

import uuid

import streamlit as st

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import calls_pb2
from ui.application_form import application_form
from ui.client import PAGE_SIZE, services
from ui.display import fetch, show_outcome
from ui.drafting import Draft, open_forms
from ui.formatting import empty_state
from ui.paging import show_cut


def new_form(choice: str, calls: dict[str, calls_pb2.Call], drafts: dict) -> Draft:
    """A form for the draft or the call named choice; a new call form starts empty."""
    if choice in calls:
        return Draft(f"new-{uuid.uuid4().hex[:12]}", calls[choice])
    app = drafts[choice]
    request = calls_pb2.GetCallRequest(name=app.call)
    found = fetch(services().grants.GetCall, request, "Loading the call…")
    return Draft(app.id, found, saved=app)


def draft_for(choice: str, calls: dict[str, calls_pb2.Call], drafts: dict) -> Draft:
    """The form of choice (a draft's or a call's name), kept for the session; a draft started
    from a call keeps its form when chosen by its own name."""
    forms = open_forms()
    if choice not in forms:
        same = next((d for d in forms.values() if d.saved and d.saved.name == choice), None)
        forms[choice] = same or new_form(choice, calls, drafts)
    return forms[choice]


def first_choice(options: list[str]) -> int:
    """The option the link that opened the page names (?call=… or ?application=…)."""
    params = st.query_params
    wanted = [f"{kind}s/{params[kind]}" for kind in ("application", "call") if kind in params]
    return next((options.index(w) for w in wanted if w in options), 0)


st.title("Apply")
show_outcome()
grants = services().grants
listed = fetch(
    grants.ListApplications,
    pb.ListApplicationsRequest(state=pb.APPLICATION_STATE_DRAFT, page_size=PAGE_SIZE),
    "Loading your drafts…",
)
show_cut(listed, "draft applications", "the others are not listed")
eligible = fetch(
    grants.ListEligibleCalls, calls_pb2.ListEligibleCallsRequest(), "Loading open calls…"
).calls
drafts = {a.name: a for a in listed.applications}
calls = {e.call.name: e.call for e in eligible if e.eligible}
labels = {name: f"{a.title or 'Untitled'} (draft)" for name, a in drafts.items()}
labels |= {name: f"New application to {c.title}" for name, c in calls.items()}
if not labels:
    empty_state("You have no draft, and no open call takes applications from you right now.")
    st.stop()

options = list(labels)
choice = st.selectbox("Application", options, index=first_choice(options), format_func=labels.get)
draft = draft_for(choice, calls, drafts)
st.caption(
    f"For **{draft.call.title}** · amounts in {draft.currency} · "
    "the call's rules are checked when you submit."
)
application_form(draft)
