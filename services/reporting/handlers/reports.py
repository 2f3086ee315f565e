"""Progress report use cases: start (pre-filled from the approved plan), edit, submit, and the
reviewer's return, accept and reopen. Each transition mirrors the report's state to its expected
report, writes or removes its indicator values (with roll-ups) and support requests, and records
and announces what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import select

from services.common.auth import Principal, Role
from services.common.clock import today
from services.common.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    invalid,
)
from services.common.resource_names import new_id
from services.common.text import check_reason
from services.common.uow import UnitOfWork
from services.common.versioned import check_etag
from services.reporting.convert.cycles import obligation_name
from services.reporting.convert.reports import evaluation_published, report_changed, report_name
from services.reporting.domain import report_workflow as workflow
from services.reporting.domain.access import may_read, may_review
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.obligations import Obligation, ObligationKind
from services.reporting.domain.plans import Direction, PlanContent, ReviewComment
from services.reporting.domain.report_rules import (
    UPDATABLE,
    apply_update,
    completeness_gaps,
    prefill,
)
from services.reporting.domain.report_workflow import Report
from services.reporting.domain.reports import ReportContent, ReportKind
from services.reporting.handlers.obligations import end_obligation
from services.reporting.orm import report_rows as rows
from services.reporting.orm.obligation_rows import load_cycle, load_obligation
from services.reporting.orm.obligations import expected_reports
from services.reporting.orm.plan_rows import load_plan, load_version
from services.reporting.orm.reports import progress_reports
from services.reporting.orm.rollups import IndicatorValue, apply_values, remove_values
from services.reporting.queries.reports import ReportView, get_visible_report, report_view

SUBJECT = "nlc.reporting.report"
EVALUATION_PUBLISHED = "nlc.reporting.evaluation.published"


@dataclass(frozen=True)
class CreateReport:
    obligation_id: str
    cycle_code: str
    kind: ReportKind = ReportKind.PROGRESS


@dataclass(frozen=True)
class UpdateReport:
    report_id: str
    content: ReportContent
    paths: frozenset[str]
    etag: str = ""


@dataclass(frozen=True)
class SubmitReport:
    report_id: str
    etag: str = ""


@dataclass(frozen=True)
class ReturnReport:
    report_id: str
    reason: str
    comments: tuple[ReviewComment, ...] = ()
    etag: str = ""


@dataclass(frozen=True)
class AcceptReport:
    report_id: str
    note: str = ""
    etag: str = ""


@dataclass(frozen=True)
class ReopenReport:
    report_id: str
    reason: str


def is_writer(actor: Principal, organisation_id: str, *, grant: bool) -> bool:
    """A city officer (plan reports) or CSO member (grant reports) of the owning organisation."""
    role = Role.CSO_MEMBER if grant else Role.CITY_OFFICER
    return actor.org_id is not None and actor.org_id == organisation_id and actor.has_any(role)


# Loading -----------------------------------------------------------------------------------


async def _obligation(uow: UnitOfWork, obligation_id: str) -> Obligation:
    """The obligation, if the caller may write its reports (NotFound when it may not see it)."""
    found = await load_obligation(uow.session, id=obligation_id)
    grant = found is not None and found.kind == ObligationKind.GRANT
    if found is None or not may_read(
        uow.actor,
        owner_org_id=found.organisation_id,
        reviewing_org_id=found.reviewing_org_id,
        grant=grant,
    ):
        raise NotFound(f"reporting obligation {obligation_id} not found")
    if not is_writer(uow.actor, found.organisation_id, grant=grant):
        who = "a CSO member" if grant else "a city officer"
        raise PermissionDenied(f"only {who} of the reporting organisation writes its reports")
    return found


async def _own(uow: UnitOfWork, report_id: str, etag: str = "") -> Report:
    view = await get_visible_report(uow.session, report_id, uow.actor)
    report = view.report
    if not is_writer(uow.actor, report.organisation_id, grant=report.is_grant):
        raise PermissionDenied("only the reporting organisation changes its report")
    check_etag(etag, report.version, "the report")
    return report


async def _reviewed(uow: UnitOfWork, report_id: str, etag: str = "") -> Report:
    view = await get_visible_report(uow.session, report_id, uow.actor)
    report = view.report
    if not may_review(uow.actor, report.reviewing_org_id, grant=report.is_grant):
        raise PermissionDenied("only the report's reviewers return, accept or reopen it")
    check_etag(etag, report.version, "the report")
    return report


async def _plan(uow: UnitOfWork, report: Report) -> PlanContent | None:
    """The content of the plan version the report follows (None for grant reports)."""
    if report.plan_id is None or report.plan_version is None:
        return None
    version = await load_version(uow.session, report.plan_id, report.plan_version)
    if version is None:
        raise FailedPrecondition("the plan version this report follows no longer exists")
    return version.content


async def _approved_plan(uow: UnitOfWork, plan_id: str) -> tuple[int, PlanContent]:
    plan = await load_plan(uow.session, plan_id)
    version = await load_version(uow.session, plan_id, plan.approved_version) if plan else None
    if version is None:
        raise FailedPrecondition("the action plan has no approved version to report on")
    return version.number, version.content


# Side effects of transitions ---------------------------------------------------------------


def _indicator_values(report: Report, plan: PlanContent | None) -> list[IndicatorValue]:
    """The values the national roll-ups count: indicators linked to a standard indicator, under
    the report's reviewing body."""
    if plan is None or report.jurisdiction_id is None:
        return []
    values = []
    for actual in report.content.indicators:
        planned = plan.indicator(actual.indicator_code)
        if planned is None or not planned.standard_code or not actual.has_value:
            continue
        values.append(
            IndicatorValue(
                report_id=report.id,
                indicator_code=planned.code,
                standard_code=planned.standard_code,
                cycle_code=report.cycle_code,
                jurisdiction_id=report.jurisdiction_id,
                reviewing_org_id=report.reviewing_org_id,
                aggregation=planned.aggregation.value,
                direction=(planned.direction or Direction.UP).value,
                value=actual.value,
                target=planned.target_for(report.cycle_code) or 0.0,
                baseline=planned.baseline,
            )
        )
    return values


async def _publish(uow: UnitOfWork, report: Report, plan: PlanContent | None) -> None:
    await remove_values(uow.session, [report.id])
    await apply_values(uow.session, _indicator_values(report, plan))
    await rows.write_support_requests(uow.session, report)


async def _withdraw(uow: UnitOfWork, report: Report) -> None:
    await remove_values(uow.session, [report.id])
    await rows.delete_support_requests(uow.session, report.id)


async def _end_obligation(uow: UnitOfWork, obligation_id: str, cycle_code: str) -> None:
    """The obligation ends with the cycle of its final evaluation; later cycles whose report was
    never started are no longer expected."""
    cycle = await load_cycle(uow.session, cycle_code)
    if cycle is None:
        return
    await end_obligation(uow, obligation_id, cycle.period_end)
    details = {"end_on": cycle.period_end.isoformat(), "final_evaluation_cycle": cycle_code}
    uow.audit(obligation_name(obligation_id), "ended", details)


async def _save(
    uow: UnitOfWork,
    report: Report,
    action: str,
    details: dict,
    *,
    event: str | None = None,
    reason: str = "",
    then: tuple[tuple[str, Message], ...] = (),
) -> ReportView:
    """Save, audit, emit nlc.reporting.report.<event> when given and then the events in then;
    commits."""
    await rows.save_report(uow.session, report, uow.stamp())
    view = await report_view(uow.session, report.id)
    uow.audit(report_name(report.id), action, {"state": report.state.value, **details})
    if event is not None:
        uow.emit(f"{SUBJECT}.{event}", report_changed(view, reason))
    for subject, message in then:
        uow.emit(subject, message)
    await uow.commit()
    return view


# Use cases ---------------------------------------------------------------------------------


async def _expected(uow: UnitOfWork, obligation_id: str, cycle_code: str) -> Any:
    e = expected_reports
    query = select(e).where(e.c.obligation_id == obligation_id, e.c.cycle_code == cycle_code)
    found = (await uow.session.execute(query)).first()
    if found is None:
        raise FailedPrecondition(f"no report is expected from you for cycle {cycle_code}")
    return found


async def _check_new(uow: UnitOfWork, cmd: CreateReport) -> None:
    r = progress_reports
    taken = await uow.session.scalar(
        select(r.c.id).where(
            r.c.obligation_id == cmd.obligation_id,
            r.c.cycle_code == cmd.cycle_code,
            r.c.kind == cmd.kind.value,
        )
    )
    if taken is not None:
        raise AlreadyExists(
            f"the {cmd.kind.value.replace('_', ' ')} report for cycle {cmd.cycle_code} already "
            f"exists: {report_name(taken)}"
        )


async def create_report(uow: UnitOfWork, cmd: CreateReport) -> ReportView:
    """A draft for an expected report, pre-filled from the plan version in force."""
    async with uow:
        obligation = await _obligation(uow, cmd.obligation_id)
        if cmd.kind == ReportKind.FINAL_EVALUATION and obligation.kind != ObligationKind.GRANT:
            raise FailedPrecondition("final evaluations are written for grants, not action plans")
        expected = await _expected(uow, obligation.id, cmd.cycle_code)
        await _check_new(uow, cmd)
        number, plan = None, None
        if obligation.plan_id is not None:
            number, plan = await _approved_plan(uow, obligation.plan_id)
        report = Report(
            id=new_id(),
            obligation_id=obligation.id,
            cycle_code=cmd.cycle_code,
            kind=cmd.kind,
            organisation_id=obligation.organisation_id,
            jurisdiction_id=obligation.jurisdiction_id,
            reviewing_org_id=obligation.reviewing_org_id,
            plan_id=obligation.plan_id,
            plan_version=number,
            award_id=obligation.award_id,
            due_on=expected.due_on,
            lock_on=expected.lock_on,
            content=prefill(plan, cmd.cycle_code),
        )
        await rows.add_report(uow.session, report, uow.stamp())
        view = await report_view(uow.session, report.id)
        details = {"obligation": obligation.id, "cycle": cmd.cycle_code, "kind": cmd.kind.value}
        uow.audit(report_name(report.id), "create", details)
        await uow.commit()
    return view


async def update_report(uow: UnitOfWork, cmd: UpdateReport) -> ReportView:
    """Save the sections in cmd.paths of a draft or returned report, complete or not."""
    unknown = cmd.paths - set(UPDATABLE)
    if unknown:
        raise invalid("update_mask.paths", f"cannot change {', '.join(sorted(unknown))[:200]}")
    async with uow:
        report = await _own(uow, cmd.report_id, cmd.etag)
        workflow.require_editable(report, today(uow.clock))
        report.content = apply_update(
            report.content,
            cmd.content,
            cmd.paths,
            kind=report.kind,
            plan=await _plan(uow, report),
            new_id=new_id,
        )
        return await _save(uow, report, "update", {"paths": sorted(cmd.paths)})


async def _require_open(uow: UnitOfWork, cycle_code: str, today: date) -> None:
    """FailedPrecondition while the cycle is not open for reports yet (drafts are fine)."""
    cycle = await load_cycle(uow.session, cycle_code)
    if cycle is not None and today < cycle.open_on:
        raise FailedPrecondition(
            f"cycle {cycle_code} opens for reports on {cycle.open_on}; "
            "keep the draft and submit it from then"
        )


async def submit_report(uow: UnitOfWork, cmd: SubmitReport) -> ReportView:
    """To the reviewer, when complete; otherwise one violation per gap."""
    async with uow:
        report = await _own(uow, cmd.report_id, cmd.etag)
        now = uow.clock.now()
        workflow.require_editable(report, now.date(), doing="submitted")
        await _require_open(uow, report.cycle_code, now.date())
        plan = await _plan(uow, report)
        gaps = completeness_gaps(report.kind, report.content, plan)
        if gaps:
            summary = "; ".join(g.description for g in gaps[:5])
            raise FailedPrecondition(
                f"the report is not complete ({len(gaps)} gaps): {summary}", gaps
            )
        resubmitted = report.state == ReportState.RETURNED
        workflow.submit(report, now)
        await _publish(uow, report, plan)
        details = {"on_time": report.on_time, "resubmission": resubmitted}
        return await _save(uow, report, "submit", details, event="submitted")


async def return_report(uow: UnitOfWork, cmd: ReturnReport) -> ReportView:
    """Back to its writers with a reason and anchored comments; its values leave the roll-ups."""
    async with uow:
        report = await _reviewed(uow, cmd.report_id, cmd.etag)
        workflow.return_report(report, cmd.reason, cmd.comments)
        await _withdraw(uow, report)
        reason = report.return_reason
        details = {"reason": reason, "comments": len(report.comments)}
        return await _save(uow, report, "return", details, event="returned", reason=reason)


async def accept_report(uow: UnitOfWork, cmd: AcceptReport) -> ReportView:
    """Accepted and locked; an accepted final evaluation is published and ends the obligation."""
    async with uow:
        note = check_reason(cmd.note, "note", required=False)
        report = await _reviewed(uow, cmd.report_id, cmd.etag)
        workflow.accept(report, uow.clock.now())
        published: tuple[tuple[str, Message], ...] = ()
        if report.kind == ReportKind.FINAL_EVALUATION:
            published = ((EVALUATION_PUBLISHED, evaluation_published(report)),)
            await _end_obligation(uow, report.obligation_id, report.cycle_code)
        return await _save(
            uow, report, "accept", {"note": note}, event="accepted", reason=note, then=published
        )


async def reopen_report(uow: UnitOfWork, cmd: ReopenReport) -> ReportView:
    """Back to draft after acceptance or the cycle's lock, with the reviewer's reason."""
    async with uow:
        report = await _reviewed(uow, cmd.report_id)
        was = workflow.reopen(report, cmd.reason, today(uow.clock))
        if was == ReportState.ACCEPTED:
            await _withdraw(uow, report)
        details = {"reason": report.reopen_reason, "from": was.value}
        return await _save(uow, report, "reopen", details)
