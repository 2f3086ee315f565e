"""Agreements: the organisation's sharing agreements, when each must be reviewed, their versions
and what changed between them; a party's data-protection officer proposes, amends, signs,
reviews, suspends and terminates them."""

from __future__ import annotations

from datetime import date

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2
from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import Role
from ui.agreement_actions import govern, offer_signature
from ui.agreement_choice import choose, open_agreement, view
from ui.agreement_fields import load_catalogue
from ui.agreement_form import terms_form
from ui.agreement_terms import new_terms
from ui.agreement_view import overview, show_history, show_terms, state_of
from ui.client import PAGE_SIZE, services
from ui.display import fetch, metrics, org_names, show_outcome, words
from ui.formatting import date_text, empty_state
from ui.paging import show_cut
from ui.session import current_user

READ, PROPOSE = "Your agreements", "Propose an agreement"


def show_agreement(a: agreements_pb2.Agreement, own: str, governs: bool) -> None:
    """a's state, versions and terms, and what the caller may do to it."""
    st.subheader(a.terms.title)
    metrics(
        {
            "State": state_of(a),
            "Sharing": words(agreements_pb2.SharingStatus, a.sharing_status),
            "Version in force": str(a.version_in_force or "none"),
            "Next review": date_text(a.review_date),
        },
        per_row=2,
    )
    if a.state_reason:
        st.warning(f"{state_of(a)}: {a.state_reason}", icon=":material/info:")
    show_outcome()
    request = pb.ListAgreementVersionsRequest(parent=a.name)
    versions = sorted(
        fetch(
            services().infoshare.ListAgreementVersions, request, "Loading its versions…"
        ).versions,
        key=lambda v: v.version,
    )
    if not versions:
        return
    names = org_names(p.organisation for v in versions for p in v.terms.parties)
    latest = versions[-1]
    show_terms(latest, names)
    show_history(versions, names)
    governing = next((v for v in versions if v.version == a.version_in_force), latest)
    if governs and any(p.organisation == own for p in governing.terms.parties):
        offer_signature(latest, own)
        govern(a, latest)


st.title("Agreements")
user = current_user()
own = f"organisations/{user.org_id}" if user and user.org_id else ""
governs = bool(user and Role.DATA_PROTECTION_OFFICER.value in user.roles and own)
mode = READ
if governs:
    mode = st.segmented_control("Show", (READ, PROPOSE), default=READ, key=f"mode-{view()}")
if mode == PROPOSE:
    st.caption(
        "Every party's data-protection officer signs the agreement, yours included, before "
        "anything is shared under it."
    )
    terms_form(None, new_terms(own, date.today()), load_catalogue(), open_agreement)
    st.stop()

request = pb.ListAgreementsRequest(page_size=PAGE_SIZE)
listed = fetch(services().infoshare.ListAgreements, request, "Loading your agreements…")
agreements = list(listed.agreements)
if not agreements:
    show_outcome()
    empty_state("Your organisation is party to no agreement yet.")
    st.stop()
overview(agreements, org_names(p.organisation for a in agreements for p in a.terms.parties))
show_cut(listed, "agreements", "the others are not listed")
show_agreement(choose(agreements), own, governs)
