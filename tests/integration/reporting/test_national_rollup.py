"""Indicator roll-ups in the national view: sums and means per standard indicator and cycle,
the share of the target reached for up- and down-is-good indicators, administrators summing the
roll-ups of every reviewing body and a national reviewer reading only its body's."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from services.common import demo_ids
from services.common.auth import Principal
from services.common.clock import today
from services.reporting.deps import ReportingDeps
from services.reporting.domain.plans import Aggregation
from services.reporting.orm.reports import indicator_rollups, indicator_values, progress_reports
from services.reporting.orm.rollups import rebuild_rollups
from services.reporting.queries.national.indicators import RollupRow, indicator_rollup
from services.reporting.queries.national.scope import load_subtree, shown_cycles
from tests.integration.reporting.conftest import (
    ADMIN,
    COUNTRY,
    LAKESIDE_CITY,
    NORTH,
    NOW,
    OTHER_BODY,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
    SOUTH,
)
from tests.integration.reporting.national_seed import (
    SCENARIO,
    Duty,
    Expected,
    seed_cycles,
    seed_duties,
)

SUM_UP, MEAN_UP, MEAN_DOWN = "P1.OUT.1", "P1.OC.1", "P4.IM.1"
HOW = {SUM_UP: ("sum", "up"), MEAN_UP: ("average", "up"), MEAN_DOWN: ("average", "down")}
# (organisation, reviewer) -> {standard code: (value, target, baseline)}, all in 2025-H1.
VALUES = {
    (demo_ids.RIVERTON, demo_ids.CENTRE): {
        SUM_UP: (120, 200, 50), MEAN_UP: (60, 80, 40), MEAN_DOWN: (12, 5, 20),
    },
    (demo_ids.LAKESIDE, demo_ids.CENTRE): {
        SUM_UP: (80, 100, 40), MEAN_UP: (40, 60, 20), MEAN_DOWN: (8, 5, 10),
    },
    (demo_ids.SOCIAL, OTHER_BODY): {SUM_UP: (1000, 1000, 0)},
}  # fmt: skip
# A plan in Riverton that another body reviews (grant reports carry no indicator values).
OTHER_PLAN = Duty(demo_ids.SOCIAL, RIVERTON_CITY, OTHER_BODY, "action_plan", ("submitted",))
# The maintained sums of each body over each subtree: (value, target, baseline, places).
ROLLUPS = {
    (COUNTRY, demo_ids.CENTRE): {
        SUM_UP: (200, 300, 90, 2), MEAN_UP: (100, 140, 60, 2), MEAN_DOWN: (20, 10, 30, 2),
    },
    (COUNTRY, OTHER_BODY): {SUM_UP: (1000, 1000, 0, 1)},
    (NORTH, demo_ids.CENTRE): {
        SUM_UP: (120, 200, 50, 1), MEAN_UP: (60, 80, 40, 1), MEAN_DOWN: (12, 5, 20, 1),
    },
    (NORTH, OTHER_BODY): {SUM_UP: (1000, 1000, 0, 1)},
}  # fmt: skip


def _report_row(e: Expected) -> dict:
    return {
        "id": e.report_id, "obligation_id": e.obligation_id, "cycle_code": e.cycle_code,
        "kind": "progress", "organisation_id": e.organisation_id,
        "jurisdiction_id": e.jurisdiction_id, "reviewing_org_id": e.reviewing_org_id,
        "plan_id": None, "plan_version": None, "award_id": None, "state": e.report_state,
        "content": {}, "due_on": NOW.date(), "lock_on": NOW.date(), "submitted_at": NOW,
        "on_time": True, "accepted_at": None, "return_reason": "", "comments": [],
        "reopen_reason": "", "version": 1, "created_at": NOW, "created_by": "seed",
        "updated_at": NOW, "updated_by": "seed",
    }  # fmt: skip


async def seed_indicators(deps: ReportingDeps) -> None:
    """The scenario's (and OTHER_PLAN's) 2025-H1 reports with their values, and the roll-ups
    rebuilt from them."""
    await seed_cycles(deps)
    reports = {
        (e.organisation_id, e.reviewing_org_id): e
        for e in await seed_duties(deps, (*SCENARIO, OTHER_PLAN))
        if e.cycle_code == "2025-H1" and (e.organisation_id, e.reviewing_org_id) in VALUES
    }
    values = [
        {
            "report_id": reports[who].report_id,
            "indicator_code": f"I-{code}",
            "standard_code": code,
            "cycle_code": "2025-H1",
            "jurisdiction_id": reports[who].jurisdiction_id,
            "reviewing_org_id": who[1],
            "aggregation": HOW[code][0],
            "direction": HOW[code][1],
            "value": v,
            "target": t,
            "baseline": b,
        }
        for who, by_code in VALUES.items()
        for code, (v, t, b) in by_code.items()
    ]
    async with deps.sessions() as session:
        await session.execute(insert(progress_reports), [_report_row(e) for e in reports.values()])
        await session.execute(insert(indicator_values), values)
        await rebuild_rollups(session)
        await session.commit()


async def rollup(
    deps: ReportingDeps, actor: Principal, place: str = COUNTRY, codes: list[str] | None = None
) -> dict[tuple[str, str], RollupRow]:
    async with deps.sessions() as session:
        subtree = await load_subtree(session, place)
        cycles = await shown_cycles(session, subtree, actor, today(deps.clock), asked=[])
        rows = await indicator_rollup(
            session, subtree, actor, cycles=cycles, standard_codes=codes or []
        )
    return {(r.standard_code, r.cycle_code): r for r in rows}


def figures(row: RollupRow) -> tuple:
    return (
        round(row.actual, 6),
        round(row.target, 6),
        round(row.baseline, 6),
        row.places,
        row.share_of_target_bps,
    )


async def test_country_rollup_sums_or_averages_and_shares(reporting_deps, places):
    await seed_indicators(reporting_deps)

    rows = await rollup(reporting_deps, ADMIN)

    assert sorted(rows) == [(MEAN_UP, "2025-H1"), (SUM_UP, "2025-H1"), (MEAN_DOWN, "2025-H1")]
    # Every body's roll-up summed: CENTRE's 200 over 2 places and OTHER_BODY's 1000 over 1.
    assert figures(rows[(SUM_UP, "2025-H1")]) == (1200, 1300, 90, 3, 9231)
    assert rows[(SUM_UP, "2025-H1")].aggregation == Aggregation.SUM
    assert figures(rows[(MEAN_UP, "2025-H1")]) == (50, 70, 30, 2, 7143)
    # Down is good: from a baseline of 15 to a target of 5, an actual of 10 is half the way.
    assert figures(rows[(MEAN_DOWN, "2025-H1")]) == (10, 5, 15, 2, 5000)
    assert rows[(MEAN_DOWN, "2025-H1")].aggregation == Aggregation.AVERAGE


async def test_a_region_reads_its_own_subtree_rollup(reporting_deps, places):
    await seed_indicators(reporting_deps)

    rows = await rollup(reporting_deps, ADMIN, NORTH)

    assert figures(rows[(SUM_UP, "2025-H1")]) == (1120, 1200, 50, 2, 9333)
    assert figures(rows[(MEAN_DOWN, "2025-H1")]) == (12, 5, 20, 1, 5333)


async def test_standard_indicators_narrow_the_rows(reporting_deps, places):
    await seed_indicators(reporting_deps)

    rows = await rollup(reporting_deps, ADMIN, SOUTH, [MEAN_DOWN])

    assert list(rows) == [(MEAN_DOWN, "2025-H1")]


@pytest.mark.parametrize(
    ("actor", "place", "want"),
    [
        (REVIEWER, COUNTRY, {SUM_UP: (200, 300, 90, 2, 6667), MEAN_DOWN: (10, 5, 15, 2, 5000)}),
        (REVIEWER, NORTH, {SUM_UP: (120, 200, 50, 1, 6000)}),
        (OTHER_REVIEWER, COUNTRY, {SUM_UP: (1000, 1000, 0, 1, 10000)}),
    ],
    ids=["reviewer-country", "reviewer-north", "other-reviewer"],
)
async def test_a_reviewer_rolls_up_only_the_reports_its_body_reviews(
    reporting_deps, places, actor, place, want
):
    await seed_indicators(reporting_deps)

    rows = await rollup(reporting_deps, actor, place)

    for code, expected in want.items():
        assert figures(rows[(code, "2025-H1")]) == expected
    if actor is OTHER_REVIEWER:
        assert list(rows) == [(SUM_UP, "2025-H1")]


async def test_a_reviewer_of_another_body_sees_no_rollup_of_south(reporting_deps, places):
    await seed_indicators(reporting_deps)

    assert await rollup(reporting_deps, OTHER_REVIEWER, SOUTH) == {}


async def test_a_city_rollup_is_its_own_values(reporting_deps, places):
    await seed_indicators(reporting_deps)

    rows = await rollup(reporting_deps, REVIEWER, LAKESIDE_CITY)

    assert figures(rows[(SUM_UP, "2025-H1")]) == (80, 100, 40, 1, 8000)


async def test_the_rollups_are_kept_per_reviewing_body(reporting_deps, places):
    await seed_indicators(reporting_deps)
    r = indicator_rollups
    async with reporting_deps.sessions() as session:
        found = await session.execute(
            select(r).where(r.c.jurisdiction_id.in_([COUNTRY, NORTH]), r.c.cycle_code == "2025-H1")
        )
        rows = {
            (x.jurisdiction_id, x.reviewing_org_id, x.standard_code): (
                x.sum_value, x.sum_target, x.sum_baseline, x.places,
            )
            for x in found
        }  # fmt: skip
    assert rows == {
        (place, body, code): sums
        for (place, body), by_code in ROLLUPS.items()
        for code, sums in by_code.items()
    }
