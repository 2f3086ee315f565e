"""Home: who the user is and what they can do here."""

from __future__ import annotations

import streamlit as st

from ui.formatting import empty_state, role_label
from ui.navigation import page_of, workspaces_for
from ui.session import current_user

user = current_user()
if user is not None:
    st.title(f"Welcome, {user.name}")
    st.caption("Your roles: " + (", ".join(role_label(r) for r in sorted(user.roles)) or "none"))
    workspaces = workspaces_for(user.roles)
    if not workspaces:
        empty_state("Your roles do not open any workspace here yet; ask your administrator.")
    for workspace in workspaces:
        st.page_link(page_of(workspace), label=workspace.title, icon=workspace.icon)
        st.caption(workspace.purpose)
