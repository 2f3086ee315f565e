"""Requests for national support in a subtree: grouped by kind and child place, and listed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.money import Money
from services.common.paging import Page, fetch_page
from services.reporting.domain.reports import SupportKind, SupportRequest
from services.reporting.orm.read_model import known_jurisdictions
from services.reporting.orm.reports import support_requests
from services.reporting.queries.national.scope import (
    ROOT_KEY,
    Subtree,
    inline_all,
    place_names,
    reviewed_by,
)


@dataclass(frozen=True)
class SupportFilter:
    subtree: Subtree
    cycles: list[str] = field(default_factory=list)
    kinds: list[SupportKind] = field(default_factory=list)


@dataclass(frozen=True)
class SupportGroup:
    """Requests of one kind from one child place (or the chosen jurisdiction itself)."""

    kind: SupportKind
    jurisdiction_id: str
    display_name: str
    count: int
    amounts: list[Money]


@dataclass(frozen=True)
class SupportItem:
    report_id: str
    organisation_id: str
    jurisdiction_id: str
    place_name: str
    cycle_code: str
    request: SupportRequest


def _where(f: SupportFilter, actor: Principal) -> list[Any]:
    s = support_requests
    clauses = [
        f.subtree.contains(known_jurisdictions.c.path),
        *reviewed_by(s.c.reviewing_org_id, actor),
    ]
    if f.cycles:
        clauses.append(s.c.cycle_code.in_(inline_all(f.cycles)))
    if f.kinds:
        clauses.append(s.c.kind.in_(inline_all(str(k) for k in f.kinds)))
    return clauses


def _with_places() -> Any:
    s, j = support_requests, known_jurisdictions
    return s.join(j, j.c.id == s.c.jurisdiction_id)


async def support_groups(
    session: AsyncSession, f: SupportFilter, actor: Principal
) -> list[SupportGroup]:
    """Count and funding asked per currency, by kind and child place; kinds in enum order."""
    s = support_requests
    child = f.subtree.child_key(known_jurisdictions.c.path).label("child")
    query = (
        select(s.c.kind, child, s.c.currency_code, func.count(), func.sum(s.c.amount))
        .select_from(_with_places())
        .where(*_where(f, actor))
        .group_by(s.c.kind, child, s.c.currency_code)
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    amounts: dict[tuple[str, str], list[Money]] = defaultdict(list)
    for kind, key, currency, n, total in await session.execute(query):
        counts[(kind, key)] += n
        if currency and total is not None:
            amounts[(kind, key)].append(Money(currency, int(total)))
    names = await place_names(session, (key for _, key in counts if key != ROOT_KEY))
    names[ROOT_KEY] = f.subtree.display_name
    kinds = list(SupportKind)
    order = sorted(
        counts,
        key=lambda k: (kinds.index(SupportKind(k[0])), k[1] != ROOT_KEY, names.get(k[1], ""), k[1]),
    )
    return [
        SupportGroup(
            SupportKind(kind),
            f.subtree.id if key == ROOT_KEY else key,
            names.get(key, ""),
            counts[(kind, key)],
            sorted(amounts[(kind, key)]),
        )
        for kind, key in order
    ]


def support_items_query(f: SupportFilter, actor: Principal) -> Select[Any]:
    """The visible requests, newest cycle first, then by place."""
    s, j = support_requests, known_jurisdictions
    return (
        select(s, j.c.display_name.label("place_name"))
        .select_from(_with_places())
        .where(*_where(f, actor))
        .order_by(s.c.cycle_code.desc(), j.c.display_name, s.c.id)
    )


def support_item(row: Any) -> SupportItem:
    amount = (
        Money(row.currency_code, row.amount)
        if row.currency_code and row.amount is not None
        else None
    )
    return SupportItem(
        row.report_id,
        row.organisation_id,
        row.jurisdiction_id,
        row.place_name,
        row.cycle_code,
        SupportRequest(row.id, SupportKind(row.kind), row.description, amount),
    )


async def support_items(
    session: AsyncSession, f: SupportFilter, actor: Principal, *, page_size: int, token: str
) -> Page[SupportItem]:
    """One page of the visible requests."""
    fingerprint = {
        "view": "support",
        "jurisdiction": f.subtree.id,
        "cycles": f.cycles,
        "kinds": [str(k) for k in f.kinds],
        "sub": actor.sub,
    }
    return await fetch_page(
        session, support_items_query(f, actor), support_item, fingerprint,
        requested_size=page_size, token=token,
    )  # fmt: skip
