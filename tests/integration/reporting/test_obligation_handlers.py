"""Obligations from plans and awards: idempotent, expecting reports up to today's cycle, and
extended by the scheduler's pass when the clock moves on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from services.common import demo_ids
from services.common.auth import SYSTEM
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.domain.obligations import ObligationKind
from services.reporting.handlers.obligations import (
    ensure_expected_reports,
    open_grant_obligation,
    open_plan_obligation,
)
from services.reporting.orm import obligation_rows as rows
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.read_model_rows import upsert_mandate
from tests.integration.reporting.conftest import NOW

PLAN = "2a000000-0000-4000-8000-000000000001"
OTHER_PLAN = "2a000000-0000-4000-8000-000000000002"
AWARD = "3a000000-0000-4000-8000-000000000001"
CALL = "3c000000-0000-4000-8000-000000000001"


async def plan_obligation(deps, places, *, plan=PLAN, org=demo_ids.RIVERTON, **overrides) -> str:
    """Open (or update) a plan's obligation as a plan approval would."""
    args = {
        "plan_id": plan,
        "organisation_id": org,
        "jurisdiction_id": places.riverton,
        "reviewing_org_id": demo_ids.CENTRE,
        "start_on": date(2025, 3, 1),
        "end_on": date(2030, 12, 31),
        **overrides,
    }
    async with deps.uow(SYSTEM) as uow:
        obligation_id = await open_plan_obligation(uow, **args)
        await uow.commit()
    return obligation_id


async def expected(deps, obligation_id: str) -> dict[str, tuple]:
    """cycle code -> (due_on, reviewing org, state) of an obligation's expected reports."""
    t = expected_reports
    async with deps.sessions() as session:
        found = await session.execute(select(t).where(t.c.obligation_id == obligation_id))
    return {r.cycle_code: (r.due_on, r.reviewing_org_id, r.report_state) for r in found}


async def test_a_plan_expects_a_report_for_every_cycle_up_to_today(
    reporting_deps, places, audit_of
) -> None:
    obligation_id = await plan_obligation(reporting_deps, places)
    found = await expected(reporting_deps, obligation_id)
    assert found == {
        "2025-H1": (date(2025, 7, 30), demo_ids.CENTRE, "none"),
        "2025-H2": (date(2026, 1, 30), demo_ids.CENTRE, "none"),
        "2026-H1": (date(2026, 7, 30), demo_ids.CENTRE, "none"),
    }
    async with reporting_deps.sessions() as session:
        obligation = await rows.load_obligation(session, id=obligation_id)
        cycle = await rows.load_cycle(session, "2025-H2")
    assert obligation is not None and obligation.kind == ObligationKind.ACTION_PLAN
    assert (obligation.periodicity, obligation.fiscal_start_month) == ("semiannual", 1)
    assert cycle is not None and cycle.lock_on == date(2026, 2, 13)
    history = await audit_of(f"reportingObligations/{obligation_id}")
    assert [h.action for h in history] == ["opened"]


async def test_an_amended_plan_keeps_its_obligation(reporting_deps, places, audit_of) -> None:
    first = await plan_obligation(reporting_deps, places)
    other_body = "0b1c7a52-0000-4000-8000-000000000099"
    again = await plan_obligation(
        reporting_deps, places, reviewing_org_id=other_body, end_on=date(2025, 12, 31)
    )
    assert again == first
    found = await expected(reporting_deps, first)
    # The cycle past the new end is no longer expected; the others go to the new reviewer.
    assert sorted(found) == ["2025-H1", "2025-H2"]
    assert {reviewer for _, reviewer, _ in found.values()} == {other_body}
    history = await audit_of(f"reportingObligations/{first}")
    assert [h.action for h in history] == ["opened", "updated"]


async def test_the_mandate_sets_periodicity_and_fiscal_start(reporting_deps, places) -> None:
    async with reporting_deps.sessions() as session:
        await upsert_mandate(
            session,
            {
                "organisation_id": demo_ids.LAKESIDE,
                "version": 2,
                "overseeing_org_id": demo_ids.CENTRE,
                "periodicity": "quarterly",
                "fiscal_start_month": 7,
                "as_of": NOW,
            },
        )
        await session.commit()
    obligation_id = await plan_obligation(
        reporting_deps, places, org=demo_ids.LAKESIDE, start_on=date(2025, 9, 15)
    )
    found = await expected(reporting_deps, obligation_id)
    assert sorted(found) == ["FY07-2025-Q1", "FY07-2025-Q2", "FY07-2025-Q3"]
    assert found["FY07-2025-Q3"][0] == date(2026, 4, 30)


async def test_the_scheduler_extends_obligations_as_time_passes(reporting_deps, places) -> None:
    running = await plan_obligation(reporting_deps, places)
    ending = await plan_obligation(
        reporting_deps, places, plan=OTHER_PLAN, org=demo_ids.LAKESIDE, end_on=date(2026, 6, 30)
    )
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2026, 3, 2)) == 0

    reporting_deps.clock.set(datetime(2026, 7, 1, 6, 0, tzinfo=UTC))
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2026, 7, 1)) == 1
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2026, 7, 1)) == 0
    assert "2026-H2" in await expected(reporting_deps, running)
    assert "2026-H2" not in await expected(reporting_deps, ending)

    # A year later in one jump: every cycle in between is expected, not only the current one.
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2027, 8, 1)) == 2
    assert sorted(await expected(reporting_deps, running))[-3:] == [
        "2026-H2",
        "2027-H1",
        "2027-H2",
    ]


async def test_an_award_opens_one_grant_obligation(reporting_deps, places, audit_of) -> None:
    args = {
        "award_id": AWARD,
        "call_id": CALL,
        "organisation_id": demo_ids.BRIDGES,
        "jurisdiction_id": places.riverton,
        "reviewing_org_id": demo_ids.RIVERTON,
        "periodicity": ReportingPeriodicity.QUARTERLY,
        "start_on": date(2026, 2, 10),
        "final_evaluation_required": True,
    }
    ids = []
    for _ in range(2):
        async with reporting_deps.uow(SYSTEM) as uow:
            ids.append(await open_grant_obligation(uow, **args))
            await uow.commit()
    assert ids[0] == ids[1]
    found = await expected(reporting_deps, ids[0])
    assert found == {"2026-Q1": (date(2026, 4, 30), demo_ids.RIVERTON, "none")}
    async with reporting_deps.sessions() as session:
        obligation = await rows.load_obligation(session, award_id=AWARD)
    assert obligation is not None
    assert (obligation.kind, obligation.call_id, obligation.final_evaluation_required) == (
        ObligationKind.GRANT,
        CALL,
        True,
    )
    assert len(await audit_of(f"reportingObligations/{ids[0]}")) == 1


async def test_a_plan_that_ended_while_the_scheduler_slept_still_gets_its_last_cycle(
    reporting_deps, places
) -> None:
    ended = await plan_obligation(reporting_deps, places, end_on=date(2026, 12, 31))
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2027, 3, 1)) == 1
    assert await ensure_expected_reports(reporting_deps.uow(SYSTEM), date(2027, 3, 1)) == 0
    assert sorted(await expected(reporting_deps, ended))[-1] == "2026-H2"
