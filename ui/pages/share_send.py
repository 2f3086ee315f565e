"""Send a share: a record of a standard type, for a purpose, to partners under agreements."""

from __future__ import annotations

import streamlit as st

from nlc.infoshare.v1 import infoshare_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2, shares_pb2
from ui.client import PAGE_SIZE, UiError, call, services, show_error
from ui.display import data_table, org_names, words
from ui.formatting import empty_state
from ui.paging import show_cut
from ui.session import current_user


def show_decisions(reply: pb.SendShareResponse, names: dict[str, str]) -> None:
    """What happened for each recipient, as the service decided."""
    if reply.share.name:
        st.success(f"Shared as {reply.share.name}.", icon=":material/send:")
    else:
        st.warning("No recipient received anything.", icon=":material/block:")
    rows = [
        {
            "Recipient": names.get(d.recipient, d.recipient),
            "Outcome": words(shares_pb2.Outcome, d.outcome),
            "Why": d.explanation,
            "Fields left out": ", ".join(d.dropped_fields),
            "Agreement version": d.agreement_version,
        }
        for d in reply.decisions
    ]
    data_table(rows, "share-decisions.csv")


st.title("Send a share")
user = current_user()
own = f"organisations/{user.org_id}" if user and user.org_id else ""
infoshare = services().infoshare
try:
    with st.spinner("Loading record types, purposes and partners…"):
        record_types = list(
            call(infoshare.ListRecordTypes, pb.ListRecordTypesRequest()).record_types
        )
        purposes = call(infoshare.ListPurposes, pb.ListPurposesRequest(page_size=PAGE_SIZE))
        agreements = call(infoshare.ListAgreements, pb.ListAgreementsRequest(page_size=PAGE_SIZE))
        partners = sorted(
            {p.organisation for a in agreements.agreements for p in a.terms.parties} - {own}
        )
        names = org_names(partners)
except UiError as error:
    show_error(error)
    st.stop()
show_cut(purposes, "purposes", "the others cannot be chosen here")
show_cut(agreements, "agreements", "partners under the others cannot be chosen here")
if not record_types or not purposes.purposes:
    empty_state("No record types or purposes are defined yet, so nothing can be shared.")
    st.stop()
if not partners:
    empty_state("Your organisation is party to no agreement yet, so nobody can receive a share.")
    st.stop()

record_type = st.selectbox(
    "Record type",
    record_types,
    format_func=lambda r: r.display_name or r.code,
    help="The fields below follow the record type chosen.",
)
purpose: purposes_pb2.Purpose = st.selectbox(
    "Purpose", list(purposes.purposes), format_func=lambda p: p.code
)
st.caption(purpose.description)
if purpose.consent_required:
    st.info("This purpose relies on the person's consent: say where it is recorded.")

with st.form("send-share"):
    recipients = st.multiselect(
        "Recipients", partners, format_func=lambda o: names[o], placeholder="Choose partners"
    )
    subject = st.text_input(
        "Subject reference", help="Your own reference for the person; recipients see a pseudonym."
    )
    st.markdown(f"**{record_type.display_name or record_type.code}** — {record_type.description}")
    values = {
        f.name: st.text_input(
            f"{f.description or f.name}{' *' if f.required else ''}",
            key=f"field-{record_type.code}-{f.name}",
            help=f"`{f.name}` · {words(purposes_pb2.DataCategory, f.category)}",
        )
        for f in record_type.fields
    }
    consent = st.checkbox("Consent obtained")
    consent_reference = st.text_input("Where the consent is recorded")
    st.caption("Fields marked * are required; empty fields are not sent.")
    all_or_nothing = st.checkbox(
        "All or nothing", help="Refuse the whole share rather than leave out fields."
    )
    sent = st.form_submit_button("Send", type="primary", icon=":material/send:")

if sent:
    request = pb.SendShareRequest(
        purpose=purpose.name,
        record_type=record_type.name,
        recipients=recipients,
        subject_reference=subject,
        fields={name: value for name, value in values.items() if value.strip()},
        all_or_nothing=all_or_nothing,
        consent=pb.Consent(obtained=consent, reference=consent_reference),
    )
    try:
        with st.spinner("Sending…"):
            reply = call(infoshare.SendShare, request)
    except UiError as error:
        show_error(error)
        st.stop()
    st.subheader("Decision per recipient")
    show_decisions(reply, names)
