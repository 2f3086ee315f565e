"""Agreements: the organisation's sharing agreements, when each must be reviewed, their versions
and what changed between them; a party's data-protection officer proposes, amends, signs,
reviews, suspends and terminates them."""

from __future__ import annotations

from datetime import date
from functools import partial
from itertools import pairwise

import pandas as pd
import streamlit as st

from nlc.infoshare.v1 import agreements_pb2, purposes_pb2
from nlc.infoshare.v1 import infoshare_pb2 as pb
from services.common.auth import Role
from ui.agreement_form import Catalogue, changes, new_terms, terms_form, typed_from
from ui.client import PAGE_SIZE, UiError, call, services
from ui.display import (
    data_table,
    fetch,
    metrics,
    org_names,
    registry_organisations,
    run_action,
    short,
    show_outcome,
    stamp,
    words,
)
from ui.formatting import date_text, empty_state
from ui.session import current_user

SOON_DAYS = 30
PASSED = "background-color: rgba(255, 75, 75, 0.25)"
SOON = "background-color: rgba(255, 189, 69, 0.3)"
READ, PROPOSE = "Your agreements", "Propose an agreement"
# Counts saved proposals and amendments: each gives the page's controls new keys, so the
# browser shows them afresh (the list view, the saved agreement, no action chosen).
VIEW_KEY = "nlc_agreements_view"
QUERY = "agreement"
S = agreements_pb2
AMENDABLE = (S.AGREEMENT_STATE_PROPOSED, S.AGREEMENT_STATE_ACTIVE, S.AGREEMENT_STATE_SUSPENDED)
REVIEWABLE = (S.AGREEMENT_STATE_ACTIVE, S.AGREEMENT_STATE_SUSPENDED)
SUSPENDABLE = (S.AGREEMENT_STATE_ACTIVE,)
# Verb, past tense, what follows, icon of each way to stop an agreement.
STOPS = {
    "Suspend": ("suspend", "suspended", "sharing stops until a review lifts it", "pause_circle"),
    "Terminate": ("terminate", "terminated", "it ends for good, nothing more is shared", "cancel"),
}


def review_style(iso: str, today: date) -> str:
    """Red when the review date has passed, amber when it falls within SOON_DAYS."""
    if not iso:
        return ""
    days = (date.fromisoformat(iso) - today).days
    return PASSED if days < 0 else SOON if days <= SOON_DAYS else ""


def state_of(a: agreements_pb2.Agreement) -> str:
    return words(agreements_pb2.AgreementState, a.state)


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


def open_agreement(a: agreements_pb2.Agreement) -> None:
    """Show a, freshly saved, in the list view."""
    st.query_params[QUERY] = short(a.name)
    st.session_state[VIEW_KEY] = view() + 1


def view() -> int:
    return st.session_state.get(VIEW_KEY, 0)


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


def load_catalogue() -> Catalogue:
    """Registry organisations, purposes and record types the form offers."""
    infoshare = services().infoshare
    purposes = fetch(
        infoshare.ListPurposes, pb.ListPurposesRequest(page_size=PAGE_SIZE), "Loading purposes…"
    ).purposes
    record_types = fetch(
        infoshare.ListRecordTypes, pb.ListRecordTypesRequest(), "Loading record types…"
    ).record_types
    return Catalogue(
        registry_organisations(),
        {p.name: p for p in purposes},
        list(record_types),
    )


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


def remember_choice(key: str) -> None:
    """Put the agreement chosen in the address, so a reload opens it again."""
    st.query_params[QUERY] = st.session_state[key]


def choose(agreements: list[agreements_pb2.Agreement]) -> agreements_pb2.Agreement:
    """The agreement to open: the one the address names, else the first."""
    by_id = {short(a.name): a for a in agreements}
    wanted = st.query_params.get(QUERY, "")
    key = f"agreement-choice-{view()}"
    chosen = st.selectbox(
        "Agreement",
        list(by_id),
        index=list(by_id).index(wanted) if wanted in by_id else 0,
        format_func=lambda i: f"{by_id[i].terms.title} ({state_of(by_id[i]).lower()})",
        key=key,
        on_change=remember_choice,
        args=(key,),
    )
    return by_id[chosen]


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
agreements = list(
    fetch(services().infoshare.ListAgreements, request, "Loading your agreements…").agreements
)
if not agreements:
    show_outcome()
    empty_state("Your organisation is party to no agreement yet.")
    st.stop()
overview(agreements, org_names(p.organisation for a in agreements for p in a.terms.parties))
show_agreement(choose(agreements), own, governs)
