"""Tranches that follow reports: events from the reporting service release them, once each."""

from __future__ import annotations

from typing import Any

from nlc.grants.v1 import events_pb2 as grants_events
from nlc.reporting.v1 import events_pb2, reports_pb2
from services.common.messaging import EventEnvelope
from services.grants.consumers import reporting_event_handler
from services.grants.deps import GrantsDeps
from services.grants.domain.awards import AwardItem
from services.grants.domain.calls import PlannedTranche, TrancheTrigger
from services.grants.domain.tranches import TrancheState
from services.grants.handlers import awards as handlers
from services.grants.orm.awards import load_award
from tests.integration.grants.conftest import MANAGER, eur
from tests.integration.grants.test_award_handlers import _confirm_match, closed_call, decide

THREE_TRANCHES = (
    PlannedTranche("signing", 3000, TrancheTrigger.ON_SIGNING),
    PlannedTranche("report", 5000, TrancheTrigger.ON_ACCEPTED_PROGRESS_REPORT),
    PlannedTranche("evaluation", 2000, TrancheTrigger.ON_PUBLISHED_FINAL_EVALUATION),
)


async def _signed_award(deps: GrantsDeps) -> str:
    call_id, (a1, _) = await closed_call(deps, tranche_plan=THREE_TRANCHES)
    [award] = await decide(deps, call_id, AwardItem(a1.id, eur(10_000)))
    await _confirm_match(deps, a1.id)
    await handlers.sign_award(deps.uow(MANAGER), handlers.AwardRef(award.id))
    return award.id


async def _deliver(deps: GrantsDeps, subject: str, message: Any) -> None:
    at = deps.clock.now()
    envelope = EventEnvelope(f"evt-{subject}", subject, "", at, message.SerializeToString(), 1)
    async with deps.sessions() as session:
        await reporting_event_handler(deps.clock)(session, envelope)
        await session.commit()


def _accepted(award_id: str, kind: int = reports_pb2.REPORT_KIND_PROGRESS) -> Any:
    report = reports_pb2.ProgressReport(name="progressReports/r1", kind=kind)
    return events_pb2.ReportChanged(report=report, award=f"awards/{award_id}")


async def _states(deps: GrantsDeps, award_id: str) -> dict[str, TrancheState]:
    async with deps.sessions() as session:
        award = await load_award(session, award_id)
    assert award is not None
    return {t.code: t.state for t in award.tranches}


async def test_accepted_report_then_published_evaluation_release_their_tranches(
    grants_deps: GrantsDeps, outbox_events: Any
) -> None:
    award_id = await _signed_award(grants_deps)
    states = await _states(grants_deps, award_id)
    assert states["report"] == states["evaluation"] == TrancheState.PENDING

    await _deliver(grants_deps, "nlc.reporting.report.accepted", _accepted(award_id))
    assert (await _states(grants_deps, award_id))["report"] == TrancheState.RELEASED
    assert (await _states(grants_deps, award_id))["evaluation"] == TrancheState.PENDING

    published = events_pb2.EvaluationPublished(
        report="progressReports/r2", award=f"awards/{award_id}", public_url="https://x.example/e"
    )
    await _deliver(grants_deps, "nlc.reporting.evaluation.published", published)
    assert (await _states(grants_deps, award_id))["evaluation"] == TrancheState.RELEASED

    released = [
        e.decode(grants_events.TrancheReleased).tranche.code
        for e in await outbox_events()
        if e.subject == "nlc.grants.tranche.released"
    ]
    assert released == ["signing", "report", "evaluation"]


async def test_accepted_final_evaluation_report_does_not_release_a_progress_tranche(
    grants_deps: GrantsDeps,
) -> None:
    award_id = await _signed_award(grants_deps)
    final = _accepted(award_id, reports_pb2.REPORT_KIND_FINAL_EVALUATION)
    await _deliver(grants_deps, "nlc.reporting.report.accepted", final)
    assert (await _states(grants_deps, award_id))["report"] == TrancheState.PENDING


async def test_report_tranche_released_by_an_event_is_audited_as_the_system(
    grants_deps: GrantsDeps, audit_of: Any
) -> None:
    award_id = await _signed_award(grants_deps)
    await _deliver(grants_deps, "nlc.reporting.report.accepted", _accepted(award_id))
    entries = await audit_of(f"awards/{award_id}")
    last = entries[-1]
    assert last.action == "tranche_on_accepted_progress_report"
    assert last.actor_sub == "system"
