"""Agreements: the DPO's sharing agreements, when each must be reviewed, and signing new terms."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from nlc.infoshare.v1 import agreements_pb2, purposes_pb2
from nlc.infoshare.v1 import infoshare_pb2 as pb
from ui.client import UiError, call, services, show_error
from ui.display import data_table, org_names, run_action, short, show_outcome, stamp, words
from ui.formatting import date_text, empty_state
from ui.session import current_user

PAGE_SIZE = 500
SOON_DAYS = 30
PASSED = "background-color: rgba(255, 75, 75, 0.25)"
SOON = "background-color: rgba(255, 189, 69, 0.3)"


def review_style(iso: str, today: date) -> str:
    """Red when the review date has passed, amber when it falls within SOON_DAYS."""
    if not iso:
        return ""
    days = (date.fromisoformat(iso) - today).days
    return PASSED if days < 0 else SOON if days <= SOON_DAYS else ""


def sign(agreement: str, version: int) -> str:
    """Sign version of agreement for the caller's organisation."""
    call(
        services().infoshare.SignAgreement, pb.SignAgreementRequest(name=agreement, version=version)
    )
    return f"You signed version {version}."


def show_version(version: agreements_pb2.AgreementVersion, own: str) -> None:
    """The terms of one version, who signed them, and a sign button when own has not."""
    terms = version.terms
    st.markdown(
        f"**Version {version.version}** ({version.status.replace('_', ' ')}) · valid "
        f"{date_text(terms.valid_from)} to {date_text(terms.valid_until)} · review every "
        f"{terms.review_interval_months} months · purposes: "
        f"{', '.join(short(p) for p in terms.purposes)}"
    )
    names = org_names([p.organisation for p in terms.parties])
    st.dataframe(
        [
            {
                "Party": names[p.organisation],
                "Role": words(agreements_pb2.PartyRole, p.role),
                "Signed by": p.signed_by or "not yet",
                "Signed": stamp(p.sign_time),
            }
            for p in terms.parties
        ],
        hide_index=True,
    )
    st.dataframe(
        [
            {
                "From": names.get(f.provider, f.provider),
                "To": names.get(f.recipient, f.recipient),
                "Categories": ", ".join(words(purposes_pb2.DataCategory, c) for c in f.categories),
            }
            for f in terms.flows
        ],
        hide_index=True,
    )
    show_outcome()
    mine = next((p for p in terms.parties if p.organisation == own), None)
    if mine is not None and not mine.signed_by and version.status == "proposed":
        st.button(
            f"Sign version {version.version}",
            type="primary",
            on_click=run_action,
            args=(partial(sign, version.name.rsplit("/versions/", 1)[0], version.version),),
            icon=":material/signature:",
        )


st.title("Agreements")
user = current_user()
own = f"organisations/{user.org_id}" if user and user.org_id else ""
infoshare = services().infoshare
try:
    with st.spinner("Loading your agreements…"):
        request = pb.ListAgreementsRequest(page_size=PAGE_SIZE)
        agreements = list(call(infoshare.ListAgreements, request).agreements)
        names = org_names(p.organisation for a in agreements for p in a.terms.parties)
except UiError as error:
    show_error(error)
    st.stop()
if not agreements:
    empty_state("Your organisation is party to no agreement yet.")
    st.stop()

rows = [
    {
        "Title": a.terms.title,
        "Sharing": words(agreements_pb2.SharingStatus, a.sharing_status),
        "Next review": date_text(a.review_date),
        "State": words(agreements_pb2.AgreementState, a.state),
        "Version in force": str(a.version_in_force or "none"),
        "Latest version": a.latest_version,
        "Valid until": date_text(a.terms.valid_until),
        "Parties": ", ".join(names[p.organisation] for p in a.terms.parties),
        "Agreement": a.name,
    }
    for a in agreements
]
today = date.today()
styles = [review_style(a.review_date, today) for a in agreements]
styled = pd.DataFrame(rows).style.apply(lambda _: styles, subset=["Next review"])
st.caption(
    f"Review dates in red have passed; in amber they fall within {SOON_DAYS} days. "
    "Select an agreement to read its latest terms and sign them."
)
event = data_table(
    styled, "agreements.csv", on_select="rerun", selection_mode="single-row", key="agreements"
)
if not event.selection.rows:
    st.stop()

chosen = agreements[event.selection.rows[0]]
st.subheader(chosen.terms.title)
if chosen.state_reason:
    st.warning(chosen.state_reason)
try:
    with st.spinner("Loading its versions…"):
        request = pb.ListAgreementVersionsRequest(parent=chosen.name)
        versions = call(infoshare.ListAgreementVersions, request).versions
except UiError as error:
    show_error(error)
    st.stop()
if versions:
    show_version(max(versions, key=lambda v: v.version), own)
