"""Awards as 360Giving grants: co-funders, per-funder transactions, exact amounts, withheld names.

Choices the schema leaves open (see README.md beside this module):
- identifiers: grants `360G-nlc-<award id>`, organisations `360G-nlc-org-<organisation id>`;
- a withheld grantee becomes `{"id": "360G-nlc-withheld-<award id>", "name": "Withheld
  recipient"}` (a new id per grant, so withheld grants cannot be linked to each other), and the
  title and description come from the call rather than the application;
- per-funder money: one `commitmentTransaction` per funder share and one
  `disbursementTransaction` per funder share of each released tranche, each with `provider`;
- regrantType: FRG040 (funder collaboration) when the call has several funders, otherwise FRG030
  (match funding) when the application brings match; the field holds one code;
- dates are full UTC date-times: the schema's `oneOf` accepts a plain date only where formats
  are checked, a date-time everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.common.currencies import to_decimal
from services.common.money import Money
from services.grants.domain.awards import Award
from services.grants.domain.tranches import TrancheState

PREFIX = "360G-nlc-"
WITHHELD_NAME = "Withheld recipient"
MAX_TITLE = 140
MATCH_FUNDING = "FRG030"
FUNDER_COLLABORATION = "FRG040"


@dataclass(frozen=True)
class Org:
    """An organisation as open data names it."""

    id: str
    name: str


@dataclass(frozen=True)
class GrantRecord:
    """An award with what the export needs from its call and application."""

    award: Award
    call_title: str
    title: str
    summary: str
    grantee: Org
    funders: tuple[Org, ...]
    has_match: bool


def org_identifier(org_id: str) -> str:
    return f"{PREFIX}org-{org_id}"


def _date(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _value(currency: str, minor_units: int) -> Decimal:
    return to_decimal(Money(currency, minor_units))


def regrant_type(funder_count: int, has_match: bool) -> str | None:
    """FRG040 for a pooled call with several funders, else FRG030 when match funding is brought."""
    if funder_count > 1:
        return FUNDER_COLLABORATION
    return MATCH_FUNDING if has_match else None


def _recipient(r: GrantRecord) -> dict[str, str]:
    if r.award.withhold_grantee_name:
        return {"id": f"{PREFIX}withheld-{r.award.id}", "name": WITHHELD_NAME}
    return {"id": org_identifier(r.grantee.id), "name": r.grantee.name}


def _texts(r: GrantRecord) -> tuple[str, str]:
    if r.award.withhold_grantee_name:
        text = f"A grant under {r.call_title}; the recipient is withheld to keep them safe."
        return f"Grant under {r.call_title}"[:MAX_TITLE], text
    title = (r.title or f"Grant under {r.call_title}")[:MAX_TITLE]
    return title, r.summary or r.title or title


def _transaction(
    tx_id: str, when: datetime, currency: str, units: int, provider: str, recipient: str, what: str
) -> dict[str, Any]:
    return {
        "id": tx_id,
        "transactionDate": _date(when),
        "currency": currency,
        "value": _value(currency, units),
        "provider": provider,
        "recipient": recipient,
        "description": what,
    }


def _transactions(r: GrantRecord, recipient: str) -> tuple[list[dict], list[dict]]:
    a, names = r.award, {f.id: f.name for f in r.funders}
    commitments = [
        _transaction(
            f"{PREFIX}{a.id}-commitment-{n}",
            a.award_time,
            a.currency,
            units,
            org_identifier(funder),
            recipient,
            f"Commitment by {names.get(funder, funder)}",
        )
        for n, (funder, units) in enumerate(a.funder_shares.items(), 1)
        if units > 0
    ]
    disbursements = [
        _transaction(
            f"{PREFIX}{a.id}-{t.code}-{n}",
            t.release_time,
            a.currency,
            units,
            org_identifier(funder),
            recipient,
            f"Tranche {t.code} from {names.get(funder, funder)}",
        )
        for t in a.tranches
        if t.state == TrancheState.RELEASED and t.release_time is not None
        for n, (funder, units) in enumerate(t.funder_shares.items(), 1)
        if units > 0
    ]
    return commitments, disbursements


def to_grant(r: GrantRecord) -> dict[str, Any]:
    """One 360Giving grant for an award."""
    a = r.award
    title, description = _texts(r)
    recipient = _recipient(r)
    commitments, disbursements = _transactions(r, recipient["id"])
    released = sum(t.amount for t in a.tranches if t.state == TrancheState.RELEASED)
    grant: dict[str, Any] = {
        "id": f"{PREFIX}{a.id}",
        "title": title,
        "description": description,
        "currency": a.currency,
        "amountAwarded": _value(a.currency, a.amount),
        "amountDisbursed": _value(a.currency, released),
        "awardDate": _date(a.award_time),
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": org_identifier(f.id), "name": f.name} for f in r.funders],
        "grantProgramme": [{"code": f"{PREFIX}call-{a.call_id}", "title": r.call_title}],
        "fromOpenCall": "Yes",
        "commitmentTransaction": commitments,
        "disbursementTransaction": disbursements,
    }
    code = regrant_type(len(r.funders), r.has_match)
    if code is not None:
        grant["regrantType"] = code
    return grant


def to_package(records: Iterable[GrantRecord]) -> dict[str, Any]:
    """A 360Giving package: {"grants": [...]}."""
    return {"grants": [to_grant(r) for r in records]}


def dumps(value: Any) -> str:
    """JSON text in which Decimals are written as exact numbers (never through float)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
