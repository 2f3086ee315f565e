"""Seeding the reporting demo through the real handlers: resumable and idempotent.

Plans need the registry's places, mandates and strategy in the read model, so the seed waits for
them (the consumer already runs); without a registry it gives up with a warning. Each step looks at
the current state first and moves it one step on, with the clock set to when the step happened.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from services.common.auth import Principal, Role
from services.common.clock import FixedClock
from services.common.demo_ids import CENTRE, RIVERTON, STRATEGY
from services.common.errors import AlreadyExists, Conflict
from services.common.uow import UnitOfWork
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.demo_data import (
    PLAN_CHANGES,
    PLAN_CHANGES_REASON,
    PLAN_IDS,
    REPORT_RETURN,
    REPORT_RETURN_REASON,
    REPORTS,
    DemoReport,
    plan_content,
)
from services.reporting.demo_reports import report_content
from services.reporting.deps import ReportingDeps
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.cycles import Cycle, cycle_containing
from services.reporting.domain.plans import PlanState
from services.reporting.handlers import plans as plan_handlers
from services.reporting.handlers import reports as report_handlers
from services.reporting.handlers.obligations import ensure_expected_reports
from services.reporting.orm.obligation_rows import load_obligation
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.read_model import known_frameworks, known_mandates
from services.reporting.queries.plans import find_plan
from services.reporting.queries.reports import find_report

log = logging.getLogger("nlc.reporting.demo")

WAIT_S = 30.0
POLL_S = 0.25
CLOSED_CYCLES = 3
REVIEWER = Principal("demo-seed-reviewer", "reviewer", frozenset({Role.NATIONAL_REVIEWER}), CENTRE)


def officer(org_id: str) -> Principal:
    """The city officer who writes org_id's plan and reports in the demo."""
    return Principal(f"demo-seed-{org_id}", "city", frozenset({Role.CITY_OFFICER}), org_id)


def closed_cycles(today: datetime) -> list[Cycle]:
    """The last CLOSED_CYCLES semiannual cycles locked before today, oldest first."""
    cycle = cycle_containing(today.date(), ReportingPeriodicity.SEMIANNUAL, 1)
    found: list[Cycle] = []
    while len(found) < CLOSED_CYCLES:
        cycle = cycle_containing(
            cycle.period_start - timedelta(days=1), ReportingPeriodicity.SEMIANNUAL, 1
        )
        if cycle.lock_on < today.date():
            found.insert(0, cycle)
    return found


def _at(deps: ReportingDeps, day: datetime, actor: Principal) -> UnitOfWork:
    """A unit of work for actor whose clock reads day."""
    return replace(deps.uow, clock=FixedClock(day))(actor)  # type: ignore[type-var]


async def _read_model_ready(deps: ReportingDeps) -> bool:
    async with deps.sessions() as session:
        framework = await session.scalar(
            select(known_frameworks.c.state).where(known_frameworks.c.id == STRATEGY)
        )
        mandates = set(await session.scalars(select(known_mandates.c.organisation_id)))
    return framework == "adopted" and set(PLAN_IDS) <= mandates


async def wait_for_read_model(deps: ReportingDeps, deadline_s: float, poll_s: float) -> bool:
    """Poll until the strategy and the demo mandates arrived from the registry."""
    loop = asyncio.get_running_loop()
    until = loop.time() + deadline_s
    while not await _read_model_ready(deps):
        if loop.time() >= until:
            return False
        await asyncio.sleep(poll_s)
    return True


async def _plan_step(deps: ReportingDeps, owner: str, cycles: list[Cycle]) -> bool:
    """Move owner's plan one step towards approval; False once it is approved."""
    plan_id = PLAN_IDS[owner]
    start = datetime.combine(cycles[0].period_start, time(10), UTC) + timedelta(days=20)
    async with deps.sessions() as session:
        found = await find_plan(session, plan_id)
    codes = [c.code for c in cycles]
    codes += [cycles[-1].next().code, cycles[-1].next().next().code]
    content = plan_content(owner, STRATEGY, cycles[0].period_start, codes)
    city = officer(owner)
    if found is None:
        create = plan_handlers.CreatePlan(content, owner_org_id=owner, plan_id=plan_id)
        await plan_handlers.create_plan(_at(deps, start, city), create)
        return True
    state = found[0].state
    if state == PlanState.DRAFT:
        await plan_handlers.submit_plan(
            _at(deps, start + timedelta(days=1), city), plan_handlers.SubmitPlan(plan_id)
        )
    elif state == PlanState.SUBMITTED and owner == RIVERTON:
        ask = plan_handlers.RequestChanges(plan_id, PLAN_CHANGES_REASON, (PLAN_CHANGES,))
        await plan_handlers.request_changes(_at(deps, start + timedelta(days=3), REVIEWER), ask)
    elif state == PlanState.CHANGES_REQUESTED:
        resubmit = plan_handlers.SubmitPlan(plan_id, note="The baseline is dated now.")
        await plan_handlers.submit_plan(_at(deps, start + timedelta(days=5), city), resubmit)
    elif state in (PlanState.SUBMITTED, PlanState.RESUBMITTED):
        approve = plan_handlers.ApprovePlan(plan_id, note="Aligned with the national strategy.")
        await plan_handlers.approve_plan(_at(deps, start + timedelta(days=7), REVIEWER), approve)
    else:
        return False
    return True


async def _report_id(deps: ReportingDeps, obligation_id: str, cycle: Cycle) -> str | None:
    e = expected_reports
    async with deps.sessions() as session:
        return await session.scalar(
            select(e.c.report_id).where(
                e.c.obligation_id == obligation_id, e.c.cycle_code == cycle.code
            )
        )


async def _report_step(deps: ReportingDeps, demo: DemoReport, cycle: Cycle) -> bool:
    """Move one demo report one step towards its outcome; False once it got there."""
    async with deps.sessions() as session:
        obligation = await load_obligation(session, plan_id=PLAN_IDS[demo.owner])
    if obligation is None or demo.sent is None:
        return False
    due = datetime.combine(cycle.due_on, time(11), UTC)
    sent = due + (timedelta(days=4) if demo.sent == "late" else timedelta(days=-6))
    city, h = officer(demo.owner), report_handlers
    report_id = await _report_id(deps, obligation.id, cycle)
    view = None
    if report_id is not None:
        async with deps.sessions() as session:
            view = await find_report(session, report_id)
    if view is None:
        create = h.CreateReport(obligation.id, cycle.code)
        await h.create_report(_at(deps, sent - timedelta(days=2), city), create)
        return True
    r = view.report
    if r.state in (ReportState.DRAFT, ReportState.RETURNED):
        if r.state == ReportState.RETURNED and demo.outcome == "returned":
            return False
        at = sent if r.state == ReportState.DRAFT else sent + timedelta(days=6)
        content, paths = report_content(r, cycle, demo)
        await h.update_report(_at(deps, at, city), h.UpdateReport(r.id, content, paths))
        await h.submit_report(_at(deps, at, city), h.SubmitReport(r.id))
    elif r.state == ReportState.SUBMITTED and demo.returned_first and not r.return_reason:
        back = h.ReturnReport(r.id, REPORT_RETURN_REASON, (REPORT_RETURN,))
        await h.return_report(_at(deps, sent + timedelta(days=3), REVIEWER), back)
    elif r.state == ReportState.SUBMITTED and demo.outcome == "accepted":
        accept = h.AcceptReport(r.id, note="Thank you: clear and complete.")
        await h.accept_report(_at(deps, sent + timedelta(days=9), REVIEWER), accept)
    else:
        return False
    return True


async def _steps(deps: ReportingDeps, cycles: list[Cycle]) -> bool:
    changed = False
    for owner in PLAN_IDS:
        while await _plan_step(deps, owner, cycles):
            changed = True
    added = await ensure_expected_reports(deps.uow(REVIEWER), deps.clock.now().date())
    for demo in REPORTS:
        while await _report_step(deps, demo, cycles[demo.cycle]):
            changed = True
    return changed or added > 0


async def seed_demo(deps: ReportingDeps, *, wait_s: float = WAIT_S, poll_s: float = POLL_S) -> bool:
    """Seed the reporting demo, creating only what is missing; True when something changed."""
    if not await wait_for_read_model(deps, wait_s, poll_s):
        log.warning("registry demo places and strategy never arrived; reporting demo not seeded")
        return False
    try:
        return await _steps(deps, closed_cycles(deps.clock.now()))
    except (AlreadyExists, Conflict):
        return False  # another replica is seeding at the same time; it finishes the job
