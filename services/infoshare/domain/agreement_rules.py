"""What agreement terms must be: two or more distinct parties, known purposes, flows only from
a party that provides to one that receives, categories the purposes allow, a sane validity."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.common.errors import ViolationCollector
from services.common.text import text_problem
from services.infoshare.domain.agreements import AgreementTerms, DataFlow
from services.infoshare.domain.purposes import Purpose

MAX_TITLE = 200
MAX_PARTIES = 20
MAX_PURPOSES = 20
MAX_FLOWS = 100
MAX_INTERVAL_MONTHS = 36


def _parties(terms: AgreementTerms, field: str, e: ViolationCollector) -> None:
    if len(terms.parties) < 2:
        e.add(f"{field}.parties", "name at least two parties")
    elif len(terms.parties) > MAX_PARTIES:
        e.add(f"{field}.parties", f"name at most {MAX_PARTIES} parties")
    first: dict[str, int] = {}
    for i, party in enumerate(terms.parties):
        if party.organisation_id in first:
            other = first[party.organisation_id]
            e.add(f"{field}.parties[{i}].organisation", f"is already party {other}")
        first.setdefault(party.organisation_id, i)


def _purposes(
    terms: AgreementTerms, known: Mapping[str, Purpose], field: str, e: ViolationCollector
) -> None:
    if not terms.purposes:
        e.add(f"{field}.purposes", "name at least one purpose")
    elif len(terms.purposes) > MAX_PURPOSES:
        e.add(f"{field}.purposes", f"name at most {MAX_PURPOSES} purposes")
    seen: set[str] = set()
    for i, code in enumerate(terms.purposes):
        if code in seen:
            e.add(f"{field}.purposes[{i}]", "is listed twice")
        elif code not in known:
            e.add(f"{field}.purposes[{i}]", "is not a known purpose")
        seen.add(code)


def _flow(
    terms: AgreementTerms, flow: DataFlow, allowed: frozenset[str], path: str, e: ViolationCollector
) -> None:
    provider = terms.party(flow.provider_id)
    recipient = terms.party(flow.recipient_id)
    if provider is None:
        e.add(f"{path}.provider", "is not a party to the agreement")
    elif not provider.role.provides:
        e.add(f"{path}.provider", "is a recipient only: it cannot provide information")
    if recipient is None:
        e.add(f"{path}.recipient", "is not a party to the agreement")
    elif not recipient.role.receives:
        e.add(f"{path}.recipient", "is a provider only: it cannot receive information")
    elif flow.recipient_id == flow.provider_id:
        e.add(f"{path}.recipient", "must not be the provider")
    if not flow.categories:
        e.add(f"{path}.categories", "name at least one data category")
    outside = sorted(c.value for c in flow.categories if c.value not in allowed)
    if outside:
        listed = ", ".join(outside)
        e.add(f"{path}.categories", f"no purpose of the agreement allows {listed}")


def _flows(
    terms: AgreementTerms, known: Mapping[str, Purpose], field: str, e: ViolationCollector
) -> None:
    if not terms.flows:
        e.add(f"{field}.flows", "name at least one flow of information between the parties")
    elif len(terms.flows) > MAX_FLOWS:
        e.add(f"{field}.flows", f"name at most {MAX_FLOWS} flows")
    allowed = frozenset(
        c.value for code in terms.purposes if code in known for c in known[code].categories
    )
    first: dict[tuple[str, str], int] = {}
    for i, flow in enumerate(terms.flows):
        pair = (flow.provider_id, flow.recipient_id)
        if pair in first:
            e.add(f"{field}.flows[{i}]", f"repeats flows[{first[pair]}]: merge their categories")
        first.setdefault(pair, i)
        _flow(terms, flow, allowed, f"{field}.flows[{i}]", e)


def _validity(terms: AgreementTerms, today: date, field: str, e: ViolationCollector) -> None:
    if terms.valid_until < terms.valid_from:
        e.add(f"{field}.valid_until", "must not be before valid_from")
    elif terms.valid_until < today:
        e.add(f"{field}.valid_until", "is in the past")
    if not 1 <= terms.review_interval_months <= MAX_INTERVAL_MONTHS:
        e.add(f"{field}.review_interval_months", f"must be from 1 to {MAX_INTERVAL_MONTHS} months")


def check_terms(
    terms: AgreementTerms, known: Mapping[str, Purpose], today: date, field: str = "terms"
) -> None:
    """InvalidArgument with one violation per problem; known holds the purposes that exist."""
    e = ViolationCollector()
    problem = text_problem(terms.title, MAX_TITLE)
    if not terms.title.strip():
        e.add(f"{field}.title", "is required")
    elif problem:
        e.add(f"{field}.title", problem)
    _parties(terms, field, e)
    _purposes(terms, known, field, e)
    _flows(terms, known, field, e)
    _validity(terms, today, field, e)
    e.raise_invalid("the agreement terms are not valid")
