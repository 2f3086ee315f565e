"""An agreement's terms as the form holds them: the values typed, the AgreementTerms they make and
back, the routes the parties' roles allow and the fields a route lets through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2

PROVIDES = frozenset({pb.PARTY_ROLE_PROVIDER, pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT})
RECEIVES = frozenset({pb.PARTY_ROLE_RECIPIENT, pb.PARTY_ROLE_PROVIDER_AND_RECIPIENT})
NEW_VALIDITY_DAYS = 365

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
