"""Which agreement the page shows: the one the address names, kept there across reloads; a
counter renews the page's controls after a save."""

from __future__ import annotations

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2
from ui.agreement_view import state_of
from ui.display import short

# Counts saved proposals and amendments: each gives the page's controls new keys, so the
# browser shows them afresh (the list view, the saved agreement, no action chosen).
VIEW_KEY = "nlc_agreements_view"
QUERY = "agreement"


def view() -> int:
    return st.session_state.get(VIEW_KEY, 0)


def open_agreement(a: agreements_pb2.Agreement) -> None:
    """Show a, freshly saved, in the list view."""
    st.query_params[QUERY] = short(a.name)
    st.session_state[VIEW_KEY] = view() + 1


def remember_choice(key: str) -> None:
    """Put the agreement chosen in the address, so a reload opens it again."""
    st.query_params[QUERY] = st.session_state[key]


def choose(agreements: list[agreements_pb2.Agreement]) -> agreements_pb2.Agreement:
    """The agreement to open: the one the address names, else the first."""
    by_id = {short(a.name): a for a in agreements}
    wanted = st.query_params.get(QUERY, "")
    key = f"agreement-choice-{view()}"
    chosen = st.selectbox(
        "Agreement",
        list(by_id),
        index=list(by_id).index(wanted) if wanted in by_id else 0,
        format_func=lambda i: f"{by_id[i].terms.title} ({state_of(by_id[i]).lower()})",
        key=key,
        on_change=remember_choice,
        args=(key,),
    )
    return by_id[chosen]
