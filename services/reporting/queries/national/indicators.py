"""Indicator progress against targets, rolled up over a subtree per standard indicator and cycle.

Administrators read the maintained roll-up rows of the jurisdiction (already summed over its
subtree): a handful of rows, a few milliseconds for a whole country. A national reviewer sees
only the reports its body reviews, so its roll-up is summed from those reports' indicator values
instead: exact, but it reads every value of the subtree and cycles asked for. On the national
benchmark (10,000 places, 30 indicators, 6 cycles: 1.8 million values) that is about 1.5-2 s for
the whole country and 0.2 s for a region of 500 places.
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
from services.reporting.orm.read_model import known_jurisdictions
from services.reporting.orm.reports import indicator_rollups, indicator_values, progress_reports
from services.reporting.queries.national.scope import Subtree, inline, inline_all

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


def _maintained(subtree: Subtree, cycles: list[str], codes: list[str]) -> Any:
    r = indicator_rollups
    query = select(
        r.c.standard_code,
        r.c.cycle_code,
        r.c.aggregation,
        r.c.direction,
        r.c.sum_value,
        r.c.sum_target,
        r.c.sum_baseline,
        r.c.places,
    ).where(r.c.jurisdiction_id == subtree.id, r.c.cycle_code.in_(cycles), r.c.places > 0)
    return query.where(r.c.standard_code.in_(codes)) if codes else query


def _reviewed(subtree: Subtree, cycles: list[str], codes: list[str], reviewer: str) -> Any:
    v, p, j = indicator_values, progress_reports, known_jurisdictions
    shown = inline_all(cycles)
    query = (
        select(
            v.c.standard_code,
            v.c.cycle_code,
            func.max(v.c.aggregation),
            func.max(v.c.direction),
            func.sum(v.c.value),
            func.sum(v.c.target),
            func.sum(v.c.baseline),
            func.count(),
        )
        # From the reviewer's reports of the subtree to their values (by the values' key).
        .select_from(p.join(j, j.c.id == p.c.jurisdiction_id).join(v, v.c.report_id == p.c.id))
        .where(
            p.c.reviewing_org_id == inline(reviewer),
            p.c.cycle_code.in_(shown),
            v.c.cycle_code.in_(shown),
            subtree.contains(j.c.path),
        )
        .group_by(v.c.standard_code, v.c.cycle_code)
    )
    return query.where(v.c.standard_code.in_(codes)) if codes else query


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
    reviewer = reviewing_scope(actor)
    query = (
        _maintained(subtree, cycles, standard_codes)
        if reviewer is None
        else _reviewed(subtree, cycles, standard_codes, reviewer)
    )
    sums = [
        RollupSums(code, cycle, Aggregation(agg), Direction(direction), value, target, base, n)
        for code, cycle, agg, direction, value, target, base, n in await session.execute(query)
    ]
    position = {code: i for i, code in enumerate(cycles)}
    sums.sort(key=lambda s: (s.standard_code, position[s.cycle_code]))
    return [rolled_up(s) for s in sums]
