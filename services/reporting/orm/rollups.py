"""Indicator values of submitted reports and their roll-ups over the place tree, per reviewing body.

Each value is added to the `indicator_rollups` row of its reviewing body at every ancestor of its
place (the place itself included; ancestors are the ids in known_jurisdictions.path) in the
transaction that writes it, and subtracted again when it is removed, so the national view reads a
handful of rows. The body is the report's reviewing_org_id at submission, stored on the value row;
removal subtracts what the stored rows name, so the sums stay exact if the report's reviewer
changes while it is submitted, and a resubmission counts under the reviewer of that moment.
`rebuild_rollups` recomputes every roll-up from the values (after the tree changes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting.orm.read_model import known_jurisdictions
from services.reporting.orm.reports import indicator_rollups, indicator_values

KEY = ("jurisdiction_id", "cycle_code", "standard_code", "reviewing_org_id")
BATCH = 1000

# Scratch table of (place, ancestor) pairs used by rebuild_rollups, dropped after use.
_ANCESTORS = Table(
    "tmp_rollup_ancestors",
    MetaData(),
    Column("jurisdiction_id", String(36), nullable=False),
    Column("ancestor_id", String(36), nullable=False),
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator_values row: a report's value of an indicator linked to a standard one."""

    report_id: str
    indicator_code: str
    standard_code: str
    cycle_code: str
    jurisdiction_id: str
    reviewing_org_id: str
    aggregation: str
    direction: str
    value: float
    target: float
    baseline: float


def ancestors_in(path: str) -> list[str]:
    """The ids in a path "/root/region/place/", root first."""
    return [part for part in path.split("/") if part]


async def _ancestors(session: AsyncSession, places: set[str]) -> dict[str, list[str]]:
    """Each place's ancestors (itself included); an unknown place is its only ancestor."""
    j = known_jurisdictions
    rows = await session.execute(select(j.c.id, j.c.path).where(j.c.id.in_(sorted(places))))
    found = {row.id: ancestors_in(row.path) or [row.id] for row in rows}
    return {p: found.get(p, [p]) for p in places}


def _upsert(session: AsyncSession) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(indicator_rollups)


async def _add_to_rollups(session: AsyncSession, values: Sequence[Any], sign: int) -> None:
    """Add (sign=1) or subtract (sign=-1) values to the roll-ups of their reviewing body at every
    ancestor of their place."""
    if not values:
        return
    ancestry = await _ancestors(session, {v.jurisdiction_id for v in values})
    deltas: dict[tuple[str, ...], dict[str, Any]] = {}
    sums: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for v in values:
        for ancestor in ancestry[v.jurisdiction_id]:
            key = (ancestor, v.cycle_code, v.standard_code, v.reviewing_org_id)
            deltas.setdefault(key, {"aggregation": v.aggregation, "direction": v.direction})
            total = sums[key]
            total[0] += sign * v.value
            total[1] += sign * v.target
            total[2] += sign * v.baseline
            total[3] += sign
    rows = [
        {**dict(zip(KEY, key, strict=True)), **deltas[key], "sum_value": s[0],
         "sum_target": s[1], "sum_baseline": s[2], "places": s[3]}
        for key, s in sorted(sums.items())  # one lock order, so concurrent writers never deadlock
    ]  # fmt: skip
    r = indicator_rollups
    for start in range(0, len(rows), BATCH):
        statement = _upsert(session).values(rows[start : start + BATCH])
        new = statement.excluded
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY),
                set_={
                    "sum_value": r.c.sum_value + new.sum_value,
                    "sum_target": r.c.sum_target + new.sum_target,
                    "sum_baseline": r.c.sum_baseline + new.sum_baseline,
                    "places": r.c.places + new.places,
                },
            )
        )
    if sign < 0:
        await session.execute(delete(r).where(r.c.places <= 0))


async def remove_values(session: AsyncSession, report_ids: Iterable[str]) -> int:
    """Delete the values of these reports and subtract them from the roll-ups; returns how many."""
    ids = sorted(set(report_ids))
    if not ids:
        return 0
    v = indicator_values
    rows = list(await session.execute(select(v).where(v.c.report_id.in_(ids))))
    await _add_to_rollups(session, rows, -1)
    await session.execute(delete(v).where(v.c.report_id.in_(ids)))
    return len(rows)


async def move_values(
    session: AsyncSession, report_ids: Iterable[str], reviewing_org_id: str
) -> None:
    """Count these reports' values under another reviewing body from now on."""
    v = indicator_values
    query = select(v).where(v.c.report_id.in_(sorted(set(report_ids))))
    moved = [
        IndicatorValue(**{**row._asdict(), "reviewing_org_id": reviewing_org_id})
        for row in await session.execute(query)
    ]
    await apply_values(session, moved)


async def apply_values(session: AsyncSession, values: Sequence[IndicatorValue]) -> None:
    """Write values, replacing earlier values of the same reports, and add them to the roll-ups."""
    await remove_values(session, {v.report_id for v in values})
    rows = [asdict(v) for v in values]
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(indicator_values), rows[start : start + BATCH])
    await _add_to_rollups(session, values, 1)


async def _fill_ancestors(session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.run_sync(lambda c: _ANCESTORS.drop(c, checkfirst=True))
    await connection.run_sync(lambda c: _ANCESTORS.create(c))
    j = known_jurisdictions
    pairs = [
        {"jurisdiction_id": row.id, "ancestor_id": ancestor}
        for row in await session.execute(select(j.c.id, j.c.path))
        for ancestor in ancestors_in(row.path) or [row.id]
    ]
    for start in range(0, len(pairs), BATCH):
        await session.execute(insert(_ANCESTORS), pairs[start : start + BATCH])


def _sums(place: Any) -> list[Any]:
    v = indicator_values
    return [
        place,
        v.c.cycle_code,
        v.c.standard_code,
        v.c.reviewing_org_id,
        func.min(v.c.aggregation),
        func.min(v.c.direction),
        func.sum(v.c.value),
        func.sum(v.c.target),
        func.sum(v.c.baseline),
        func.count(literal_column("*")),
    ]


async def rebuild_rollups(session: AsyncSession) -> None:
    """Recompute every roll-up from indicator_values, set-based (e.g. after the tree changed)."""
    v, a, r = indicator_values, _ANCESTORS, indicator_rollups
    columns = [
        *KEY,
        "aggregation",
        "direction",
        "sum_value",
        "sum_target",
        "sum_baseline",
        "places",
    ]
    await session.execute(delete(r))
    await _fill_ancestors(session)
    known = (
        select(*_sums(a.c.ancestor_id))
        .select_from(v.join(a, a.c.jurisdiction_id == v.c.jurisdiction_id))
        .group_by(a.c.ancestor_id, v.c.cycle_code, v.c.standard_code, v.c.reviewing_org_id)
    )
    unknown = (
        select(*_sums(v.c.jurisdiction_id))
        .where(~v.c.jurisdiction_id.in_(select(known_jurisdictions.c.id)))
        .group_by(v.c.jurisdiction_id, v.c.cycle_code, v.c.standard_code, v.c.reviewing_org_id)
    )
    await session.execute(insert(r).from_select(columns, known))
    await session.execute(insert(r).from_select(columns, unknown))
    connection = await session.connection()
    await connection.run_sync(lambda c: _ANCESTORS.drop(c))
