"""What a submitted report puts into the national view: indicator values rolled up over every
ancestor of the place under the report's reviewing body, and requests for support; a return takes
both out again."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest
from sqlalchemy import select, update

from services.common import demo_ids
from services.common.money import Money
from services.reporting.domain.reports import ReportContent, SupportKind, SupportRequest
from services.reporting.orm.read_model import known_jurisdictions
from services.reporting.orm.reports import (
    indicator_rollups,
    indicator_values,
    progress_reports,
    support_requests,
)
from services.reporting.orm.rollups import rebuild_rollups
from services.reporting.queries.national.indicators import indicator_rollup
from services.reporting.queries.national.scope import load_subtree
from tests.integration.reporting.conftest import (
    ADMIN,
    CITY,
    COUNTRY,
    LAKESIDE_CITY,
    NORTH,
    OTHER_BODY,
    OTHER_CITY,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
    SOUTH,
)
from tests.integration.reporting.report_setup import (
    accept,
    approved_plan,
    create,
    fill,
    return_,
    submit,
)
from tests.unit.reporting.report_samples import complete_content, plan

Key = tuple[str, str, str, str]
CENTRE = demo_ids.CENTRE
PEOPLE = "P1.OUT.1"


async def _rollups(deps) -> dict[Key, tuple[float, float, float, int]]:
    r = indicator_rollups
    async with deps.sessions() as session:
        found = await session.execute(select(r))
    return {
        (x.jurisdiction_id, x.cycle_code, x.standard_code, x.reviewing_org_id): (
            x.sum_value, x.sum_target, x.sum_baseline, x.places,
        )
        for x in found
    }  # fmt: skip


async def _sums_from_values(deps) -> dict[Key, tuple[float, float, float, int]]:
    """The roll-ups recomputed here from the stored values and the places' paths."""
    v, j = indicator_values, known_jurisdictions
    async with deps.sessions() as session:
        paths = dict((await session.execute(select(j.c.id, j.c.path))).all())
        values = list(await session.execute(select(v)))
    sums: dict[Key, list] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for x in values:
        for ancestor in filter(None, paths[x.jurisdiction_id].split("/")):
            s = sums[(ancestor, x.cycle_code, x.standard_code, x.reviewing_org_id)]
            s[0] += x.value
            s[1] += x.target
            s[2] += x.baseline
            s[3] += 1
    return {k: tuple(s) for k, s in sums.items()}


def _approx(found: dict, wanted: dict) -> None:
    assert found.keys() == wanted.keys()
    for key, sums in wanted.items():
        assert found[key] == pytest.approx(sums), key


async def _consistent(deps) -> dict[Key, tuple[float, float, float, int]]:
    """The stored roll-ups, checked against the values."""
    rollups = await _rollups(deps)
    _approx(rollups, await _sums_from_values(deps))
    return rollups


async def _people(deps, actor, place: str = COUNTRY) -> tuple | None:
    """(actual, target, places) of P1.OUT.1 in 2026-H1 as the national view shows it to actor."""
    async with deps.sessions() as session:
        subtree = await load_subtree(session, place)
        rows = await indicator_rollup(
            session, subtree, actor, cycles=["2026-H1"], standard_codes=[PEOPLE]
        )
    return next(((r.actual, r.target, r.places) for r in rows), None)


@pytest.fixture
async def two_reports(reporting_deps, places) -> tuple[str, str]:
    """Riverton (I1=160, I2=47.5; CENTRE reviews) and Lakeside (I1=90, I2=42; OTHER_BODY
    reviews), both submitted for 2026-H1."""
    ids = []
    for who, place, body, i1, i2 in (
        (CITY, places.riverton, CENTRE, 160, 47.5),
        (OTHER_CITY, places.lakeside, OTHER_BODY, 90, 42),
    ):
        obligation = await approved_plan(
            reporting_deps, plan(), org=who.org_id, place=place, reviewer=body
        )
        report_id = (await create(reporting_deps, who, obligation)).report.id
        await fill(reporting_deps, who, report_id, complete_content(i1=i1, i2=i2))
        await submit(reporting_deps, who, report_id)
        ids.append(report_id)
    return ids[0], ids[1]


async def test_submitted_values_roll_up_to_every_ancestor_per_body(
    reporting_deps, two_reports
) -> None:
    rollups = await _consistent(reporting_deps)

    def people(place: str, body: str) -> tuple | None:
        return rollups.get((place, "2026-H1", PEOPLE, body))

    for place in (COUNTRY, NORTH, RIVERTON_CITY):
        assert people(place, CENTRE) == pytest.approx((160, 150, 100, 1)), place
    for place in (COUNTRY, SOUTH, LAKESIDE_CITY):
        assert people(place, OTHER_BODY) == pytest.approx((90, 150, 100, 1)), place
    assert people(NORTH, OTHER_BODY) is None and people(SOUTH, CENTRE) is None
    assert rollups[(COUNTRY, "2026-H1", "P1.OC.1", CENTRE)] == pytest.approx((47.5, 45, 40, 1))
    # I3 is the city's own indicator, linked to no standard one: it stays out of the national view.
    assert {k[2] for k in rollups} == {PEOPLE, "P1.OC.1"}


async def test_a_reviewer_sees_its_bodys_sums_and_an_admin_every_bodys(
    reporting_deps, two_reports
) -> None:
    assert await _people(reporting_deps, REVIEWER) == pytest.approx((160, 150, 1))
    assert await _people(reporting_deps, OTHER_REVIEWER) == pytest.approx((90, 150, 1))
    assert await _people(reporting_deps, ADMIN) == pytest.approx((250, 300, 2))
    assert await _people(reporting_deps, REVIEWER, SOUTH) is None
    assert await _people(reporting_deps, ADMIN, SOUTH) == pytest.approx((90, 150, 1))


async def test_a_return_subtracts_the_values_and_a_resubmission_adds_them_back(
    reporting_deps, two_reports
) -> None:
    riverton, _ = two_reports
    await return_(reporting_deps, REVIEWER, riverton, "Check the numbers")
    rollups = await _consistent(reporting_deps)
    assert not [k for k in rollups if k[3] == CENTRE]
    assert rollups[(COUNTRY, "2026-H1", PEOPLE, OTHER_BODY)] == pytest.approx((90, 150, 100, 1))
    assert await _people(reporting_deps, REVIEWER) is None
    assert await _people(reporting_deps, ADMIN) == pytest.approx((90, 150, 1))

    await fill(reporting_deps, CITY, riverton, complete_content(i1=170, i2=50))
    await submit(reporting_deps, CITY, riverton)
    await accept(reporting_deps, REVIEWER, riverton)
    rollups = await _consistent(reporting_deps)
    assert rollups[(NORTH, "2026-H1", PEOPLE, CENTRE)] == pytest.approx((170, 150, 100, 1))
    assert await _people(reporting_deps, REVIEWER) == pytest.approx((170, 150, 1))
    assert await _people(reporting_deps, ADMIN) == pytest.approx((260, 300, 2))


async def test_a_return_after_the_reviewer_changed_subtracts_what_was_added(
    reporting_deps, two_reports
) -> None:
    """The values leave the body they were counted under at submission, not the report's new
    reviewer's."""
    riverton, _ = two_reports
    async with reporting_deps.sessions() as session:
        p = progress_reports
        await session.execute(
            update(p).where(p.c.id == riverton).values(reviewing_org_id=OTHER_BODY)
        )
        await session.commit()
    await return_(reporting_deps, OTHER_REVIEWER, riverton, "New reviewer, new questions")
    rollups = await _consistent(reporting_deps)
    assert not [k for k in rollups if k[3] == CENTRE]
    assert rollups[(COUNTRY, "2026-H1", PEOPLE, OTHER_BODY)] == pytest.approx((90, 150, 100, 1))

    await submit(reporting_deps, CITY, riverton)
    await _consistent(reporting_deps)
    assert await _people(reporting_deps, OTHER_REVIEWER) == pytest.approx((250, 300, 2))
    assert await _people(reporting_deps, REVIEWER) is None


async def test_concurrent_submissions_all_count(reporting_deps, places) -> None:
    writers = [(CITY, places.riverton), (OTHER_CITY, places.lakeside)] * 2
    reports = []
    for n, (who, place) in enumerate(writers):
        obligation = await approved_plan(reporting_deps, plan(), org=who.org_id, place=place)
        report_id = (await create(reporting_deps, who, obligation)).report.id
        await fill(reporting_deps, who, report_id, complete_content(i1=100 + n))
        reports.append((who, report_id))
    await asyncio.gather(*(submit(reporting_deps, who, rid) for who, rid in reports))
    rollups = await _consistent(reporting_deps)
    assert rollups[(COUNTRY, "2026-H1", PEOPLE, CENTRE)] == pytest.approx((406, 600, 400, 4))


async def test_a_rebuild_gives_the_same_rollups(reporting_deps, two_reports) -> None:
    before = await _rollups(reporting_deps)
    async with reporting_deps.sessions() as session:
        await rebuild_rollups(session)
        await session.commit()
    _approx(await _rollups(reporting_deps), before)


async def _support_rows(deps) -> list:
    s = support_requests
    async with deps.sessions() as session:
        return list(await session.execute(select(s).order_by(s.c.kind)))


async def test_support_requests_reach_the_national_view_on_submit_and_leave_on_return(
    reporting_deps, places
) -> None:
    obligation = await approved_plan(reporting_deps, plan())
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    asks = (
        SupportRequest("", SupportKind.FUNDING, "Two minibuses", Money("EUR", 4_000_000)),
        SupportRequest("", SupportKind.TRAINING, "Mentor training"),
    )
    await fill(reporting_deps, CITY, report_id, complete_content())
    view = await fill(
        reporting_deps, CITY, report_id, ReportContent(support_requests=asks), "support_requests"
    )
    assert await _support_rows(reporting_deps) == []
    await submit(reporting_deps, CITY, report_id)
    rows = await _support_rows(reporting_deps)
    assert [(r.kind, r.description, r.currency_code, r.amount) for r in rows] == [
        ("funding", "Two minibuses", "EUR", 4_000_000),
        ("training", "Mentor training", None, None),
    ]
    assert {(r.report_id, r.organisation_id, r.jurisdiction_id, r.cycle_code) for r in rows} == {
        (report_id, CITY.org_id, places.riverton, "2026-H1")
    }
    assert {r.id for r in rows} == {s.id for s in view.report.content.support_requests}
    await return_(reporting_deps, REVIEWER, report_id)
    assert await _support_rows(reporting_deps) == []
