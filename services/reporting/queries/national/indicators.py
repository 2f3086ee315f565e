"""Indicator progress against targets, rolled up over a subtree per standard indicator and cycle.

Reads the maintained roll-up rows of the jurisdiction (already summed over its subtree, one per
reviewing body; see orm/rollups): a national reviewer only its body's rows, administrators the
rows of every body summed. A handful of rows, milliseconds for a whole country either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.reporting.domain.access import reviewing_scope
from services.reporting.domain.plans import Aggregation, Direction
from services.reporting.orm.reports import indicator_rollups
from services.reporting.queries.national.scope import Subtree

BPS_WHOLE = 10_000
MAX_SHARE_BPS = 100_000


@dataclass(frozen=True)
class RollupSums:
    """What the roll-up stores: sums over the reporting places, and how many reported."""

    standard_code: str
    cycle_code: str
    aggregation: Aggregation
    direction: Direction
    sum_value: float
    sum_target: float
    sum_baseline: float
    places: int


@dataclass(frozen=True)
class RollupRow:
    """One standard indicator in one cycle as the national view shows it."""

    standard_code: str
    cycle_code: str
    aggregation: Aggregation
    direction: Direction
    actual: float
    target: float
    baseline: float
    places: int
    share_of_target_bps: int


def share_of_target_bps(direction: Direction, actual: float, target: float, baseline: float) -> int:
    """Share of the target reached, in basis points within [0, 100000]: up is good ->
    actual / target; down is good -> the way from baseline to target covered; 0 when the
    denominator is 0."""
    if direction == Direction.DOWN:
        done, whole = baseline - actual, baseline - target
    else:
        done, whole = actual, target
    if whole == 0:
        return 0
    share = done / whole * BPS_WHOLE
    if not math.isfinite(share):
        return 0
    return int(min(max(round(share), 0), MAX_SHARE_BPS))


def rolled_up(s: RollupSums) -> RollupRow:
    """Actual, target and baseline as sums or means of the places' values, and the share."""
    per = s.places if s.aggregation == Aggregation.AVERAGE and s.places else 1
    actual, target, baseline = s.sum_value / per, s.sum_target / per, s.sum_baseline / per
    share = share_of_target_bps(s.direction, actual, target, baseline)
    return RollupRow(
        s.standard_code, s.cycle_code, s.aggregation, s.direction, actual, target, baseline,
        s.places, share,
    )  # fmt: skip


def _maintained(subtree: Subtree, cycles: list[str], codes: list[str], reviewer: str | None) -> Any:
    """Sums of the subtree's roll-up rows per standard indicator and cycle, over every reviewing
    body or only `reviewer`'s."""
    r = indicator_rollups
    query = (
        select(
            r.c.standard_code,
            r.c.cycle_code,
            func.max(r.c.aggregation),
            func.max(r.c.direction),
            func.sum(r.c.sum_value),
            func.sum(r.c.sum_target),
            func.sum(r.c.sum_baseline),
            func.sum(r.c.places),
        )
        .where(r.c.jurisdiction_id == subtree.id, r.c.cycle_code.in_(cycles), r.c.places > 0)
        .group_by(r.c.standard_code, r.c.cycle_code)
    )
    if reviewer is not None:
        query = query.where(r.c.reviewing_org_id == reviewer)
    return query.where(r.c.standard_code.in_(codes)) if codes else query


async def indicator_rollup(
    session: AsyncSession,
    subtree: Subtree,
    actor: Principal,
    *,
    cycles: list[str],
    standard_codes: list[str],
) -> list[RollupRow]:
    """Rows per standard indicator (by code) and cycle (in the order of `cycles`)."""
    if not cycles:
        return []
    query = _maintained(subtree, cycles, standard_codes, reviewing_scope(actor))
    sums = [
        RollupSums(code, cycle, Aggregation(agg), Direction(direction), value, target, base, n)
        for code, cycle, agg, direction, value, target, base, n in await session.execute(query)
    ]
    position = {code: i for i, code in enumerate(cycles)}
    sums.sort(key=lambda s: (s.standard_code, position[s.cycle_code]))
    return [rolled_up(s) for s in sums]
