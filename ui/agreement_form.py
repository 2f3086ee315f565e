"""The agreement form: parties, purposes, the categories each party may pass to another, and the
validity, as a data-protection officer proposes or amends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import infoshare_pb2
from ui.agreement_fields import Catalogue, terms_widgets
from ui.agreement_terms import TypedTerms, terms_from
from ui.client import UiError, call, services
from ui.display import remember_outcome, short, show_form_problems

PREFIX = "terms."
# Fields whose problems the form shows under them, with what a list item is called.
AT_FIELDS = {
    "title": "Item",
    "parties": "Party",
    "purposes": "Purpose",
    "flows": "Flow",
    "valid_from": "Item",
    "valid_until": "Item",
    "review_interval_months": "Item",
}
NEW_FORM_KEY = "nlc_new_agreement_form"


def send(saved: pb.Agreement | None, terms: pb.AgreementTerms) -> pb.Agreement:
    """Propose a new agreement, or amend saved under the etag it was read with."""
    infoshare = services().infoshare
    if saved is None:
        return call(infoshare.ProposeAgreement, infoshare_pb2.ProposeAgreementRequest(terms=terms))
    request = infoshare_pb2.AmendAgreementRequest(name=saved.name, terms=terms, etag=saved.etag)
    return call(infoshare.AmendAgreement, request)


@st.fragment
def terms_form(
    saved: pb.Agreement | None,
    start: TypedTerms,
    catalogue: Catalogue,
    on_saved: Callable[[pb.Agreement], None],
) -> None:
    """The terms of a new agreement (saved None) or of an amendment to saved, starting from
    start; on_saved(agreement) once the service has taken them."""
    generation = (
        f"{short(saved.name)}-{saved.etag}" if saved else st.session_state.get(NEW_FORM_KEY, 0)
    )

    def key(name: str) -> str:
        return f"agreement-form-{generation}-{name}"

    status = st.empty()
    slots: dict[str, Any] = {}
    typed = terms_widgets(key, start, catalogue, slots)
    label = "Propose the amendment" if saved else "Propose the agreement"
    error = None
    if st.button(label, type="primary", icon=":material/handshake:", key=key("send")):
        try:
            done = send(saved, terms_from(typed))
        except UiError as failure:
            error = failure
        else:
            if saved is None:
                st.session_state[NEW_FORM_KEY] = st.session_state.get(NEW_FORM_KEY, 0) + 1
            number = done.latest_version
            remember_outcome(f"Version {number} of “{done.terms.title}” waits for signatures.")
            on_saved(done)
            st.rerun()
    show_form_problems(error, status, slots, PREFIX, AT_FIELDS)
