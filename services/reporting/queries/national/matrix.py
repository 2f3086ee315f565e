"""The compliance matrix: expected reports of a subtree by cycles, counted per status in SQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.paging import Page, fetch_page
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.read_model import known_jurisdictions, known_organisations
from services.reporting.queries.national.scope import (
    ROOT_KEY,
    Subtree,
    expected_in,
    expected_with_places,
    inline_all,
    load_subtree,
    place_names,
    shown_cycles,
)
from services.reporting.queries.national.status import (
    not_due_yet,
    not_locked_yet,
    status_case,
    status_sql,
)

# The status a place's cell shows when it holds several expected reports: the most pressing.
URGENCY = (
    ComplianceStatus.MISSING,
    ComplianceStatus.LATE,
    ComplianceStatus.RETURNED,
    ComplianceStatus.NOT_YET_DUE,
    ComplianceStatus.SUBMITTED,
    ComplianceStatus.ACCEPTED,
)


class MatrixRows(StrEnum):
    CHILDREN = "children"
    PLACES = "places"


@dataclass(frozen=True)
class MatrixQuery:
    """What the caller asked for; `cycles` are the columns, already chosen."""

    subtree: Subtree
    cycles: list[str]
    today: date
    rows: MatrixRows = MatrixRows.CHILDREN
    kind: str | None = None


@dataclass(frozen=True)
class Cell:
    """Counts per status; for place rows also the cell's status and the report shown."""

    cycle: str
    counts: dict[ComplianceStatus, int] = field(default_factory=dict)
    status: ComplianceStatus | None = None
    report_id: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    jurisdiction_id: str
    display_name: str
    cells: list[Cell]
    organisation_id: str | None = None
    place_name: str = ""


@dataclass(frozen=True)
class Matrix:
    cycles: list[str]
    rows: list[MatrixRow]
    totals: dict[ComplianceStatus, int]
    next_page_token: str = ""


def _visible(q: MatrixQuery, actor: Principal) -> list[Any]:
    """Filters of the expected reports the caller sees in the shown cycles of the subtree."""
    cycles = expected_reports.c.cycle_code.in_(inline_all(q.cycles))
    return [cycles, *expected_in(q.subtree, actor, q.kind)]


def _counts(q: MatrixQuery, actor: Principal, *keys: Any) -> Select[Any]:
    """(keys..., status, count) of the visible expected reports.

    Groups on the report state and the day's two flags first, then classifies the groups."""
    e = expected_reports
    flags = (
        e.c.report_state,
        not_due_yet(e.c.due_on, q.today).label("not_due"),
        not_locked_yet(e.c.lock_on, q.today).label("not_locked"),
    )
    inner = (
        select(*keys, *flags, func.count().label("n"))
        .select_from(expected_with_places())
        .where(*_visible(q, actor))
        .group_by(*keys, *flags)
        .subquery()
    )
    status = status_case(inner.c.report_state, inner.c.not_due, inner.c.not_locked).label("status")
    outer_keys = [inner.c[k.name] for k in keys]
    return select(*outer_keys, status, func.sum(inner.c.n)).group_by(*outer_keys, status)


async def _totals(session: AsyncSession, q: MatrixQuery, actor: Principal) -> Counter:
    rows = await session.execute(_counts(q, actor))
    return Counter({ComplianceStatus(s): int(n) for s, n in rows})


async def children_matrix(session: AsyncSession, q: MatrixQuery, actor: Principal) -> Matrix:
    """One row per direct child counting its whole subtree, plus the root's own reports."""
    child = q.subtree.child_key(known_jurisdictions.c.path).label("child")
    grouped = await session.execute(
        _counts(q, actor, child, expected_reports.c.cycle_code.label("cycle_code"))
    )
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    totals: Counter = Counter()
    for key, cycle, status, n in grouped:
        counts[key][cycle][ComplianceStatus(status)] += int(n)
        totals[ComplianceStatus(status)] += int(n)
    names = await place_names(session, (k for k in counts if k != ROOT_KEY))
    names[ROOT_KEY] = q.subtree.display_name
    order = sorted(counts, key=lambda k: (k != ROOT_KEY, names.get(k, ""), k))
    rows = [
        MatrixRow(
            q.subtree.id if key == ROOT_KEY else key,
            names.get(key, ""),
            [Cell(cycle, dict(counts[key][cycle])) for cycle in q.cycles],
        )
        for key in order
    ]
    return Matrix(q.cycles, rows, dict(totals))


def places_query(q: MatrixQuery, actor: Principal) -> Select[Any]:
    """(organisation, place) pairs with expected reports in the shown cycles, by name."""
    e, j, o = expected_reports, known_jurisdictions, known_organisations
    name = func.coalesce(o.c.display_name, j.c.display_name)
    return (
        select(
            e.c.organisation_id,
            e.c.jurisdiction_id,
            name.label("display_name"),
            j.c.display_name.label("place_name"),
        )
        .select_from(expected_with_places().outerjoin(o, o.c.id == e.c.organisation_id))
        .where(*_visible(q, actor))
        .group_by(e.c.organisation_id, e.c.jurisdiction_id, o.c.display_name, j.c.display_name)
        .order_by(name, e.c.organisation_id, e.c.jurisdiction_id)
    )


def _cell(cycle: str, found: list[tuple[ComplianceStatus, str | None]]) -> Cell:
    if not found:
        return Cell(cycle)
    status, report_id = min(found, key=lambda f: URGENCY.index(f[0]))
    return Cell(cycle, dict(Counter(s for s, _ in found)), status, report_id)


async def place_rows(
    session: AsyncSession, q: MatrixQuery, actor: Principal, pairs: list[Any]
) -> list[MatrixRow]:
    """The rows of the given (organisation, place) pairs, one status per cycle."""
    e = expected_reports
    if not pairs:
        return []
    status = status_sql(e.c.report_state, e.c.due_on, e.c.lock_on, q.today).label("status")
    found = await session.execute(
        select(e.c.organisation_id, e.c.jurisdiction_id, e.c.cycle_code, e.c.report_id, status)
        .select_from(expected_with_places())
        .where(
            *_visible(q, actor),
            e.c.organisation_id.in_(sorted({p.organisation_id for p in pairs})),
            e.c.jurisdiction_id.in_(sorted({p.jurisdiction_id for p in pairs})),
        )
    )
    cells: dict[tuple[str, str, str], list] = defaultdict(list)
    for r in found:
        key = (r.organisation_id, r.jurisdiction_id, r.cycle_code)
        cells[key].append((ComplianceStatus(r.status), r.report_id))
    return [
        MatrixRow(
            p.jurisdiction_id,
            p.display_name,
            [_cell(c, cells[(p.organisation_id, p.jurisdiction_id, c)]) for c in q.cycles],
            p.organisation_id,
            p.place_name,
        )
        for p in pairs
    ]


async def places_matrix(
    session: AsyncSession, q: MatrixQuery, actor: Principal, *, page_size: int, token: str
) -> Matrix:
    """One row per reporting organisation and place, a page at a time; totals over all."""
    fingerprint = {
        "view": "matrix",
        "jurisdiction": q.subtree.id,
        "cycles": q.cycles,
        "kind": q.kind,
        "sub": actor.sub,
    }
    page: Page[Any] = await fetch_page(
        session,
        places_query(q, actor),
        lambda r: r,
        fingerprint,
        requested_size=page_size,
        token=token,
    )
    rows = await place_rows(session, q, actor, page.items)
    totals = await _totals(session, q, actor)
    return Matrix(q.cycles, rows, dict(totals), page.next_page_token)


async def all_place_rows(
    session: AsyncSession, q: MatrixQuery, actor: Principal
) -> list[MatrixRow]:
    """Every place row of the matrix, for an export."""
    pairs = list(await session.execute(places_query(q, actor)))
    rows: list[MatrixRow] = []
    for start in range(0, len(pairs), 500):
        rows.extend(await place_rows(session, q, actor, pairs[start : start + 500]))
    return rows


async def matrix_query(
    session: AsyncSession,
    actor: Principal,
    today: date,
    *,
    jurisdiction_id: str,
    cycles: list[str],
    last_cycles: int,
    rows: MatrixRows,
    kind: str | None,
) -> MatrixQuery:
    """The matrix asked for: its jurisdiction (NotFound if unknown) and its columns."""
    subtree = await load_subtree(session, jurisdiction_id)
    shown = await shown_cycles(
        session, subtree, actor, today, asked=cycles, last=last_cycles, kind=kind
    )
    return MatrixQuery(subtree, shown, today, rows, kind)


async def compliance_matrix(
    session: AsyncSession, q: MatrixQuery, actor: Principal, *, page_size: int = 0, token: str = ""
) -> Matrix:
    """The matrix with child rows, or a page of place rows."""
    if q.rows == MatrixRows.PLACES:
        return await places_matrix(session, q, actor, page_size=page_size, token=token)
    return await children_matrix(session, q, actor)
