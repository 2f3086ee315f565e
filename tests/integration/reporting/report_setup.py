"""Setting the scene for report tests: an approved plan with its obligation, an award with its
grant obligation, and shortcuts through the report handlers.

Reports are written once their cycle is open: `create` moves the clock (NOW, 2 March 2026) on to
WINDOW, a day 2026-H1 is open for reports (it opens on 17 June), unless a test already moved it
further."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from services.common import demo_ids
from services.common.auth import SYSTEM, Principal
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.deps import ReportingDeps
from services.reporting.domain.plans import PlanContent, content_to_record
from services.reporting.domain.report_rules import UPDATABLE
from services.reporting.domain.reports import ReportContent, ReportKind
from services.reporting.handlers import reports as handlers
from services.reporting.handlers.obligations import open_grant_obligation, open_plan_obligation
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.plans import action_plans, plan_versions
from services.reporting.orm.read_model import known_awards, known_calls
from services.reporting.queries.reports import ReportView
from tests.integration.reporting.conftest import NOW, RIVERTON_CITY

WINDOW = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Grant:
    award_id: str
    call_id: str
    obligation_id: str


def _stamps() -> dict:
    return {"created_at": NOW, "created_by": "seed", "updated_at": NOW, "updated_by": "seed"}


async def approved_plan(
    deps: ReportingDeps,
    content: PlanContent,
    *,
    org: str = demo_ids.RIVERTON,
    place: str = RIVERTON_CITY,
    reviewer: str = demo_ids.CENTRE,
    start_on: date = date(2025, 7, 1),
) -> str:
    """An approved version 1 of a plan, stored directly, and the obligation its approval opens;
    returns the obligation id."""
    plan_id = str(uuid.uuid4())
    plan = {
        "id": plan_id, "owner_org_id": org, "jurisdiction_id": place, "reviewing_org_id": reviewer,
        "current_version": 1, "approved_version": 1, "state": "approved", "version": 1,
        **_stamps(),
    }  # fmt: skip
    version = {
        "plan_id": plan_id, "number": 1, "state": "approved",
        "content": content_to_record(content), "submitted_at": NOW, "approved_at": NOW,
        **_stamps(),
    }  # fmt: skip
    async with deps.uow(SYSTEM) as uow:
        await uow.session.execute(insert(action_plans).values(**plan))
        await uow.session.execute(insert(plan_versions).values(**version))
        obligation_id = await open_plan_obligation(
            uow, plan_id=plan_id, organisation_id=org, jurisdiction_id=place,
            reviewing_org_id=reviewer, start_on=start_on, end_on=None,
        )  # fmt: skip
        await uow.commit()
    return obligation_id


async def award(
    deps: ReportingDeps,
    *,
    grantee: str = demo_ids.BRIDGES,
    manager_org: str = demo_ids.RIVERTON,
    funders: tuple[str, ...] = (demo_ids.TELECOM,),
    place: str | None = RIVERTON_CITY,
) -> Grant:
    """A call and an award as the grants service announced them, and the award's obligation."""
    call_id, award_id = str(uuid.uuid4()), str(uuid.uuid4())
    async with deps.uow(SYSTEM) as uow:
        await uow.session.execute(
            insert(known_calls).values(
                id=call_id, managing_org_id=manager_org, title="Youth fund", as_of=NOW
            )
        )
        await uow.session.execute(
            insert(known_awards).values(
                id=award_id, call_id=call_id, grantee_org_id=grantee,
                funder_org_ids=list(funders), periodicity="semiannual",
                final_evaluation_required=True, award_time=NOW, as_of=NOW,
            )
        )  # fmt: skip
        obligation_id = await open_grant_obligation(
            uow, award_id=award_id, call_id=call_id, organisation_id=grantee,
            jurisdiction_id=place, reviewing_org_id=manager_org,
            periodicity=ReportingPeriodicity.SEMIANNUAL, start_on=date(2025, 7, 1),
            final_evaluation_required=True,
        )  # fmt: skip
        await uow.commit()
    return Grant(award_id, call_id, obligation_id)


async def create(
    deps: ReportingDeps,
    actor: Principal,
    obligation_id: str,
    cycle: str = "2026-H1",
    kind: ReportKind = ReportKind.PROGRESS,
) -> ReportView:
    if deps.clock.now() < WINDOW:
        deps.clock.set(WINDOW)  # type: ignore[attr-defined]
    cmd = handlers.CreateReport(obligation_id, cycle, kind)
    return await handlers.create_report(deps.uow(actor), cmd)


async def fill(
    deps: ReportingDeps, actor: Principal, report_id: str, content: ReportContent, *paths: str
) -> ReportView:
    cmd = handlers.UpdateReport(report_id, content, frozenset(paths or UPDATABLE))
    return await handlers.update_report(deps.uow(actor), cmd)


async def submit(deps: ReportingDeps, actor: Principal, report_id: str) -> ReportView:
    return await handlers.submit_report(deps.uow(actor), handlers.SubmitReport(report_id))


async def return_(
    deps: ReportingDeps, actor: Principal, report_id: str, reason: str = "Please complete", *c
) -> ReportView:
    cmd = handlers.ReturnReport(report_id, reason, tuple(c))
    return await handlers.return_report(deps.uow(actor), cmd)


async def accept(deps: ReportingDeps, actor: Principal, report_id: str) -> ReportView:
    cmd = handlers.AcceptReport(report_id, "Thank you")
    return await handlers.accept_report(deps.uow(actor), cmd)


async def reopen(deps: ReportingDeps, actor: Principal, report_id: str, reason: str) -> ReportView:
    return await handlers.reopen_report(deps.uow(actor), handlers.ReopenReport(report_id, reason))


async def expected_row(deps: ReportingDeps, obligation_id: str, cycle: str):
    """The expected_reports row of an obligation's cycle."""
    e = expected_reports
    query = select(e).where(e.c.obligation_id == obligation_id, e.c.cycle_code == cycle)
    async with deps.sessions() as session:
        return (await session.execute(query)).one()
