"""Lists cut at PAGE_SIZE: whether a service held back more than a page shows, and saying so."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import PAGE_SIZE

NARROW = "narrow the filter to see the others"


def more_than_shown(reply: Any) -> bool:
    """Whether a List reply stopped at a page with more left: it carries a next_page_token."""
    return bool(reply.next_page_token)


def cut_notice(what: str, hint: str = NARROW) -> str:
    """'Showing the first 500 shares (newest first); there are more: narrow the filter …'."""
    return f"Showing the first {PAGE_SIZE} {what}; there are more: {hint}."


def show_cut(reply: Any, what: str, hint: str = NARROW) -> None:
    """A notice where the page calls this when reply left items out; nothing otherwise."""
    if more_than_shown(reply):
        st.warning(cut_notice(what, hint), icon=":material/filter_list:")
