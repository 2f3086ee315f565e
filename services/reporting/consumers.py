"""What reporting learns from other services' events (never by calling them).

- "reporting-registry" on NLC_REGISTRY keeps places (with their paths), organisations, mandates'
  reporting obligations and frameworks; each event upserts the latest facts (an event older than
  what is stored changes nothing). Other registry subjects are acknowledged and ignored.
- "reporting-grants" on NLC_GRANTS keeps calls and awards, and opens the grantee's reporting
  obligation when an award is made, in the consumer's transaction (a redelivery opens nothing
  twice). An award of a call not known yet fails, so the event is retried, then dead-lettered.
A stream that does not exist yet is waited for: the runner retries subscribing with backoff.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from nlc.grants.v1 import events_pb2 as grants_events
from nlc.registry.v1 import events_pb2, jurisdictions_pb2
from services.common.app import Wiring, durable_consumer
from services.common.auth import SYSTEM
from services.common.clock import Clock
from services.common.messaging import ConsumerRunner, EventEnvelope, EventHandler
from services.common.uow import JoinedUnitOfWork
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.convert import read_model as convert
from services.reporting.deps import ReportingDeps
from services.reporting.handlers.obligations import open_grant_obligation
from services.reporting.orm import read_model_rows as store

REGISTRY_DURABLE = "reporting-registry"
GRANTS_DURABLE = "reporting-grants"
ORGANISATION_EVENTS = "nlc.registry.organisation."
JURISDICTION_CHANGED = ("nlc.registry.jurisdiction.created", "nlc.registry.jurisdiction.updated")
JURISDICTION_SPLIT = "nlc.registry.jurisdiction.split"
JURISDICTIONS_MERGED = "nlc.registry.jurisdiction.merged"
MANDATE_SET = "nlc.registry.mandate.set"
FRAMEWORK_CHANGED = tuple(
    f"nlc.registry.framework.{e}" for e in ("created", "updated", "consultation_opened", "adopted")
)
CALL_CHANGED = ("nlc.grants.call.opened", "nlc.grants.call.closed", "nlc.grants.call.decided")
AWARD_MADE = "nlc.grants.award.made"


class UnknownCall(LookupError):
    """An award names a call whose events have not arrived."""


async def _units(
    session: AsyncSession, units: list[jurisdictions_pb2.Jurisdiction], as_of: datetime
) -> None:
    for unit in units:
        await store.upsert_jurisdiction(session, **convert.jurisdiction_values(unit), as_of=as_of)


async def handle_registry_event(session: AsyncSession, event: EventEnvelope) -> None:
    """Upsert the places, organisations, mandates and frameworks an event describes."""
    at, subject = event.occurred_at, event.subject
    if subject.startswith(ORGANISATION_EVENTS):
        changed = event.parse(events_pb2.OrganisationChanged).organisation
        await store.upsert_organisation(session, convert.organisation_row(changed, at))
    elif subject in JURISDICTION_CHANGED:
        await _units(session, [event.parse(events_pb2.JurisdictionChanged).jurisdiction], at)
    elif subject == JURISDICTION_SPLIT:
        split = event.parse(events_pb2.JurisdictionSplit)
        await _units(session, [split.retired, *split.parts], at)
    elif subject == JURISDICTIONS_MERGED:
        merged = event.parse(events_pb2.JurisdictionsMerged)
        await _units(session, [*merged.retired, merged.merged], at)
    elif subject == MANDATE_SET:
        mandate = event.parse(events_pb2.MandateSet).mandate
        await store.upsert_mandate(session, convert.mandate_row(mandate, at))
    elif subject in FRAMEWORK_CHANGED:
        framework = event.parse(events_pb2.FrameworkChanged).framework
        await store.upsert_framework(session, convert.framework_row(framework, at))


async def _award_made(session: AsyncSession, event: EventEnvelope, clock: Clock) -> None:
    """Keep the award and open its obligation, reviewed by the call's managing organisation."""
    award = convert.award_row(event.parse(grants_events.AwardMade).award, event.occurred_at)
    await store.upsert_award(session, award)
    reviewing = await store.managing_org_of_call(session, award["call_id"] or "")
    if reviewing is None:
        raise UnknownCall(f"award {award['id']} names call {award['call_id']}, not known yet")
    grantee = award["grantee_org_id"]
    await open_grant_obligation(
        JoinedUnitOfWork(session, clock, SYSTEM),
        award_id=award["id"],
        call_id=award["call_id"],
        organisation_id=grantee,
        jurisdiction_id=await store.jurisdiction_of_organisation(session, grantee),
        reviewing_org_id=reviewing,
        periodicity=ReportingPeriodicity(award["periodicity"]) if award["periodicity"] else None,
        start_on=award["award_time"].date(),
        final_evaluation_required=award["final_evaluation_required"],
    )


def grants_event_handler(clock: Clock) -> EventHandler:
    """A handler keeping calls and awards, and opening each award's reporting obligation."""

    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        if event.subject in CALL_CHANGED:
            call = convert.call_row(event.parse(grants_events.CallChanged).call, event.occurred_at)
            if call["managing_org_id"]:
                await store.upsert_call(session, call)
        elif event.subject == AWARD_MADE:
            await _award_made(session, event, clock)

    return handle


def build_consumers(wiring: Wiring, deps: ReportingDeps) -> list[ConsumerRunner]:
    """The registry and grants read-model consumers."""
    return [
        durable_consumer(
            wiring,
            source="registry",
            durable=REGISTRY_DURABLE,
            subjects=["nlc.registry.>"],
            handler=handle_registry_event,
        ),
        durable_consumer(
            wiring,
            source="grants",
            durable=GRANTS_DURABLE,
            subjects=["nlc.grants.>"],
            handler=grants_event_handler(wiring.clock),
        ),
    ]
