"""Where a national view looks: a jurisdiction's subtree, its direct children, the caller's
reviewing scope, and the cycles shown when none are asked for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, literal, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from services.common.auth import Principal
from services.common.errors import NotFound
from services.reporting.domain.access import reviewing_scope
from services.reporting.domain.obligations import ObligationKind
from services.reporting.orm.obligations import expected_reports, reporting_cycles
from services.reporting.orm.read_model import known_jurisdictions

DEFAULT_LAST_CYCLES = 6
ROOT_KEY = ""
LIKE_ESCAPE = "!"


def inline(value: Any, type_: Any = String) -> Any:
    """A value written into the statement when it runs (quoted by the dialect), so PostgreSQL
    plans a national query for the actual subtree, cycles and day: a generic plan of the
    parameterised query is several times slower for a whole country."""
    return literal(value, type_, literal_execute=True)


def inline_all(values: Iterable[Any]) -> list[Any]:
    return [inline(v) for v in values]


def _like_prefix(text: str) -> str:
    escaped = "".join(LIKE_ESCAPE + ch if ch in ("%", "_", LIKE_ESCAPE) else ch for ch in text)
    return escaped + "%"


@dataclass(frozen=True)
class Subtree:
    """The chosen jurisdiction: its id, code, name and materialised path ("/root/.../id/")."""

    id: str
    code: str
    display_name: str
    path: str

    def contains(self, path: ColumnElement[str]) -> ColumnElement[bool]:
        """Places whose path lies in this subtree, the jurisdiction itself included."""
        return path.like(inline(_like_prefix(self.path)), escape=LIKE_ESCAPE)

    def child_key(self, path: ColumnElement[str]) -> ColumnElement[str]:
        """The id of the direct child holding a place of the subtree; ROOT_KEY for the root."""
        return _FirstSegment(path, literal_column(str(len(self.path) + 1), Integer))


class _FirstSegment(FunctionElement[str]):
    """first_segment(path, start): the text of path from a 1-based start up to the next "/"."""

    type = String()
    inherit_cache = True
    name = "first_segment"


def _arguments(element: _FirstSegment, compiler: Any, **kw: Any) -> tuple[str, str]:
    path, start = (compiler.process(c, **kw) for c in element.clauses)
    return path, start


@compiles(_FirstSegment, "postgresql")
def _first_segment_pg(element: _FirstSegment, compiler: Any, **kw: Any) -> str:
    path, start = _arguments(element, compiler, **kw)
    return f"split_part(substr({path}, {start}), '/', 1)"


@compiles(_FirstSegment)
def _first_segment(element: _FirstSegment, compiler: Any, **kw: Any) -> str:
    path, start = _arguments(element, compiler, **kw)
    rest = f"substr({path}, {start})"
    return f"substr({rest}, 1, instr({rest} || '/', '/') - 1)"


async def load_subtree(session: AsyncSession, jurisdiction_id: str) -> Subtree:
    """The jurisdiction the view is about; NotFound when the read model does not know it."""
    j = known_jurisdictions
    row = (
        await session.execute(
            select(j.c.id, j.c.code, j.c.display_name, j.c.path).where(j.c.id == jurisdiction_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"jurisdiction {jurisdiction_id} not found")
    return Subtree(row.id, row.code, row.display_name, row.path)


def reviewed_by(column: ColumnElement[str], actor: Principal) -> list[ColumnElement[bool]]:
    """Rows the caller reviews: a national reviewer its body's, administrators every row."""
    scope = reviewing_scope(actor)
    return [] if scope is None else [column == inline(scope)]


def expected_in(subtree: Subtree, actor: Principal, kind: str | None) -> list[ColumnElement[bool]]:
    """Filters of expected reports (joined to their place) a caller sees in a subtree."""
    e = expected_reports
    kinds = [] if kind is None else [e.c.kind == inline(kind)]
    if reviewing_scope(actor) is not None:
        kinds.append(e.c.kind == inline(ObligationKind.ACTION_PLAN.value))  # grants: managers'
    return [
        subtree.contains(known_jurisdictions.c.path),
        *reviewed_by(e.c.reviewing_org_id, actor),
        *kinds,
    ]


def expected_with_places() -> Any:
    """expected_reports joined to the place each is expected from."""
    return expected_reports.join(
        known_jurisdictions, known_jurisdictions.c.id == expected_reports.c.jurisdiction_id
    )


async def recent_cycles(
    session: AsyncSession,
    subtree: Subtree,
    actor: Principal,
    today: date,
    *,
    kind: str | None = None,
    last: int = DEFAULT_LAST_CYCLES,
) -> list[str]:
    """The last `last` cycles whose period has begun by today and in which the caller sees an
    expected report of the subtree, oldest first."""
    c, e = reporting_cycles, expected_reports
    # One probe per cycle, walking ix_expected_reports_cycle_state from the cycle's first row.
    probe = (
        select(literal_column("1"))
        .select_from(expected_with_places())
        .where(e.c.cycle_code == c.c.code, *expected_in(subtree, actor, kind))
        .order_by(e.c.cycle_code, e.c.report_state)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(c.c.code)
        .where(c.c.period_start <= inline(today, Date), probe.is_not(None))
        .order_by(c.c.period_start.desc(), c.c.period_end.desc(), c.c.code.desc())
        .limit(last)
    )
    codes = list((await session.execute(query)).scalars())
    return codes[::-1]


async def place_names(session: AsyncSession, ids: Iterable[str]) -> dict[str, str]:
    """Display names of the places with the given ids."""
    j = known_jurisdictions
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(select(j.c.id, j.c.display_name).where(j.c.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}


async def shown_cycles(
    session: AsyncSession,
    subtree: Subtree,
    actor: Principal,
    today: date,
    *,
    asked: list[str],
    last: int = DEFAULT_LAST_CYCLES,
    kind: str | None = None,
) -> list[str]:
    """The cycles asked for, else the `last` (6 when 0) recent cycles (see recent_cycles)."""
    if asked:
        return asked
    last = last or DEFAULT_LAST_CYCLES
    return await recent_cycles(session, subtree, actor, today, kind=kind, last=last)
