"""Subject requests: find, erase or re-identify what the organisation shared about a person."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import shares_pb2
from ui.client import UiError, call, services, show_error
from ui.display import data_table, org_names, run_action, short, show_outcome, stamp, words
from ui.formatting import empty_state

ERASE_REASON_KEY = "erase-reason"
ERASE_CONFIRM_KEY = "erase-confirm"
REIDENTIFY_REASON_KEY = "reidentify-reason"


def erase(reference: str) -> str:
    """Crypto-shred every share about reference, once the officer has confirmed."""
    if not st.session_state[ERASE_CONFIRM_KEY]:
        raise UiError("Tick the confirmation to erase; nothing was erased.")
    request = pb.EraseSubjectRequest(
        subject_reference=reference, reason=st.session_state[ERASE_REASON_KEY]
    )
    erased = call(services().infoshare.EraseSubject, request).erased_shares
    return f"Erased {len(erased)} share(s) about {reference}."


def reidentify(share: shares_pb2.Share) -> str:
    """The sender's reference for the share's subject, for the reason given."""
    request = pb.ReidentifySubjectRequest(
        share=share.name, reason=st.session_state[REIDENTIFY_REASON_KEY]
    )
    reference = call(services().infoshare.ReidentifySubject, request).subject_reference
    return f"The subject of {share.name} is {reference}."


def erase_form(reference: str) -> None:
    """Reason and confirmation, then erasure of everything about reference."""
    with st.form("erase-subject"):
        st.markdown(f"**Erase** every share about `{reference}`; this cannot be undone.")
        st.text_input("Reason for erasing", key=ERASE_REASON_KEY)
        st.checkbox(
            f"I confirm the erasure of everything shared about {reference}", key=ERASE_CONFIRM_KEY
        )
        st.form_submit_button(
            "Erase",
            type="primary",
            on_click=run_action,
            args=(partial(erase, reference),),
            icon=":material/delete_forever:",
        )


def reidentify_form(share: shares_pb2.Share) -> None:
    """Reason, then the subject reference behind share's pseudonym."""
    with st.form("reidentify-subject"):
        st.markdown(f"**Re-identify** the subject of `{share.name}`.")
        st.text_input("Reason for re-identifying", key=REIDENTIFY_REASON_KEY)
        st.form_submit_button(
            "Re-identify",
            on_click=run_action,
            args=(partial(reidentify, share),),
            icon=":material/person_search:",
        )


st.title("Subject requests")
show_outcome()
reference = st.text_input(
    "Subject reference", help="Your organisation's own reference for the person."
).strip()
if not reference:
    st.caption("Type a subject reference to find what your organisation shared about them.")
    st.stop()
try:
    with st.spinner("Finding the shares…"):
        request = pb.FindSubjectSharesRequest(subject_reference=reference)
        shares = list(call(services().infoshare.FindSubjectShares, request).shares)
        names = org_names(d.recipient for s in shares for d in s.deliveries)
except UiError as error:
    show_error(error)
    st.stop()
if not shares:
    empty_state(f"Your organisation shared nothing about {reference}.")
    st.stop()

rows = [
    {
        "Sent": stamp(s.send_time),
        "Purpose": short(s.purpose),
        "Record type": short(s.record_type),
        "State": words(shares_pb2.ShareState, s.state),
        "Recipients": ", ".join(names.get(d.recipient, d.recipient) for d in s.deliveries),
        "Share": s.name,
    }
    for s in shares
]
st.caption("Select a share to re-identify its subject.")
event = data_table(
    rows, "subject-shares.csv", on_select="rerun", selection_mode="single-row", key="subject"
)
erase_form(reference)
if event.selection.rows:
    reidentify_form(shares[event.selection.rows[0]])
