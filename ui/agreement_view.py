"""How an agreement reads: the overview of all of them coloured by review urgency, and the terms
and history of one."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pandas as pd
import streamlit as st

from nlc.infoshare.v1 import agreements_pb2, purposes_pb2
from ui.agreement_changes import changes
from ui.display import data_table, short, stamp, words
from ui.formatting import date_text

SOON_DAYS = 30
PASSED = "background-color: rgba(255, 75, 75, 0.25)"
SOON = "background-color: rgba(255, 189, 69, 0.3)"


def review_style(iso: str, today: date) -> str:
    """Red when the review date has passed, amber when it falls within SOON_DAYS."""
    if not iso:
        return ""
    days = (date.fromisoformat(iso) - today).days
    return PASSED if days < 0 else SOON if days <= SOON_DAYS else ""


def state_of(a: agreements_pb2.Agreement) -> str:
    return words(agreements_pb2.AgreementState, a.state)


def show_terms(version: agreements_pb2.AgreementVersion, names: dict[str, str]) -> None:
    """The terms of one version and who signed them."""
    terms = version.terms
    st.markdown(
        f"**Version {version.version}** ({version.status.replace('_', ' ')}) · valid "
        f"{date_text(terms.valid_from)} to {date_text(terms.valid_until)} · review every "
        f"{terms.review_interval_months} months · purposes: "
        f"{', '.join(short(p) for p in terms.purposes)}"
    )
    st.dataframe(
        [
            {
                "Party": names.get(p.organisation, p.organisation),
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


def show_history(versions: list[agreements_pb2.AgreementVersion], names: dict[str, str]) -> None:
    """Every version, and what each changed in the one before it."""
    st.markdown("**Version history**")
    data_table(
        [
            {
                "Version": v.version,
                "Status": v.status.replace("_", " "),
                "Proposed": stamp(v.create_time),
                "In force since": stamp(v.activate_time),
            }
            for v in versions
        ],
        "agreement-versions.csv",
    )
    for before, after in pairwise(versions):
        lines = changes(before.terms, after.terms, lambda o: names.get(o, o))
        st.markdown(f"What version {after.version} changed:\n" + "".join(f"\n- {x}" for x in lines))


def overview(agreements: list[agreements_pb2.Agreement], names: dict[str, str]) -> None:
    """Every agreement with its state, sharing status and review date, coloured by urgency."""
    rows = [
        {
            "Title": a.terms.title,
            "State": state_of(a),
            "Sharing": words(agreements_pb2.SharingStatus, a.sharing_status),
            "Next review": date_text(a.review_date),
            "Version in force": str(a.version_in_force or "none"),
            "Latest version": a.latest_version,
            "Valid until": date_text(a.terms.valid_until),
            "Parties": ", ".join(names.get(p.organisation, "") for p in a.terms.parties),
            "Agreement": a.name,
        }
        for a in agreements
    ]
    today = date.today()
    styles = [review_style(a.review_date, today) for a in agreements]
    styled = pd.DataFrame(rows).style.apply(lambda _: styles, subset=["Next review"])
    st.caption(
        f"Review dates in red have passed; in amber they fall within {SOON_DAYS} days. "
        "Choose an agreement below to read its versions and act on it."
    )
    data_table(styled, "agreements.csv")
