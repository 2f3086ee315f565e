"""What changed between two versions of an agreement's terms, in words."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import purposes_pb2
from ui.agreement_terms import TypedTerms, typed_from
from ui.display import short, words
from ui.formatting import date_text


def categories_text(values: Iterable[int]) -> str:
    """Data categories in words, in the enum's order: 'Aggregate statistics, Opinion'."""
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
            lines.append(f"{route} may now also pass {categories_text(new - old)}")
        if old - new:
            lines.append(f"{route} may no longer pass {categories_text(old - new)}")
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
