"""Sent: shares the officer's organisation sent, each recipient's decision, correct or revoke."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import shares_pb2
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, org_names, run_action, short, show_outcome, stamp, words
from ui.formatting import empty_state
from ui.paging import show_cut


def correct(share: shares_pb2.Share, field_names: list[str]) -> str:
    """Replace the values typed in the correction form, for the reason given."""
    key = share.name
    changed = {
        name: st.session_state[f"correct-{key}-{name}"]
        for name in field_names
        if st.session_state[f"correct-{key}-{name}"].strip()
    }
    request = pb.CorrectShareRequest(
        name=share.name, fields=changed, reason=st.session_state[f"correct-{key}-reason"]
    )
    corrected = call(services().infoshare.CorrectShare, request)
    return f"Corrected: recipients now see version {corrected.content_version}."


def revoke(share: shares_pb2.Share) -> str:
    """Withdraw the share from every recipient, for the reason given."""
    request = pb.RevokeShareRequest(
        name=share.name, reason=st.session_state[f"revoke-{share.name}-reason"]
    )
    call(services().infoshare.RevokeShare, request)
    return "Revoked: recipients can no longer read it."


def show_deliveries(share: shares_pb2.Share, names: dict[str, str]) -> None:
    """What each recipient got, why a denied one got nothing, and what each has acknowledged."""
    rows = [
        {
            "Recipient": names.get(d.recipient, d.recipient),
            "Outcome": words(shares_pb2.Outcome, d.outcome),
            "Denial reason": words(shares_pb2.DenialReason, d.denial_reason)
            if d.denial_reason
            else "",
            "Why": d.explanation,
            "Fields left out": ", ".join(d.dropped_fields),
            "Acknowledged version": str(d.acknowledged_version or "not yet"),
            "Agreement version": d.agreement_version,
        }
        for d in share.deliveries
    ]
    data_table(rows, f"{short(share.name)}-recipients.csv")


def field_names_of(record_type: str) -> list[str]:
    """The record type's field names, for the correction form."""
    request = pb.GetRecordTypeRequest(name=record_type)
    return [f.name for f in call(services().infoshare.GetRecordType, request).fields]


def show_actions(share: shares_pb2.Share) -> None:
    """Correct and revoke forms for an active share."""
    try:
        field_names = field_names_of(share.record_type)
    except UiError as error:
        show_error(error)
        return
    fix, withdraw = st.columns(2)
    with fix.form(f"correct-{share.name}"):
        st.markdown("**Correct**: type only the values that change.")
        for name in field_names:
            st.text_input(name, key=f"correct-{share.name}-{name}")
        st.text_input("Reason for the correction", key=f"correct-{share.name}-reason")
        st.form_submit_button(
            "Correct",
            on_click=run_action,
            args=(partial(correct, share, field_names),),
            icon=":material/edit:",
        )
    with withdraw.form(f"revoke-{share.name}"):
        st.markdown("**Revoke**: recipients lose access to the content.")
        st.text_input("Reason for revoking", key=f"revoke-{share.name}-reason")
        st.form_submit_button(
            "Revoke", on_click=run_action, args=(partial(revoke, share),), icon=":material/block:"
        )


st.title("Sent")
try:
    with st.spinner("Loading what you sent…"):
        request = pb.ListSharesRequest(mailbox=pb.MAILBOX_SENT, page_size=PAGE_SIZE)
        reply = call(services().infoshare.ListShares, request)
        names = org_names(d.recipient for s in reply.shares for d in s.deliveries)
except UiError as error:
    show_error(error)
    st.stop()
shares = list(reply.shares)
if not shares:
    empty_state("Your organisation has sent nothing yet.")
    st.stop()

rows = [
    {
        "Sent": stamp(s.send_time),
        "Purpose": short(s.purpose),
        "Record type": short(s.record_type),
        "State": words(shares_pb2.ShareState, s.state),
        "Content version": s.content_version,
        "Recipients": ", ".join(
            f"{names.get(d.recipient, d.recipient)} ({words(shares_pb2.Outcome, d.outcome)})"
            for d in s.deliveries
        ),
        "Share": s.name,
    }
    for s in shares
]
st.caption("Select a share to see each recipient's decision, or to correct or revoke it.")
event = data_table(rows, "sent.csv", on_select="rerun", selection_mode="single-row", key="sent")
show_cut(reply, "shares sent (newest first)", "older ones are not listed")
show_outcome()
if not event.selection.rows:
    st.stop()

chosen = shares[event.selection.rows[0]]
st.subheader(f"{short(chosen.record_type)} for {short(chosen.purpose)}")
if chosen.state_reason:
    st.warning(chosen.state_reason)
show_deliveries(chosen, names)
if chosen.state == shares_pb2.SHARE_STATE_ACTIVE:
    show_actions(chosen)
