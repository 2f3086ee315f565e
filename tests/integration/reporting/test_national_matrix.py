"""The compliance matrix over the seeded places: counts per status for child rows, one status per
cell for place rows, who sees which rows, and statuses that move with the clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.common import demo_ids
from services.common.auth import Principal
from services.common.clock import today
from services.common.errors import InvalidArgument, NotFound
from services.reporting.deps import ReportingDeps
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.queries.national.matrix import (
    Matrix,
    MatrixRows,
    compliance_matrix,
    matrix_query,
)
from tests.integration.reporting.conftest import (
    ADMIN,
    COUNTRY,
    LAKESIDE_CITY,
    NORTH,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
    SOUTH,
)
from tests.integration.reporting.national_seed import CYCLES, seed_scenario, tally, visible

UNDER = {NORTH: (RIVERTON_CITY,), SOUTH: (LAKESIDE_CITY,), COUNTRY: ()}


async def matrix(
    deps: ReportingDeps,
    actor: Principal,
    *,
    jurisdiction: str = COUNTRY,
    rows: MatrixRows = MatrixRows.CHILDREN,
    cycles: list[str] | None = None,
    kind: str | None = None,
    page_size: int = 0,
    token: str = "",
) -> Matrix:
    async with deps.sessions() as session:
        q = await matrix_query(
            session, actor, today(deps.clock), jurisdiction_id=jurisdiction,
            cycles=cycles or [], last_cycles=0, rows=rows, kind=kind,
        )  # fmt: skip
        return await compliance_matrix(session, q, actor, page_size=page_size, token=token)


def cells_of(m: Matrix) -> dict[tuple[str, str], dict[ComplianceStatus, int]]:
    return {(r.jurisdiction_id, c.cycle): c.counts for r in m.rows for c in r.cells}


def in_row(row_id: str):
    """Expected reports a child row counts: its own place or a place under it."""
    return lambda e: e.jurisdiction_id == row_id or e.jurisdiction_id in UNDER.get(row_id, ())


@pytest.mark.parametrize(
    "actor", [ADMIN, REVIEWER, OTHER_REVIEWER], ids=["admin", "reviewer", "other-reviewer"]
)
async def test_child_rows_count_each_status_of_their_subtree(reporting_deps, places, actor):
    seeded = visible(await seed_scenario(reporting_deps), actor)
    day = today(reporting_deps.clock)

    m = await matrix(reporting_deps, actor)

    assert m.cycles == [c for c in CYCLES if any(e.cycle_code == c for e in seeded)]
    shown_rows = {r.jurisdiction_id for r in m.rows}
    assert shown_rows == {
        row for row in (COUNTRY, NORTH, SOUTH) if any(in_row(row)(e) for e in seeded)
    }
    want = {
        (row, cycle): dict(
            tally([e for e in seeded if in_row(row)(e) and e.cycle_code == cycle], day)
        )
        for row in shown_rows
        for cycle in m.cycles
    }
    assert cells_of(m) == want
    assert m.totals == dict(tally(seeded, day))


async def test_the_root_row_comes_first_then_children_by_name(reporting_deps, places):
    await seed_scenario(reporting_deps)

    m = await matrix(reporting_deps, ADMIN)

    assert [(r.jurisdiction_id, r.display_name) for r in m.rows] == [
        (COUNTRY, "Arland"),
        (NORTH, "North"),
        (SOUTH, "South"),
    ]


async def test_a_reviewer_of_another_body_sees_nothing_of_centres_places(reporting_deps, places):
    await seed_scenario(reporting_deps)

    m = await matrix(reporting_deps, OTHER_REVIEWER, rows=MatrixRows.PLACES)

    assert [r.organisation_id for r in m.rows] == [demo_ids.BRIDGES]
    assert sum(m.totals.values()) == 2


async def test_a_region_shows_its_cities_as_rows(reporting_deps, places):
    seeded = await seed_scenario(reporting_deps)

    m = await matrix(reporting_deps, REVIEWER, jurisdiction=SOUTH)

    assert [r.display_name for r in m.rows] == ["Lakeside"]
    assert m.totals == dict(
        tally(visible(seeded, REVIEWER), today(reporting_deps.clock), in_row(SOUTH))
    )


async def test_place_rows_show_one_status_per_cycle_and_the_report(reporting_deps, places):
    seeded = await seed_scenario(reporting_deps)
    day = today(reporting_deps.clock)

    m = await matrix(reporting_deps, ADMIN, rows=MatrixRows.PLACES)

    names = [r.display_name for r in m.rows]
    assert names == sorted(names)
    assert len(m.rows) == len({(e.organisation_id, e.jurisdiction_id) for e in seeded})
    by_org = {r.organisation_id: r for r in m.rows}
    for e in seeded:
        cell = next(c for c in by_org[e.organisation_id].cells if c.cycle == e.cycle_code)
        assert cell.status == e.status(day)
        assert cell.report_id == e.report_id
    riverton = by_org[demo_ids.RIVERTON]
    assert (riverton.jurisdiction_id, riverton.display_name) == (RIVERTON_CITY, "City of Riverton")
    telecom_cells = {c.cycle: c.status for c in by_org[demo_ids.TELECOM].cells}
    assert telecom_cells["2026-H1"] is None


async def test_place_rows_come_in_pages_with_totals_over_all(reporting_deps, places):
    seeded = await seed_scenario(reporting_deps)
    day = today(reporting_deps.clock)

    first = await matrix(reporting_deps, ADMIN, rows=MatrixRows.PLACES, page_size=3)
    second = await matrix(
        reporting_deps, ADMIN, rows=MatrixRows.PLACES, page_size=3, token=first.next_page_token
    )

    assert len(first.rows) == 3 and first.next_page_token
    assert len(second.rows) == 1 and second.next_page_token == ""
    names = [r.display_name for r in first.rows + second.rows]
    assert names == sorted(names)
    assert first.totals == second.totals == dict(tally(seeded, day))


async def test_a_page_token_of_another_matrix_is_refused(reporting_deps, places):
    await seed_scenario(reporting_deps)
    first = await matrix(reporting_deps, ADMIN, rows=MatrixRows.PLACES, page_size=1)

    with pytest.raises(InvalidArgument) as caught:
        await matrix(
            reporting_deps, ADMIN, rows=MatrixRows.PLACES, jurisdiction=NORTH,
            page_size=1, token=first.next_page_token,
        )  # fmt: skip
    assert caught.value.violations[0].field == "page_token"


async def test_unsent_reports_move_from_not_yet_due_to_late_to_missing(reporting_deps, places):
    await seed_scenario(reporting_deps)

    async def lakeside_on(moment: datetime) -> ComplianceStatus | None:
        reporting_deps.clock.set(moment)
        m = await matrix(reporting_deps, ADMIN, rows=MatrixRows.PLACES, cycles=["2025-H2"])
        row = next(r for r in m.rows if r.organisation_id == demo_ids.LAKESIDE)
        return row.cells[0].status

    # 2025-H2 is due on 2026-01-30 and locks 14 days later.
    assert await lakeside_on(datetime(2026, 1, 30, 12, tzinfo=UTC)) == ComplianceStatus.NOT_YET_DUE
    assert await lakeside_on(datetime(2026, 1, 31, 8, tzinfo=UTC)) == ComplianceStatus.LATE
    assert await lakeside_on(datetime(2026, 2, 13, 23, tzinfo=UTC)) == ComplianceStatus.LATE
    assert await lakeside_on(datetime(2026, 2, 14, 0, tzinfo=UTC)) == ComplianceStatus.MISSING


async def test_a_draft_is_late_after_its_due_date_like_no_report(reporting_deps, places):
    await seed_scenario(reporting_deps)
    reporting_deps.clock.set(datetime(2026, 7, 31, 9, tzinfo=UTC))

    m = await matrix(reporting_deps, ADMIN, cycles=["2026-H1"])

    assert cells_of(m)[(NORTH, "2026-H1")] == {ComplianceStatus.LATE: 1}
    assert cells_of(m)[(SOUTH, "2026-H1")] == {ComplianceStatus.LATE: 1}


async def test_columns_are_the_recent_cycles_begun_by_today(reporting_deps, places):
    await seed_scenario(reporting_deps)
    reporting_deps.clock.set(datetime(2025, 12, 31, 9, tzinfo=UTC))

    m = await matrix(reporting_deps, ADMIN)

    assert m.cycles == ["2025-H1", "2025-H2"]


async def test_asked_cycles_are_the_columns_even_when_empty(reporting_deps, places):
    await seed_scenario(reporting_deps)

    m = await matrix(reporting_deps, ADMIN, cycles=["2024-H2", "2025-H1"])

    assert m.cycles == ["2024-H2", "2025-H1"]
    assert all(c.counts == {} for r in m.rows for c in r.cells if c.cycle == "2024-H2")


async def test_kind_narrows_to_plan_or_grant_reports(reporting_deps, places):
    seeded = await seed_scenario(reporting_deps)
    day = today(reporting_deps.clock)

    grants = await matrix(reporting_deps, ADMIN, kind="grant")

    assert grants.totals == dict(tally(seeded, day, lambda e: e.kind == "grant"))
    assert {r.jurisdiction_id for r in grants.rows} == {COUNTRY}


async def test_an_unknown_jurisdiction_is_not_found(reporting_deps, places):
    with pytest.raises(NotFound):
        await matrix(reporting_deps, ADMIN, jurisdiction="1a000000-0000-4000-8000-0000000000ff")
