"""The inputs of the agreement form: title, parties and their roles, purposes, the categories
each route may carry, and the validity; with the catalogue of what they offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import infoshare_pb2, purposes_pb2
from ui.agreement_changes import categories_text
from ui.agreement_terms import TypedTerms, allowed_categories, fields_let_through, possible_pairs
from ui.client import PAGE_SIZE, services
from ui.display import choices, fetch, registry_organisations, words
from ui.paging import show_cut

ROLES = choices(pb.PartyRole)
MAX_INTERVAL_MONTHS = 36


@dataclass(frozen=True)
class Catalogue:
    """What the form offers: organisations (name -> display name), purposes, record types."""

    organisations: dict[str, str]
    purposes: dict[str, purposes_pb2.Purpose]
    record_types: list[purposes_pb2.RecordType]


def load_catalogue() -> Catalogue:
    """Registry organisations, purposes and record types the form offers."""
    infoshare = services().infoshare
    purposes = fetch(
        infoshare.ListPurposes,
        infoshare_pb2.ListPurposesRequest(page_size=PAGE_SIZE),
        "Loading purposes…",
    )
    show_cut(purposes, "purposes", "the others cannot be chosen here")
    record_types = fetch(
        infoshare.ListRecordTypes, infoshare_pb2.ListRecordTypesRequest(), "Loading record types…"
    ).record_types
    return Catalogue(
        registry_organisations(), {p.name: p for p in purposes.purposes}, list(record_types)
    )


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
                    "Categories allowed": categories_text(known[n].data_categories),
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
