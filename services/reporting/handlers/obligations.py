"""Obligations: opened by other use cases inside their unit of work (a plan's approval, an award
event), and extended by the scheduler to the cycle containing today."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import delete, select, update

from services.common.clock import today as today_of
from services.common.resource_names import new_id
from services.common.uow import UnitOfWork
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.convert.cycles import obligation_name
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.cycles import Cycle, cycle_containing
from services.reporting.domain.obligations import (
    DEFAULT_FISCAL_START_MONTH,
    Obligation,
    ObligationKind,
    expected_cycles,
)
from services.reporting.orm import obligation_rows as rows
from services.reporting.orm.obligations import expected_reports, obligations, reporting_cycles
from services.reporting.orm.read_model_rows import mandate_series
from services.reporting.orm.reports import progress_reports, support_requests
from services.reporting.orm.rollups import move_values

# Ended obligations the scheduler still checks for cycles it missed.
ENDED_LOOKBACK = timedelta(days=366)
# Expected reports whose review has not ended follow the obligation's reviewing organisation.
OPEN_STATES = (ReportState.NONE, ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED)


async def _extend(uow: UnitOfWork, obligation: Obligation, today: date) -> int:
    cycles = expected_cycles(
        obligation.periodicity,
        obligation.fiscal_start_month,
        obligation.start_on,
        obligation.end_on,
        today,
    )
    return await rows.add_expected_reports(uow.session, obligation, cycles)


async def _open(uow: UnitOfWork, obligation: Obligation) -> str:
    await rows.insert_obligation(uow.session, obligation)
    added = await _extend(uow, obligation, today_of(uow.clock))
    uow.audit(
        obligation_name(obligation.id),
        "opened",
        {
            "kind": obligation.kind.value,
            "organisation_id": obligation.organisation_id,
            "reviewing_org_id": obligation.reviewing_org_id,
            "periodicity": obligation.periodicity.value,
            "start_on": obligation.start_on.isoformat(),
            "expected_reports": added,
        },
    )
    return obligation.id


async def drop_unstarted_after(uow: UnitOfWork, obligation_id: str, end_on: date) -> None:
    """Reports not started for cycles ending after end_on are no longer expected."""
    t = expected_reports
    past_end = select(reporting_cycles.c.code).where(reporting_cycles.c.period_end > end_on)
    await uow.session.execute(
        delete(t).where(
            t.c.obligation_id == obligation_id,
            t.c.report_state == ReportState.NONE.value,
            t.c.cycle_code.in_(past_end),
        )
    )


async def end_obligation(uow: UnitOfWork, obligation_id: str, end_on: date) -> None:
    """The obligation ends on end_on (a final evaluation was accepted)."""
    await rows.update_obligation(uow.session, obligation_id, end_on=end_on)
    await drop_unstarted_after(uow, obligation_id, end_on)


async def _hand_over_open_reports(uow: UnitOfWork, obligation_id: str, reviewer: str) -> None:
    """Reports not yet accepted go to the new reviewing body, with their asks and values."""
    p, s = progress_reports, support_requests
    open_states = [state.value for state in OPEN_STATES if state != ReportState.NONE]
    ids = list(
        await uow.session.scalars(
            select(p.c.id).where(p.c.obligation_id == obligation_id, p.c.state.in_(open_states))
        )
    )
    if not ids:
        return
    await uow.session.execute(update(p).where(p.c.id.in_(ids)).values(reviewing_org_id=reviewer))
    await uow.session.execute(
        update(s).where(s.c.report_id.in_(ids)).values(reviewing_org_id=reviewer)
    )
    await move_values(uow.session, ids, reviewer)


async def _follow_plan(
    uow: UnitOfWork, found: Obligation, reviewing_org_id: str, end_on: date | None
) -> str:
    """An amendment's approval: new end date and reviewer; reports not started past the new end
    are no longer expected."""
    t = expected_reports
    await rows.update_obligation(
        uow.session, found.id, end_on=end_on, reviewing_org_id=reviewing_org_id
    )
    await uow.session.execute(
        update(t)
        .where(t.c.obligation_id == found.id, t.c.report_state.in_([s.value for s in OPEN_STATES]))
        .values(reviewing_org_id=reviewing_org_id)
    )
    await _hand_over_open_reports(uow, found.id, reviewing_org_id)
    if end_on is not None:
        await drop_unstarted_after(uow, found.id, end_on)
    updated = replace(found, end_on=end_on, reviewing_org_id=reviewing_org_id)
    added = await _extend(uow, updated, today_of(uow.clock))
    uow.audit(
        obligation_name(found.id),
        "updated",
        {
            "reviewing_org_id": reviewing_org_id,
            "end_on": end_on.isoformat() if end_on else None,
            "expected_reports": added,
        },
    )
    return found.id


async def open_plan_obligation(
    uow: UnitOfWork,
    *,
    plan_id: str,
    organisation_id: str,
    jurisdiction_id: str,
    reviewing_org_id: str,
    start_on: date,
    end_on: date | None,
) -> str:
    """The plan's obligation, opened on its first approval and updated by later ones; expects a
    report for every cycle from start_on to today (series from the organisation's mandate)."""
    found = await rows.load_obligation(uow.session, plan_id=plan_id)
    if found is not None:
        return await _follow_plan(uow, found, reviewing_org_id, end_on)
    periodicity, month = await mandate_series(uow.session, organisation_id)
    obligation = Obligation(
        id=new_id(),
        kind=ObligationKind.ACTION_PLAN,
        organisation_id=organisation_id,
        jurisdiction_id=jurisdiction_id,
        reviewing_org_id=reviewing_org_id,
        plan_id=plan_id,
        award_id=None,
        call_id=None,
        periodicity=periodicity,
        fiscal_start_month=month,
        start_on=start_on,
        end_on=end_on,
        final_evaluation_required=False,
        created_at=uow.clock.now(),
    )
    return await _open(uow, obligation)


async def open_grant_obligation(
    uow: UnitOfWork,
    *,
    award_id: str,
    call_id: str,
    organisation_id: str,
    jurisdiction_id: str | None,
    reviewing_org_id: str,
    periodicity: ReportingPeriodicity | None,
    start_on: date,
    final_evaluation_required: bool,
) -> str:
    """The award's obligation (opened once; a repeated award event returns the same id)."""
    found = await rows.load_obligation(uow.session, award_id=award_id)
    if found is not None:
        return found.id
    obligation = Obligation(
        id=new_id(),
        kind=ObligationKind.GRANT,
        organisation_id=organisation_id,
        jurisdiction_id=jurisdiction_id,
        reviewing_org_id=reviewing_org_id,
        plan_id=None,
        award_id=award_id,
        call_id=call_id,
        periodicity=periodicity or ReportingPeriodicity.SEMIANNUAL,
        fiscal_start_month=DEFAULT_FISCAL_START_MONTH,
        start_on=start_on,
        end_on=None,
        final_evaluation_required=final_evaluation_required,
        created_at=uow.clock.now(),
    )
    return await _open(uow, obligation)


async def _lagging_open(uow: UnitOfWork, today: date, current: Cycle) -> list[Obligation]:
    """Obligations of current's series, still running, not expecting a report for it yet."""
    o, t = obligations, expected_reports
    has_current = select(t.c.obligation_id).where(
        t.c.obligation_id == o.c.id, t.c.cycle_code == current.code
    )
    query = select(o).where(
        o.c.periodicity == current.periodicity.value,
        o.c.fiscal_start_month == current.fiscal_start_month,
        o.c.start_on <= today,
        o.c.end_on.is_(None) | (o.c.end_on >= current.period_end),
        ~has_current.exists(),
    )
    return [rows.obligation_from_row(r) for r in await uow.session.execute(query)]


async def _lagging_ended(uow: UnitOfWork, today: date, current: Cycle) -> list[Obligation]:
    """Obligations of current's series that ended within ENDED_LOOKBACK and still miss their
    last cycle (when the scheduler did not run while it ended)."""
    o, t = obligations, expected_reports
    query = select(o).where(
        o.c.periodicity == current.periodicity.value,
        o.c.fiscal_start_month == current.fiscal_start_month,
        o.c.end_on < current.period_end,
        o.c.end_on >= today - ENDED_LOOKBACK,
    )
    ended = [rows.obligation_from_row(r) for r in await uow.session.execute(query)]
    last = {}
    for ob in ended:
        wanted = expected_cycles(
            ob.periodicity, ob.fiscal_start_month, ob.start_on, ob.end_on, today
        )
        if wanted:
            last[ob.id] = wanted[-1].code
    stored = select(t.c.obligation_id, t.c.cycle_code).where(t.c.obligation_id.in_(last))
    have = {(r.obligation_id, r.cycle_code) for r in await uow.session.execute(stored)}
    return [ob for ob in ended if ob.id in last and (ob.id, last[ob.id]) not in have]


async def _lagging(uow: UnitOfWork, today: date) -> list[Obligation]:
    """Obligations missing an expected report they should have by today."""
    o = obligations
    query = select(o.c.periodicity, o.c.fiscal_start_month).distinct()
    found: list[Obligation] = []
    for periodicity, month in (await uow.session.execute(query)).all():
        current = cycle_containing(today, ReportingPeriodicity(periodicity), month)
        found += await _lagging_open(uow, today, current)
        found += await _lagging_ended(uow, today, current)
    return found


async def ensure_expected_reports(uow: UnitOfWork, today: date) -> int:
    """Extend every open obligation to the cycle containing today, in one unit of work; returns
    how many expected reports were added (none on a second run the same day)."""
    async with uow:
        added = 0
        for obligation in await _lagging(uow, today):
            added += await _extend(uow, obligation, today)
        await uow.commit()
    return added
