"""Inbox: shares delivered to the officer's organisation; read one for its purpose and ack it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import shares_pb2
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, org_names, run_action, short, show_outcome, stamp, words
from ui.formatting import empty_state
from ui.paging import show_cut
from ui.session import current_user


def acknowledged_version(share: shares_pb2.Share, org: str) -> int:
    """The content version org last acknowledged (0 = not yet)."""
    delivery = next((d for d in share.deliveries if d.recipient == org), None)
    return delivery.acknowledged_version if delivery else 0


def acknowledge(share: shares_pb2.Share) -> str:
    """Confirm the share's current content version has been seen."""
    request = pb.AcknowledgeShareRequest(name=share.name, content_version=share.content_version)
    call(services().infoshare.AcknowledgeShare, request)
    return f"Acknowledged version {share.content_version}."


def show_content(share: shares_pb2.Share) -> None:
    """Fetch and show the fields the agreement lets the organisation read, for the purpose."""
    request = pb.FetchShareRequest(name=share.name, purpose=share.purpose)
    try:
        with st.spinner("Opening the share…"):
            content = call(services().infoshare.FetchShare, request)
    except UiError as error:
        show_error(error)
        return
    st.caption(
        f"Subject pseudonym {content.subject_pseudonym or '—'} · "
        f"read under {content.agreement_version or 'no agreement'}"
    )
    if not content.fields:
        empty_state("The agreement in force lets you read none of its fields.")
        return
    st.table([{"Field": k, "Value": v} for k, v in sorted(content.fields.items())])


st.title("Inbox")
user = current_user()
org = f"organisations/{user.org_id}" if user and user.org_id else ""
try:
    with st.spinner("Loading your inbox…"):
        request = pb.ListSharesRequest(mailbox=pb.MAILBOX_INBOX, page_size=PAGE_SIZE)
        reply = call(services().infoshare.ListShares, request)
        senders = org_names(s.sender for s in reply.shares)
except UiError as error:
    show_error(error)
    st.stop()
shares = list(reply.shares)
if not shares:
    empty_state("Nothing has been shared with your organisation yet.")
    st.stop()

rows = [
    {
        "Received": stamp(s.send_time),
        "From": senders[s.sender],
        "Purpose": short(s.purpose),
        "Record type": short(s.record_type),
        "State": words(shares_pb2.ShareState, s.state),
        "Content version": s.content_version,
        "Acknowledged version": str(acknowledged_version(s, org) or "not yet"),
        "Subject pseudonym": s.subject_pseudonym,
        "Share": s.name,
    }
    for s in shares
]
st.caption("Select a share to read or acknowledge it.")
event = data_table(rows, "inbox.csv", on_select="rerun", selection_mode="single-row", key="inbox")
show_cut(reply, "shares received (newest first)", "older ones are not listed")
if not event.selection.rows:
    st.stop()

chosen = shares[event.selection.rows[0]]
st.subheader(f"{short(chosen.record_type)} from {senders[chosen.sender]}")
if chosen.state_reason:
    st.warning(chosen.state_reason)
read, ack = st.columns(2)
if acknowledged_version(chosen, org) < chosen.content_version:
    ack.button(
        f"Acknowledge version {chosen.content_version}",
        on_click=run_action,
        args=(partial(acknowledge, chosen),),
        icon=":material/done:",
    )
show_outcome()
if read.button(f"Read for purpose {short(chosen.purpose)}", type="primary"):
    show_content(chosen)
