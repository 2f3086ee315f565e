"""What the grants pages share: the caller's calls, choosing one, naming calls, and reading an
application."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from nlc.grants.v1 import applications_pb2, calls_pb2
from services.common.auth import Role
from ui.client import PAGE_SIZE, call, services
from ui.display import amount, fetch, remembered, short, stamp, words
from ui.formatting import empty_state, percent
from ui.paging import show_cut
from ui.session import current_user

CHOSEN_CALL_KEY = "nlc_chosen_call"
CALL_TITLES_KEY = "nlc_call_titles"
OVERSEERS = frozenset({Role.AUDITOR.value, Role.PLATFORM_ADMIN.value})


def own_organisation() -> str:
    """The caller's organisation as a resource name; empty without one."""
    user = current_user()
    return f"organisations/{user.org_id}" if user and user.org_id else ""


def visible_calls() -> list[calls_pb2.Call]:
    """The calls the caller may see, newest first (the page stops when the service refuses)."""
    request = calls_pb2.ListCallsRequest(page_size=PAGE_SIZE)
    reply = fetch(services().grants.ListCalls, request, "Loading calls…")
    show_cut(reply, "calls (newest first)", "older calls are not listed")
    return list(reply.calls)


def runs(c: calls_pb2.Call, org: str) -> bool:
    return c.managing_organisation == org


def funds(c: calls_pb2.Call, org: str) -> bool:
    return any(f.organisation == org for f in c.funders)


def managed_calls() -> list[calls_pb2.Call]:
    """The calls the caller's organisation runs."""
    own = own_organisation()
    return [c for c in visible_calls() if runs(c, own)]


def funded_calls() -> list[calls_pb2.Call]:
    """The calls the caller's organisation has pledged to."""
    own = own_organisation()
    return [c for c in visible_calls() if funds(c, own)]


def own_calls() -> list[calls_pb2.Call]:
    """The calls the caller's organisation runs or funds; every call for those who oversee."""
    user, own = current_user(), own_organisation()
    if user is not None and user.roles & OVERSEERS:
        return visible_calls()
    return [c for c in visible_calls() if runs(c, own) or funds(c, own)]


def call_label(c: calls_pb2.Call) -> str:
    """'Shared Endeavour Fund 2026 (open, closes 5 Mar 2026)'."""
    state = words(calls_pb2.CallState, c.state).lower()
    return f"{c.title} ({state}, closes {stamp(c.closes_at)})"


def _remember_call(key: str) -> None:
    st.session_state[CHOSEN_CALL_KEY] = st.session_state[key]


def choose_call(calls: list[calls_pb2.Call], empty_text: str) -> calls_pb2.Call:
    """A call picked from calls, the same one across pages; empty_text and a stop when none."""
    if not calls:
        empty_state(empty_text)
        st.stop()
    by_name = {c.name: c for c in calls}
    names = list(by_name)
    remembered = st.session_state.get(CHOSEN_CALL_KEY)
    chosen = st.selectbox(
        "Call",
        names,
        index=names.index(remembered) if remembered in by_name else 0,
        format_func=lambda n: call_label(by_name[n]),
        key="call-choice",
        on_change=_remember_call,
        args=("call-choice",),
    )
    return by_name[chosen]


def call_titles(names: Iterable[str]) -> dict[str, str]:
    """Titles of calls, remembered for the session; the call's id when it cannot be read."""

    def lookup(name: str) -> str:
        return call(services().grants.GetCall, calls_pb2.GetCallRequest(name=name)).title

    return remembered(CALL_TITLES_KEY, names, lookup, short)


def show_application(app: applications_pb2.Application) -> None:
    """An application as its readers need it: summary, amounts, budget and match funding."""
    figures = app.budget_summary
    st.markdown(app.summary or "_No summary._")
    st.markdown(
        f"**Requested** {amount(app.requested_amount)} · **project cost** "
        f"{amount(figures.total_cost)} · monitoring and evaluation "
        f"{percent(figures.monitoring_evaluation_bps)} · match funding {percent(figures.match_bps)}"
    )
    lines = [
        {
            "Category": words(applications_pb2.BudgetCategory, b.category),
            "Description": b.description,
            "Amount": amount(b.amount),
        }
        for b in app.budget_lines
    ]
    if lines:
        st.table(lines)
    matches = [
        {
            "Match from": m.source_name,
            "Kind": words(calls_pb2.MatchKind, m.kind),
            "Amount": amount(m.amount),
            "State": words(applications_pb2.MatchState, m.state),
        }
        for m in app.match_commitments
    ]
    if matches:
        st.table(matches)
