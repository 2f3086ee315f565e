"""CSV exports of the national view: a header row, then what the view shows, whole (not a page),
with caller-written text that a spreadsheet never runs as a formula."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from services.common import demo_ids
from services.common.clock import today
from services.reporting.orm.reports import support_requests
from services.reporting.queries.national.matrix import MatrixRows
from services.reporting.queries.national_csv import Export, ExportAsk, NationalView, export_view
from tests.integration.reporting.conftest import (
    ADMIN,
    COUNTRY,
    NORTH,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
)
from tests.integration.reporting.national_seed import CYCLES, seed_scenario, tally, visible
from tests.integration.reporting.test_national_rollup import SUM_UP, seed_indicators
from tests.integration.reporting.test_national_support import seed_support


async def export(deps, actor, view, *, rows=MatrixRows.CHILDREN, place=COUNTRY) -> Export:
    async with deps.sessions() as session:
        return await export_view(
            session, actor, ExportAsk(view, place, [], rows), today(deps.clock)
        )


def lines(e: Export) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(e.content.decode())))


async def test_matrix_export_counts_each_status_per_child_and_cycle(reporting_deps, places):
    seeded = visible(await seed_scenario(reporting_deps), REVIEWER)
    day = today(reporting_deps.clock)

    e = await export(reporting_deps, REVIEWER, NationalView.COMPLIANCE_MATRIX)

    assert (e.filename, e.content_type) == (f"compliance-AR-{day.isoformat()}.csv", "text/csv")
    north = {line["cycle"]: line for line in lines(e) if line["jurisdiction_id"] == NORTH}
    assert list(north) == CYCLES
    for cycle, line in north.items():
        want = tally(
            [x for x in seeded if x.cycle_code == cycle and x.jurisdiction_id == RIVERTON_CITY],
            day,
        )
        assert {s: int(line[s]) for s in want} == {str(s): n for s, n in want.items()}
        assert int(line["total"]) == sum(want.values())


async def test_places_export_has_a_status_column_per_cycle(reporting_deps, places):
    seeded = await seed_scenario(reporting_deps)
    day = today(reporting_deps.clock)

    e = await export(reporting_deps, ADMIN, NationalView.COMPLIANCE_MATRIX, rows=MatrixRows.PLACES)

    found = lines(e)
    assert list(found[0]) == [
        "organisation_id",
        "organisation",
        "jurisdiction_id",
        "place",
        *CYCLES,
    ]
    by_org = {line["organisation_id"]: line for line in found}
    assert len(by_org) == len({x.organisation_id for x in seeded})
    for x in seeded:
        assert by_org[x.organisation_id][x.cycle_code] == str(x.status(day))
    assert by_org[demo_ids.RIVERTON]["place"] == "Riverton"


async def test_a_reviewer_of_another_body_exports_none_of_centres_rows(reporting_deps, places):
    await seed_scenario(reporting_deps)

    e = await export(
        reporting_deps, OTHER_REVIEWER, NationalView.COMPLIANCE_MATRIX, rows=MatrixRows.PLACES
    )

    assert [line["organisation_id"] for line in lines(e)] == [demo_ids.BRIDGES]


async def test_rollup_export_gives_actual_target_and_share_in_percent(reporting_deps, places):
    await seed_indicators(reporting_deps)

    e = await export(reporting_deps, ADMIN, NationalView.INDICATOR_ROLLUP)

    assert e.filename.startswith("indicators-AR-")
    line = next(x for x in lines(e) if x["standard_indicator"] == SUM_UP)
    assert (line["cycle"], line["aggregation"], line["direction"]) == ("2025-H1", "sum", "up")
    assert (line["actual"], line["target"], line["baseline"]) == ("1200", "1300", "90")
    assert (line["reporting_places"], line["share_of_target_percent"]) == ("3", "92.31")


async def test_support_export_lists_requests_with_amounts_in_major_units(reporting_deps, places):
    asks = await seed_support(reporting_deps)
    formula = '=HYPERLINK("http://example.org","click")'
    async with reporting_deps.sessions() as session:
        await session.execute(update(support_requests).values(description=formula))
        await session.commit()

    e = await export(reporting_deps, ADMIN, NationalView.SUPPORT_REQUESTS)

    found = lines(e)
    assert e.filename.startswith("support-requests-AR-")
    assert len(found) == len(asks)
    amounts = sorted((x["currency"], x["amount"]) for x in found if x["amount"])
    want = sorted(
        (a.amount.currency_code, f"{a.amount.minor_units / 100:.2f}")
        for a in asks.values()
        if a.amount
    )
    assert amounts == want
    assert {x["description"] for x in found} == {"'" + formula}
