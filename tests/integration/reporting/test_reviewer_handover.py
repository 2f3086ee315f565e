"""When an amended plan's approval moves its reports to another reviewing body, the reports not yet
accepted go with it: the new body reviews them, the old one no longer sees them, and their values
count under the new body in the national roll-up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.common.auth import SYSTEM
from services.common.errors import NotFound
from services.reporting.handlers.obligations import open_plan_obligation
from services.reporting.orm.obligation_rows import load_obligation
from services.reporting.orm.reports import indicator_rollups
from services.reporting.queries.reports import get_visible_report
from tests.integration.reporting.conftest import (
    CITY,
    OTHER_BODY,
    OTHER_REVIEWER,
    REVIEWER,
    RIVERTON_CITY,
)
from tests.integration.reporting.report_setup import approved_plan, create, fill, submit
from tests.unit.reporting.report_samples import complete_content, plan


async def _hand_over(deps, obligation_id: str) -> None:
    async with deps.sessions() as session:
        duty = await load_obligation(session, id=obligation_id)
    assert duty is not None
    async with deps.uow(SYSTEM) as uow:
        await open_plan_obligation(
            uow, plan_id=duty.plan_id, organisation_id=duty.organisation_id,
            jurisdiction_id=RIVERTON_CITY, reviewing_org_id=OTHER_BODY, start_on=duty.start_on,
            end_on=duty.end_on,
        )  # fmt: skip
        await uow.commit()


async def _bodies_counted(deps) -> set[str]:
    r = indicator_rollups
    async with deps.sessions() as session:
        found = await session.scalars(
            select(r.c.reviewing_org_id).where(r.c.jurisdiction_id == RIVERTON_CITY).distinct()
        )
        return set(found)


async def test_a_submitted_report_moves_to_the_new_reviewing_body(reporting_deps, places):
    obligation = await approved_plan(reporting_deps, plan())
    report_id = (await create(reporting_deps, CITY, obligation)).report.id
    await fill(reporting_deps, CITY, report_id, complete_content())
    await submit(reporting_deps, CITY, report_id)
    assert await _bodies_counted(reporting_deps) == {REVIEWER.org_id}

    await _hand_over(reporting_deps, obligation)

    async with reporting_deps.sessions() as session:
        moved = await get_visible_report(session, report_id, OTHER_REVIEWER)
        assert moved.report.reviewing_org_id == OTHER_BODY
        with pytest.raises(NotFound):
            await get_visible_report(session, report_id, REVIEWER)
    assert await _bodies_counted(reporting_deps) == {OTHER_BODY}
