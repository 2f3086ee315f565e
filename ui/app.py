"""Entry point (`streamlit run ui/app.py`): a landing page, or the workspaces of one's roles."""

from __future__ import annotations

import streamlit as st

from nlc.registry.v1.organisations_pb2 import GetOrganisationRequest
from ui.client import UiError, call, services
from ui.formatting import org_label, role_label
from ui.navigation import pages_for
from ui.session import UiUser, current_user, login_page

ORG_KEY = "nlc_organisation"


def organisation_text(org_id: str | None) -> str:
    """The user's organisation by its registry name, or a short id when the registry says no."""
    if not org_id:
        return "no organisation"
    name = f"organisations/{org_id}"
    request = GetOrganisationRequest(name=name)
    try:
        return call(services().registry.GetOrganisation, request).display_name
    except UiError:
        return org_label(name)


def sidebar(user: UiUser) -> None:
    """Who is logged in, and the way out."""
    with st.sidebar:
        st.markdown(f"**{user.name}**")
        if ORG_KEY not in st.session_state:
            st.session_state[ORG_KEY] = organisation_text(user.org_id)
        st.caption(st.session_state[ORG_KEY])
        st.caption(", ".join(role_label(role) for role in sorted(user.roles)))
        if st.button("Log out", icon=":material/logout:"):
            st.logout()


st.set_page_config(page_title="NLC platform", page_icon=":material/handshake:", layout="wide")
current = current_user()
if current is None:
    login_page()
else:
    navigation = st.navigation(pages_for(current.roles))
    sidebar(current)
    navigation.run()
