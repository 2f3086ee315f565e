"""The events a kind of request causes, followed per request: how many the producer's outbox
holds for each request's resource, and how often the consumer's inbox recorded handling them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncEngine

from nlc.grants.v1 import events_pb2 as grants_events
from nlc.reporting.v1 import events_pb2 as reporting_events
from services.grants.consumers import REPORT_ACCEPTED
from services.grants.consumers import REPORTS_DURABLE as GRANTS_REPORTING
from services.reporting.consumers import AWARD_MADE
from services.reporting.consumers import GRANTS_DURABLE as REPORTING_GRANTS
from tests.resilience.checks import Findings, count_effects, rows
from tests.resilience.effects import AWARDS, EFFECTS, PLAN_TITLE, REPORTS
from tests.resilience.ledger import Ledger

CALL_CLOSED = "nlc.grants.call.closed"


@dataclass(frozen=True)
class Trail:
    """Events on subject about the resources of kind's requests, handled by consumer.
    `names` is SQL giving (resource name, request value) for the values matching `:run`."""

    kind: str
    subject: str
    message: type[Message]
    resource: Callable[[Message], str]
    names: str
    consumer: str

    @property
    def producer(self) -> str:
        return self.subject.split(".")[1]

    @property
    def inbox(self) -> str:
        return f"{self.consumer.split('-', 1)[0]}.inbox"


TRAILS = (
    Trail(
        "deadline call opened",
        CALL_CLOSED,
        grants_events.CallChanged,
        lambda event: event.call.name,
        "SELECT 'calls/' || id, title FROM grants.calls WHERE title LIKE :run",
        REPORTING_GRANTS,
    ),
    Trail(
        "award",
        AWARD_MADE,
        grants_events.AwardMade,
        lambda event: event.award.name,
        f"SELECT 'awards/' || a.id, p.title {AWARDS} WHERE p.title LIKE :run",
        REPORTING_GRANTS,
    ),
    Trail(
        "report accepted",
        REPORT_ACCEPTED,
        reporting_events.ReportChanged,
        lambda event: event.report.name,
        f"SELECT 'progressReports/' || r.id, {PLAN_TITLE} {REPORTS} WHERE {PLAN_TITLE} LIKE :run",
        GRANTS_REPORTING,
    ),
)


async def follow(engine: AsyncEngine, trail: Trail, ledger: Ledger, run: str) -> Findings:
    """Per accepted request: one event in the outbox, and that event handled once."""
    values = dict(await rows(engine, trail.names, run=f"{run}-{EFFECTS[trail.kind].tag}-%"))
    sql = f"SELECT id, payload FROM {trail.producer}.outbox WHERE subject = :subject"
    events: dict[str, str] = {}
    for event_id, payload in await rows(engine, sql, subject=trail.subject):
        value = values.get(trail.resource(trail.message.FromString(payload)))
        if value is not None:
            events[event_id] = value
    sql = f"SELECT event_id FROM {trail.inbox} WHERE consumer = :consumer"
    handled = Counter(
        events[event_id]
        for (event_id,) in await rows(engine, sql, consumer=trail.consumer)
        if event_id in events
    )
    findings = count_effects(
        trail.kind, f"{trail.producer}.outbox {trail.subject}", Counter(events.values()), ledger
    )
    findings.extend(
        count_effects(trail.kind, f"{trail.inbox} of {trail.consumer}", handled, ledger)
    )
    return findings


async def follow_all(engine: AsyncEngine, ledger: Ledger, run: str) -> Findings:
    findings = Findings()
    for trail in TRAILS:
        findings.extend(await follow(engine, trail, ledger, run))
    return findings
