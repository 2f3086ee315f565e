"""The agreement form: parties, purposes, the categories each party may pass to another, and the
validity, as a data-protection officer proposes or amends them; and what changed between two
versions of the terms, in words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import infoshare_pb2, purposes_pb2
from ui.client import UiError, call, services
from ui.display import choices, remember_outcome, short, show_form_problems, words
from ui.formatting import date_text

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
ROLES = choices(pb.PartyRole)
PROVIDES = frozenset({pb.PARTY_ROLE_PROVIDER, pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT})
RECEIVES = frozenset({pb.PARTY_ROLE_RECIPIENT, pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT})
MAX_INTERVAL_MONTHS = 36
NEW_VALIDITY_DAYS = 365
NEW_FORM_KEY = "nlc_new_agreement_form"

Pair = tuple[str, str]


@dataclass
class TypedTerms:
    """The form's values: each party's role, purpose names, categories per (provider,
    recipient) pair, the validity and the months between reviews."""

    title: str = ""
    roles: dict[str, int] = field(default_factory=dict)
    purposes: list[str] = field(default_factory=list)
    flows: dict[Pair, list[int]] = field(default_factory=dict)
    valid_from: date | None = None
    valid_until: date | None = None
    review_interval_months: int = 12


def new_terms(own: str, today: date) -> TypedTerms:
    """A new agreement's starting values: the caller's organisation as a party, valid a year."""
    roles = {own: pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT} if own else {}
    return TypedTerms(
        roles=roles, valid_from=today, valid_until=today + timedelta(days=NEW_VALIDITY_DAYS)
    )


def typed_from(terms: pb.AgreementTerms) -> TypedTerms:
    """What the form shows for a version's terms (the start of an amendment)."""
    return TypedTerms(
        title=terms.title,
        roles={p.organisation: p.role for p in terms.parties},
        purposes=list(terms.purposes),
        flows={(f.provider, f.recipient): list(f.categories) for f in terms.flows},
        valid_from=date.fromisoformat(terms.valid_from) if terms.valid_from else None,
        valid_until=date.fromisoformat(terms.valid_until) if terms.valid_until else None,
        review_interval_months=terms.review_interval_months or 12,
    )


def terms_from(typed: TypedTerms) -> pb.AgreementTerms:
    """The AgreementTerms the typed values describe; pairs given no category are left out."""
    return pb.AgreementTerms(
        title=typed.title.strip(),
        parties=[pb.Party(organisation=org, role=role) for org, role in typed.roles.items()],
        purposes=typed.purposes,
        flows=[
            pb.DataFlow(provider=provider, recipient=recipient, categories=sorted(categories))
            for (provider, recipient), categories in typed.flows.items()
            if categories
        ],
        valid_from=typed.valid_from.isoformat() if typed.valid_from else "",
        valid_until=typed.valid_until.isoformat() if typed.valid_until else "",
        review_interval_months=typed.review_interval_months,
    )


def possible_pairs(roles: dict[str, int]) -> list[Pair]:
    """Every (provider, recipient) pair the parties' roles allow information to flow along."""
    return [
        (provider, recipient)
        for provider, given in roles.items()
        for recipient, taken in roles.items()
        if provider != recipient and given in PROVIDES and taken in RECEIVES
    ]


def allowed_categories(purposes: Iterable[purposes_pb2.Purpose]) -> list[int]:
    """The data categories at least one of purposes allows, in the enum's order."""
    return sorted({c for p in purposes for c in p.data_categories})


def fields_let_through(
    record_types: Iterable[purposes_pb2.RecordType], categories: Iterable[int]
) -> dict[str, list[str]]:
    """Per record type, the fields whose category is among categories (what a share keeps)."""
    wanted = set(categories)
    found = {
        r.display_name or r.code: [f.name for f in r.fields if f.category in wanted]
        for r in record_types
    }
    return {name: names for name, names in found.items() if names}


def _categories(values: Iterable[int]) -> str:
    return ", ".join(words(purposes_pb2.DataCategory, c) for c in sorted(values)) or "nothing"


def _role(value: int) -> str:
    return words(pb.PartyRole, value).lower()


def _party_changes(before: TypedTerms, after: TypedTerms, name: Callable[[str], str]) -> list[str]:
    added = {o: r for o, r in after.roles.items() if o not in before.roles}
    lines = [f"Party added: {name(o)} ({_role(r)})" for o, r in added.items()]
    lines += [f"Party removed: {name(o)}" for o in before.roles if o not in after.roles]
    lines += [
        f"Role of {name(o)}: {_role(before.roles[o])} → {_role(r)}"
        for o, r in after.roles.items()
        if o in before.roles and before.roles[o] != r
    ]
    return lines


def _flow_changes(before: TypedTerms, after: TypedTerms, name: Callable[[str], str]) -> list[str]:
    lines = []
    for pair in dict.fromkeys([*before.flows, *after.flows]):
        old, new = set(before.flows.get(pair, ())), set(after.flows.get(pair, ()))
        route = f"{name(pair[0])} → {name(pair[1])}"
        if new - old:
            lines.append(f"{route} may now also pass {_categories(new - old)}")
        if old - new:
            lines.append(f"{route} may no longer pass {_categories(old - new)}")
    return lines


def changes(
    before: pb.AgreementTerms, after: pb.AgreementTerms, name: Callable[[str], str]
) -> list[str]:
    """What after changes in before, one line per change; name labels an organisation."""
    old, new = typed_from(before), typed_from(after)
    lines = [f"Title: “{old.title}” → “{new.title}”"] if old.title != new.title else []
    lines += _party_changes(old, new, name)
    lines += [f"Purpose added: {short(p)}" for p in new.purposes if p not in old.purposes]
    lines += [f"Purpose removed: {short(p)}" for p in old.purposes if p not in new.purposes]
    lines += _flow_changes(old, new, name)
    for label, was, now in (
        ("Valid from", old.valid_from, new.valid_from),
        ("Valid until", old.valid_until, new.valid_until),
    ):
        if was != now:
            lines.append(f"{label}: {date_text(was)} → {date_text(now)}")
    if old.review_interval_months != new.review_interval_months:
        months = (old.review_interval_months, new.review_interval_months)
        lines.append("Review every: {} → {} months".format(*months))
    return lines or ["No change to the terms."]


@dataclass(frozen=True)
class Catalogue:
    """What the form offers: organisations (name -> display name), purposes, record types."""

    organisations: dict[str, str]
    purposes: dict[str, purposes_pb2.Purpose]
    record_types: list[purposes_pb2.RecordType]


def parties_part(typed: TypedTerms, start: TypedTerms, key: Any, labels: dict[str, str]) -> None:
    chosen = st.multiselect(
        "Parties",
        list(labels),
        default=list(start.roles),
        format_func=labels.get,
        key=key("parties"),
        help="Every party's data-protection officer signs before the agreement is in force.",
    )
    by_value = {v: k for k, v in ROLES.items()}
    for column, org in zip(st.columns(2) * len(chosen), chosen, strict=False):
        role = start.roles.get(org, pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT)
        typed.roles[org] = column.selectbox(
            f"Role of {labels[org]}",
            list(by_value),
            index=list(by_value).index(role),
            format_func=by_value.get,
            key=key(f"role-{org}"),
        )


def purposes_part(typed: TypedTerms, start: TypedTerms, key: Any, catalogue: Catalogue) -> None:
    known = catalogue.purposes
    typed.purposes = st.multiselect(
        "Purposes",
        list(known),
        default=[p for p in start.purposes if p in known],
        format_func=lambda n: known[n].code,
        key=key("purposes"),
        help="The lawful basis and retention of shares come from the purpose they are made for.",
    )
    if typed.purposes:
        st.dataframe(
            [
                {
                    "Purpose": known[n].code,
                    "Lawful basis": words(purposes_pb2.LawfulBasis, known[n].lawful_basis),
                    "Kept for (days)": known[n].retention_days,
                    "Consent required": "yes" if known[n].consent_required else "no",
                    "Categories allowed": _categories(known[n].data_categories),
                }
                for n in typed.purposes
            ],
            hide_index=True,
        )


def flows_part(typed: TypedTerms, start: TypedTerms, key: Any, catalogue: Catalogue) -> None:
    allowed = allowed_categories(catalogue.purposes[n] for n in typed.purposes)
    st.caption(
        "Choose only the categories each partner needs: a share keeps only the fields of the "
        "categories its route allows, the rest are left out. A route given none carries nothing."
    )
    if not allowed:
        st.info("Choose the purposes first: they set which categories may flow.")
        return
    labels = catalogue.organisations
    version = "-".join(map(str, allowed))
    for provider, recipient in possible_pairs(typed.roles):
        pair = (provider, recipient)
        chosen = st.multiselect(
            f"{labels[provider]} → {labels[recipient]}",
            allowed,
            default=[c for c in start.flows.get(pair, ()) if c in allowed],
            format_func=lambda c: words(purposes_pb2.DataCategory, c),
            key=key(f"flow-{provider}-{recipient}-{version}"),
        )
        typed.flows[pair] = chosen
        kept = fields_let_through(catalogue.record_types, chosen)
        if kept:
            st.caption(
                "Fields let through: "
                + "; ".join(f"{name}: {', '.join(names)}" for name, names in kept.items())
            )


def validity_part(typed: TypedTerms, start: TypedTerms, key: Any, slots: dict[str, Any]) -> None:
    left, middle, right = st.columns(3)
    with left:
        typed.valid_from = st.date_input(
            "Valid from", value=start.valid_from, format="YYYY-MM-DD", key=key("valid_from")
        )
        slots["valid_from"] = st.empty()
    with middle:
        typed.valid_until = st.date_input(
            "Valid until", value=start.valid_until, format="YYYY-MM-DD", key=key("valid_until")
        )
        slots["valid_until"] = st.empty()
    with right:
        typed.review_interval_months = st.number_input(
            "Review every (months)",
            min_value=1,
            max_value=MAX_INTERVAL_MONTHS,
            value=start.review_interval_months,
            step=1,
            key=key("review_interval_months"),
        )
        slots["review_interval_months"] = st.empty()


def terms_widgets(
    key: Any, start: TypedTerms, catalogue: Catalogue, slots: dict[str, Any]
) -> TypedTerms:
    """Every term as typed from start, each with a slot under it for its problems."""
    typed = TypedTerms()
    typed.title = st.text_input("Title", value=start.title, max_chars=200, key=key("title"))
    slots["title"] = st.empty()
    labels = catalogue.organisations | {
        o: o for o in start.roles if o not in catalogue.organisations
    }
    parties_part(typed, start, key, labels)
    slots["parties"] = st.empty()
    purposes_part(typed, start, key, catalogue)
    slots["purposes"] = st.empty()
    st.markdown("**What may flow between the parties**")
    flows_part(typed, start, key, Catalogue(labels, catalogue.purposes, catalogue.record_types))
    slots["flows"] = st.empty()
    validity_part(typed, start, key, slots)
    return typed


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
