"""What grants learns from other services' events (never by calling them).

- The eligibility read model: one durable consumer on NLC_REGISTRY; the stream is ordered, so each
  event upserts the latest facts (an event older than what is stored changes nothing). Subjects
  other than organisation and jurisdiction events are acknowledged and ignored.
- Tranches that follow reports: a durable consumer on NLC_REPORTING releases the next report
  tranche when a grant's progress report is accepted, and the evaluation tranche when its final
  evaluation is published, in the consumer's transaction (so a redelivery releases nothing twice).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from nlc.registry.v1 import events_pb2, jurisdictions_pb2, organisations_pb2
from nlc.reporting.v1 import events_pb2 as reporting_events
from nlc.reporting.v1 import reports_pb2
from services.common.app import Wiring, durable_consumer
from services.common.auth import SYSTEM
from services.common.clock import Clock
from services.common.messaging import ConsumerRunner, EventEnvelope, EventHandler
from services.common.uow import JoinedUnitOfWork
from services.grants.deps import GrantsDeps
from services.grants.domain.eligibility import (
    KnownOrganisation,
    OrganisationKind,
    VerificationState,
)
from services.grants.handlers.awards import (
    release_on_accepted_report,
    release_on_published_evaluation,
)
from services.grants.orm.read_model import upsert_jurisdiction, upsert_organisation

DURABLE = "grants-registry"
REPORTS_DURABLE = "grants-reporting"
REPORT_ACCEPTED = "nlc.reporting.report.accepted"
EVALUATION_PUBLISHED = "nlc.reporting.evaluation.published"
ORGANISATION_EVENTS = "nlc.registry.organisation."
JURISDICTION_CHANGED = ("nlc.registry.jurisdiction.created", "nlc.registry.jurisdiction.updated")
JURISDICTION_SPLIT = "nlc.registry.jurisdiction.split"
JURISDICTIONS_MERGED = "nlc.registry.jurisdiction.merged"


def _id(name: str) -> str | None:
    """The id in `collection/{id}`, None for an empty name."""
    return name.rsplit("/", 1)[-1] if name else None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def known_organisation(o: organisations_pb2.Organisation) -> KnownOrganisation:
    """What grants keeps of a registry organisation."""
    kind = organisations_pb2.OrganisationKind.Name(o.kind).removeprefix("ORGANISATION_KIND_")
    state = organisations_pb2.VerificationState.Name(o.verification_state)
    state = state.removeprefix("VERIFICATION_STATE_")
    return KnownOrganisation(
        id=o.id or _id(o.name) or "",
        display_name=o.display_name[:200],
        kind=OrganisationKind(kind.lower()) if o.kind else None,
        verification_state=(
            VerificationState(state.lower()) if o.verification_state else VerificationState.PENDING
        ),
        jurisdiction_id=_id(o.jurisdiction),
    )


async def _jurisdiction(
    session: AsyncSession, j: jurisdictions_pb2.Jurisdiction, as_of: datetime
) -> None:
    await upsert_jurisdiction(
        session,
        unit_id=j.id or _id(j.name) or "",
        parent_id=_id(j.parent),
        code=j.code[:32],
        display_name=j.display_name[:200],
        valid_from=_date(j.valid_from),
        valid_to=_date(j.valid_to),
        as_of=as_of,
    )


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    """Upsert the organisations and jurisdictions an event describes."""
    at = event.occurred_at
    if event.subject.startswith(ORGANISATION_EVENTS):
        changed = event.parse(events_pb2.OrganisationChanged)
        await upsert_organisation(session, known_organisation(changed.organisation), at)
    elif event.subject in JURISDICTION_CHANGED:
        await _jurisdiction(session, event.parse(events_pb2.JurisdictionChanged).jurisdiction, at)
    elif event.subject == JURISDICTION_SPLIT:
        split = event.parse(events_pb2.JurisdictionSplit)
        for unit in [split.retired, *split.parts]:
            await _jurisdiction(session, unit, at)
    elif event.subject == JURISDICTIONS_MERGED:
        merged = event.parse(events_pb2.JurisdictionsMerged)
        for unit in [*merged.retired, merged.merged]:
            await _jurisdiction(session, unit, at)


def reporting_event_handler(clock: Clock) -> EventHandler:
    """A handler releasing tranches on accepted grant reports and published evaluations."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        uow = JoinedUnitOfWork(session, clock, SYSTEM)
        if event.subject == REPORT_ACCEPTED:
            changed = event.parse(reporting_events.ReportChanged)
            if changed.award and changed.report.kind == reports_pb2.REPORT_KIND_PROGRESS:
                await release_on_accepted_report(uow, _id(changed.award) or "")
        elif event.subject == EVALUATION_PUBLISHED:
            published = event.parse(reporting_events.EvaluationPublished)
            if published.award:
                await release_on_published_evaluation(uow, _id(published.award) or "")

    return handle


def build_consumers(wiring: Wiring, deps: GrantsDeps) -> list[ConsumerRunner]:
    """The registry read-model consumer and the report-to-payment consumer."""
    return [
        durable_consumer(
            wiring,
            source="registry",
            durable=DURABLE,
            subjects=["nlc.registry.>"],
            handler=handle_registry_event,
        ),
        durable_consumer(
            wiring,
            source="reporting",
            durable=REPORTS_DURABLE,
            subjects=[REPORT_ACCEPTED, EVALUATION_PUBLISHED],
            handler=reporting_event_handler(wiring.clock),
        ),
    ]
