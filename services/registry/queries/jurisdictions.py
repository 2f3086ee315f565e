"""Jurisdiction reads: one unit, lists, subtrees, ancestors and lineage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.errors import found
from services.common.paging import Page, fetch_page
from services.common.versioned import Versioned, versioned_fields
from services.registry.domain.jurisdictions import Level
from services.registry.orm.jurisdictions import jurisdictions as t
from services.registry.orm.jurisdictions import to_entity


@dataclass(frozen=True)
class JurisdictionView(Versioned):
    """A unit as callers see it, with its audit stamps."""

    id: str
    code: str
    display_name: str
    level: Level
    parent_id: str | None
    valid_from: date
    valid_to: date | None
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]


def _view(row: Any) -> JurisdictionView:
    unit = vars(to_entity(row))
    unit |= {"predecessors": tuple(unit["predecessors"]), "successors": tuple(unit["successors"])}
    return JurisdictionView(**unit | versioned_fields(row))


def _valid_on(day: date) -> Any:
    return and_(t.c.valid_from <= day, or_(t.c.valid_to.is_(None), t.c.valid_to >= day))


async def _views(session: AsyncSession, query: Select[Any]) -> list[JurisdictionView]:
    return [_view(row) for row in await session.execute(query)]


async def find_jurisdiction(session: AsyncSession, jurisdiction_id: str) -> JurisdictionView | None:
    """The unit with this id, or None."""
    units = await _views(session, select(t).where(t.c.id == jurisdiction_id))
    return units[0] if units else None


async def find_id_by_code(session: AsyncSession, code: str) -> str | None:
    """The id of the unit using code, or None."""
    return await session.scalar(select(t.c.id).where(t.c.code == code))


async def get_jurisdiction(session: AsyncSession, jurisdiction_id: str) -> JurisdictionView:
    """The unit with this id; NotFound otherwise."""
    unit = await find_jurisdiction(session, jurisdiction_id)
    return found(unit, f"jurisdiction {jurisdiction_id}")


async def get_many(session: AsyncSession, ids: list[str]) -> list[JurisdictionView]:
    """The units with these ids, in the order given (unknown ids are skipped)."""
    if not ids:
        return []
    by_id = {v.id: v for v in await _views(session, select(t).where(t.c.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


async def _page(
    session: AsyncSession,
    query: Select[Any],
    fingerprint: dict[str, object],
    requested_size: int,
    token: str,
) -> Page[JurisdictionView]:
    query = query.order_by(t.c.code, t.c.id)
    return await fetch_page(
        session, query, _view, fingerprint, requested_size=requested_size, token=token
    )


async def list_jurisdictions(
    session: AsyncSession,
    *,
    parent_id: str | None,
    level: Level | None,
    valid_on: date,
    include_retired: bool,
    requested_size: int = 0,
    token: str = "",
) -> Page[JurisdictionView]:
    """Units (direct children of parent_id when given) of level, valid on valid_on.

    With include_retired every unit matches whatever its dates.
    """
    query = select(t)
    if parent_id is not None:
        await get_jurisdiction(session, parent_id)
        query = query.where(t.c.parent_id == parent_id)
    if level is not None:
        query = query.where(t.c.level == level.value)
    if not include_retired:
        query = query.where(_valid_on(valid_on))
    fingerprint = {"parent": parent_id, "level": level, "on": valid_on, "all": include_retired}
    return await _page(session, query, fingerprint, requested_size, token)


async def subtree_ids(
    session: AsyncSession, root_id: str, *, valid_on: date | None = None
) -> list[str]:
    """Ids of root_id and every unit below it (only those valid on valid_on when given).

    The walk follows parent links through retired units too, since children of a split unit
    stay under it until re-parented.
    """
    tree = select(t.c.id).where(t.c.id == root_id).cte("subtree", recursive=True)
    tree = tree.union_all(select(t.c.id).where(t.c.parent_id == tree.c.id))
    query = select(t.c.id).where(t.c.id.in_(select(tree.c.id)))
    if valid_on is not None:
        query = query.where(_valid_on(valid_on))
    return list((await session.scalars(query.order_by(t.c.code))).all())


async def list_subtree(
    session: AsyncSession,
    root_id: str,
    *,
    valid_on: date,
    include_retired: bool,
    requested_size: int = 0,
    token: str = "",
) -> Page[JurisdictionView]:
    """root_id and every unit below it, valid on valid_on unless include_retired."""
    await get_jurisdiction(session, root_id)
    ids = await subtree_ids(session, root_id, valid_on=None if include_retired else valid_on)
    fingerprint = {"root": root_id, "on": valid_on, "all": include_retired}
    return await _page(
        session, select(t).where(t.c.id.in_(ids)), fingerprint, requested_size, token
    )


async def ancestors(session: AsyncSession, jurisdiction_id: str) -> list[JurisdictionView]:
    """The units above jurisdiction_id, root (country) first, direct parent last."""
    unit = await get_jurisdiction(session, jurisdiction_id)
    chain: list[JurisdictionView] = []
    parent_id = unit.parent_id
    while parent_id is not None and all(v.id != parent_id for v in chain):
        parent = await get_jurisdiction(session, parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    return chain[::-1]


async def _walk(
    session: AsyncSession, start: JurisdictionView, step: str
) -> list[JurisdictionView]:
    seen: dict[str, JurisdictionView] = {}
    frontier = list(getattr(start, step))
    while frontier:
        found = await get_many(session, [i for i in frontier if i not in seen and i != start.id])
        seen.update((v.id, v) for v in found)
        frontier = [i for v in found for i in getattr(v, step) if i not in seen]
    return sorted(seen.values(), key=lambda v: (v.valid_from, v.code))


async def lineage(
    session: AsyncSession, jurisdiction_id: str
) -> tuple[list[JurisdictionView], list[JurisdictionView]]:
    """Every unit this one came from and every unit it turned into, oldest first."""
    unit = await get_jurisdiction(session, jurisdiction_id)
    return await _walk(session, unit, "predecessors"), await _walk(session, unit, "successors")
