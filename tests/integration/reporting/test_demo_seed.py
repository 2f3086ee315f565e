"""The reporting demo seeds plans and three closed cycles of reports, once, through the handlers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select

from services.common import demo_ids
from services.common.kit_tables import outbox
from services.reporting.demo import closed_cycles, seed_demo
from services.reporting.domain.compliance import ComplianceStatus, ReportState, compliance_status
from services.reporting.orm.obligations import expected_reports, obligations
from services.reporting.orm.plans import action_plans, plan_transitions
from services.reporting.orm.read_model import (
    known_frameworks,
    known_mandates,
    known_organisations,
)
from services.reporting.orm.reports import progress_reports, support_requests
from tests.integration.reporting.conftest import (
    NOW,
    PILLARS,
    SOUTH,
    STANDARD_INDICATORS,
    seed_places,
)

MORE_INDICATORS = [
    {"code": "P3.OUT.1", "title": "Network meetings held", "pillar_code": "P3",
     "level": "output", "unit": "meetings", "direction": "up", "disaggregations": []},
]  # fmt: skip
S = ComplianceStatus
EXPECTED = {
    demo_ids.RIVERTON: [S.ACCEPTED, S.ACCEPTED, S.ACCEPTED, S.NOT_YET_DUE],
    demo_ids.LAKESIDE: [S.ACCEPTED, S.MISSING, S.SUBMITTED, S.NOT_YET_DUE],
    demo_ids.PORT_SELEN: [S.ACCEPTED, S.RETURNED, S.MISSING, S.NOT_YET_DUE],
}


async def _registry_demo_facts(deps) -> None:
    """What the registry's demo announces that the reporting demo needs, beyond the places."""
    await seed_places(deps)
    async with deps.sessions() as session:
        await session.execute(
            insert(known_organisations).values(
                id=demo_ids.PORT_SELEN, display_name="Port Selen City Council",
                kind="local_government", verification_state="verified", jurisdiction_id=SOUTH,
                as_of=NOW,
            )
        )  # fmt: skip
        await session.execute(
            insert(known_mandates).values(
                organisation_id=demo_ids.PORT_SELEN, version=1,
                overseeing_org_id=demo_ids.CENTRE, periodicity="semiannual",
                fiscal_start_month=1, as_of=NOW,
            )
        )  # fmt: skip
        await session.execute(
            insert(known_frameworks).values(
                id=demo_ids.STRATEGY, title="National Strategy", state="adopted",
                pillars=PILLARS, indicators=STANDARD_INDICATORS + MORE_INDICATORS, as_of=NOW,
            )
        )  # fmt: skip
        await session.commit()


async def _counts(deps) -> dict[str, int]:
    tables = (action_plans, plan_transitions, obligations, expected_reports, progress_reports,
              support_requests, outbox)  # fmt: skip
    async with deps.sessions() as session:
        return {t.name: await session.scalar(select(func.count()).select_from(t)) for t in tables}


async def _statuses(deps, today: date) -> dict[str, list[ComplianceStatus]]:
    e = expected_reports
    async with deps.sessions() as session:
        rows = (await session.execute(select(e).order_by(e.c.cycle_code))).all()
    found: dict[str, list[ComplianceStatus]] = {}
    for r in rows:
        status = compliance_status(ReportState(r.report_state), r.due_on, r.lock_on, today)
        found.setdefault(r.organisation_id, []).append(status)
    return found


async def test_the_demo_shows_three_closed_cycles_of_every_kind_and_seeds_once(
    reporting_deps,
) -> None:
    await _registry_demo_facts(reporting_deps)
    assert await seed_demo(reporting_deps, wait_s=1, poll_s=0.05) is True
    first = await _counts(reporting_deps)
    assert await seed_demo(reporting_deps, wait_s=1, poll_s=0.05) is False
    assert await _counts(reporting_deps) == first

    assert await _statuses(reporting_deps, NOW.date()) == EXPECTED
    assert [c.code for c in closed_cycles(NOW)] == ["2024-H2", "2025-H1", "2025-H2"]
    async with reporting_deps.sessions() as session:
        late = await session.scalar(
            select(func.count()).where(progress_reports.c.on_time.is_(False))
        )
        asks = await session.scalar(select(func.count()).select_from(support_requests))
    assert late == 2
    assert asks == 4


async def test_without_the_registry_the_demo_gives_up_and_writes_nothing(reporting_deps) -> None:
    assert await seed_demo(reporting_deps, wait_s=0.2, poll_s=0.05) is False
    counts = await _counts(reporting_deps)
    assert set(counts.values()) == {0}
