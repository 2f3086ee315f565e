"""Seed helpers of the national-view tests (no tests here): cycles, obligations and expected
reports written straight into the tables, as the cycles and reports handlers would leave them.

The scenario (clock at 2026-03-02; cycles 2025-H1, 2025-H2, 2026-H1):
    Riverton's plan (CENTRE reviews):  accepted, submitted, draft
    Lakeside's plan (CENTRE reviews):  returned, none, none
    Telecom's grant at country level (CENTRE reviews): none, accepted, - (ended)
    Bridges' grant in Riverton (OTHER_BODY reviews): submitted, none, - (ended)
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert

from services.common import demo_ids
from services.common.auth import Principal
from services.reporting.deps import ReportingDeps
from services.reporting.domain.access import reviewing_scope
from services.reporting.domain.compliance import ComplianceStatus, ReportState, compliance_status
from services.reporting.domain.cycles import cycle_from_code
from services.reporting.orm.obligations import expected_reports, obligations, reporting_cycles
from tests.integration.reporting.conftest import (
    COUNTRY,
    LAKESIDE_CITY,
    NOW,
    OTHER_BODY,
    RIVERTON_CITY,
)

CYCLES = ["2025-H1", "2025-H2", "2026-H1"]


@dataclass(frozen=True)
class Expected:
    """One expected report as seeded."""

    obligation_id: str
    cycle_code: str
    kind: str
    organisation_id: str
    jurisdiction_id: str
    reviewing_org_id: str
    report_state: str
    report_id: str | None

    def status(self, today: date) -> ComplianceStatus:
        cycle = cycle_from_code(self.cycle_code)
        return compliance_status(ReportState(self.report_state), cycle.due_on, cycle.lock_on, today)


@dataclass(frozen=True)
class Duty:
    organisation_id: str
    jurisdiction_id: str
    reviewing_org_id: str
    kind: str
    states: tuple[str, ...]


SCENARIO = (
    Duty(demo_ids.RIVERTON, RIVERTON_CITY, demo_ids.CENTRE, "action_plan",
         ("accepted", "submitted", "draft")),
    Duty(demo_ids.LAKESIDE, LAKESIDE_CITY, demo_ids.CENTRE, "action_plan",
         ("returned", "none", "none")),
    Duty(demo_ids.TELECOM, COUNTRY, demo_ids.CENTRE, "grant", ("none", "accepted")),
    Duty(demo_ids.BRIDGES, RIVERTON_CITY, OTHER_BODY, "action_plan", ("submitted", "none")),
)  # fmt: skip


def _cycle_row(code: str) -> dict:
    c = cycle_from_code(code)
    return {
        "code": c.code,
        "periodicity": str(c.periodicity),
        "fiscal_start_month": c.fiscal_start_month,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "open_on": c.open_on,
        "due_on": c.due_on,
        "grace_days": c.grace_days,
        "lock_on": c.lock_on,
    }


def _obligation_row(obligation_id: str, duty: Duty) -> dict:
    return {
        "id": obligation_id,
        "kind": duty.kind,
        "organisation_id": duty.organisation_id,
        "jurisdiction_id": duty.jurisdiction_id,
        "reviewing_org_id": duty.reviewing_org_id,
        "plan_id": None,
        "award_id": None,
        "call_id": None,
        "periodicity": "semiannual",
        "fiscal_start_month": 1,
        "start_on": date(2025, 1, 1),
        # Ends with its last seeded cycle, so the scheduler never adds one.
        "end_on": cycle_from_code(CYCLES[len(duty.states) - 1]).period_end,
        "final_evaluation_required": False,
        "created_at": NOW,
    }


def _expected_row(e: Expected) -> dict:
    cycle = cycle_from_code(e.cycle_code)
    submitted = e.report_state in ("submitted", "accepted", "returned")
    return {
        **asdict(e),
        "due_on": cycle.due_on,
        "lock_on": cycle.lock_on,
        "submitted_at": datetime(2025, 7, 1, tzinfo=UTC) if submitted else None,
    }


async def seed_cycles(deps: ReportingDeps, codes: list[str] = CYCLES) -> None:
    async with deps.sessions() as session:
        await session.execute(insert(reporting_cycles), [_cycle_row(c) for c in codes])
        await session.commit()


async def seed_duties(deps: ReportingDeps, duties: tuple[Duty, ...] = SCENARIO) -> list[Expected]:
    """One obligation per duty and an expected report per state, cycle by cycle from 2025-H1."""
    made: list[Expected] = []
    obligation_rows = []
    for duty in duties:
        obligation_id = str(uuid.uuid4())
        obligation_rows.append(_obligation_row(obligation_id, duty))
        for code, state in zip(CYCLES, duty.states, strict=False):
            report = None if state == "none" else str(uuid.uuid4())
            made.append(
                Expected(
                    obligation_id, code, duty.kind, duty.organisation_id, duty.jurisdiction_id,
                    duty.reviewing_org_id, state, report,
                )
            )  # fmt: skip
    async with deps.sessions() as session:
        await session.execute(insert(obligations), obligation_rows)
        await session.execute(insert(expected_reports), [_expected_row(e) for e in made])
        await session.commit()
    return made


async def seed_scenario(deps: ReportingDeps) -> list[Expected]:
    """The cycles and the expected reports of the module docstring."""
    await seed_cycles(deps)
    return await seed_duties(deps)


def visible(rows: list[Expected], actor: Principal) -> list[Expected]:
    """The seeded rows a caller's national view may count: a reviewer its body's plan reports."""
    scope = reviewing_scope(actor)
    if scope is None:
        return rows
    return [e for e in rows if e.reviewing_org_id == scope and e.kind == "action_plan"]


def tally(
    rows: list[Expected], today: date, where: Callable[[Expected], bool] = lambda _e: True
) -> Counter:
    """Statuses of the chosen rows on today, by the domain's compliance_status."""
    return Counter(e.status(today) for e in rows if where(e))
