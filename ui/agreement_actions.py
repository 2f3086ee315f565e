"""What a party's data-protection officer does to an agreement: sign the latest version, and
review, amend, suspend or terminate it, each behind its own form."""

from __future__ import annotations

from functools import partial

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2
from nlc.infoshare.v1 import infoshare_pb2 as pb
from ui.agreement_choice import open_agreement, view
from ui.agreement_fields import load_catalogue
from ui.agreement_form import terms_form
from ui.agreement_terms import typed_from
from ui.agreement_view import state_of
from ui.client import UiError, call, services
from ui.display import run_action
from ui.formatting import date_text

S = agreements_pb2
AMENDABLE = (S.AGREEMENT_STATE_PROPOSED, S.AGREEMENT_STATE_ACTIVE, S.AGREEMENT_STATE_SUSPENDED)
REVIEWABLE = (S.AGREEMENT_STATE_ACTIVE, S.AGREEMENT_STATE_SUSPENDED)
SUSPENDABLE = (S.AGREEMENT_STATE_ACTIVE,)
# Verb, past tense, what follows, icon of each way to stop an agreement.
STOPS = {
    "Suspend": ("suspend", "suspended", "sharing stops until a review lifts it", "pause_circle"),
    "Terminate": ("terminate", "terminated", "it ends for good, nothing more is shared", "cancel"),
}


def sign(agreement: str, version: int) -> str:
    """Sign version of agreement for the caller's organisation."""
    request = pb.SignAgreementRequest(name=agreement, version=version)
    done = call(services().infoshare.SignAgreement, request)
    return f"You signed version {version}; the agreement is {state_of(done).lower()}."


def review(a: agreements_pb2.Agreement) -> str:
    """Record a periodic review of a with the next review date and notes typed."""
    chosen = st.session_state[f"review-date-{a.name}"]
    request = pb.ReviewAgreementRequest(
        name=a.name,
        next_review_date=chosen.isoformat() if chosen else "",
        notes=st.session_state[f"review-notes-{a.name}"],
    )
    done = call(services().infoshare.ReviewAgreement, request)
    return f"Review recorded; the next one is due on {date_text(done.review_date)}."


def stop(a: agreements_pb2.Agreement, action: str) -> str:
    """Suspend or terminate a for the reason typed, once the officer has confirmed."""
    verb, done = STOPS[action][:2]
    if not st.session_state[f"{verb}-confirm-{a.name}"]:
        raise UiError(f"Tick the confirmation to {verb}; nothing changed.")
    reason = st.session_state[f"{verb}-reason-{a.name}"]
    infoshare = services().infoshare
    if action == "Suspend":
        call(infoshare.SuspendAgreement, pb.SuspendAgreementRequest(name=a.name, reason=reason))
    else:
        call(infoshare.TerminateAgreement, pb.TerminateAgreementRequest(name=a.name, reason=reason))
    return f"“{a.terms.title}” is {done}."


def offer_signature(latest: agreements_pb2.AgreementVersion, own: str) -> None:
    """A sign button when own is a party to the latest version and has not signed it yet."""
    mine = next((p for p in latest.terms.parties if p.organisation == own), None)
    if mine is None or mine.signed_by or latest.status != "proposed":
        return
    agreement = latest.name.rsplit("/versions/", 1)[0]
    st.button(
        f"Sign version {latest.version}",
        type="primary",
        on_click=run_action,
        args=(partial(sign, agreement, latest.version),),
        icon=":material/signature:",
    )


def review_form(a: agreements_pb2.Agreement) -> None:
    with st.form(f"review-{a.name}"):
        st.date_input(
            "Next review date",
            value=None,
            format="YYYY-MM-DD",
            key=f"review-date-{a.name}",
            help=f"Leave empty for today plus {a.terms.review_interval_months} months.",
        )
        st.text_area("Review notes", key=f"review-notes-{a.name}")
        st.form_submit_button(
            "Record the review",
            type="primary",
            on_click=run_action,
            args=(partial(review, a),),
            icon=":material/fact_check:",
        )


def stop_form(a: agreements_pb2.Agreement, action: str) -> None:
    verb, _, effect, icon = STOPS[action]
    with st.form(f"{verb}-{a.name}"):
        st.text_area(f"Reason to {verb}", key=f"{verb}-reason-{a.name}")
        st.checkbox(f"I confirm: {effect}", key=f"{verb}-confirm-{a.name}")
        st.form_submit_button(
            action,
            type="primary",
            on_click=run_action,
            args=(partial(stop, a, action),),
            icon=f":material/{icon}:",
        )


def action_key(a: agreements_pb2.Agreement) -> str:
    """The action control's key: a new control once the agreement's state changes."""
    return f"action-{a.name}-{a.state}-{view()}"


def actions_for(a: agreements_pb2.Agreement) -> list[str]:
    """What a data-protection officer of a party may do to a in its state."""
    found = []
    if a.state in REVIEWABLE:
        found.append("Review")
    if a.state in AMENDABLE:
        found.append("Amend")
    if a.state in SUSPENDABLE:
        found.append("Suspend")
    if a.state in AMENDABLE:
        found.append("Terminate")
    return found


def govern(a: agreements_pb2.Agreement, latest: agreements_pb2.AgreementVersion) -> None:
    """The actions open to a party's data-protection officer, each behind its own form."""
    offered = actions_for(a)
    if not offered:
        return
    action = st.segmented_control("Act on the agreement", offered, key=action_key(a))
    if action == "Review":
        review_form(a)
    elif action == "Amend":
        terms_form(a, typed_from(latest.terms), load_catalogue(), open_agreement)
    elif action in STOPS:
        stop_form(a, action)
