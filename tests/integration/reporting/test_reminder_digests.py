"""The daily digest pass: one digest and one event per organisation per day, never twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from sqlalchemy import update

from nlc.reporting.v1 import cycles_pb2, events_pb2
from services.common import demo_ids
from services.common.auth import SYSTEM
from services.reporting.handlers.reminders import digest_reminders
from services.reporting.orm.obligations import expected_reports
from tests.integration.reporting.test_obligation_handlers import OTHER_PLAN, plan_obligation

SUBJECT = "nlc.reporting.reminder.digested"


async def _digest(deps, day: date) -> int:
    deps.clock.set(datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC))
    return await digest_reminders(deps.sessions, lambda: deps.uow(SYSTEM), day)


async def _digests(outbox_events) -> list[cycles_pb2.ReminderDigest]:
    staged = [e for e in await outbox_events() if e.subject == SUBJECT]
    return [e.decode(events_pb2.RemindersDigested).digest for e in staged]


async def test_each_organisation_gets_one_digest_a_day(
    reporting_deps, places, outbox_events, audit_of
) -> None:
    riverton = await plan_obligation(reporting_deps, places, start_on=date(2025, 3, 1))
    await plan_obligation(
        reporting_deps, places, plan=OTHER_PLAN, org=demo_ids.LAKESIDE, start_on=date(2026, 1, 5)
    )
    # 2026-H1 is due 2026-07-30 for both: 14 days before, both get a digest, once.
    assert await _digest(reporting_deps, date(2026, 7, 16)) == 2
    assert await _digest(reporting_deps, date(2026, 7, 16)) == 0
    sent = await _digests(outbox_events)
    assert sorted(d.organisation for d in sent) == sorted(
        [f"organisations/{demo_ids.RIVERTON}", f"organisations/{demo_ids.LAKESIDE}"]
    )
    mine = next(d for d in sent if d.organisation.endswith(demo_ids.RIVERTON))
    assert mine.name == f"organisations/{demo_ids.RIVERTON}/reminderDigests/2026-07-16"
    assert [(r.cycle, r.kind, r.days_to_due, r.due_date) for r in mine.reminders] == [
        ("reportingCycles/2026-H1", cycles_pb2.REMINDER_KIND_DUE_SOON, 14, "2026-07-30")
    ]
    assert mine.reminders[0].obligation == f"reportingObligations/{riverton}"
    history = await audit_of(mine.name)
    assert [h.action for h in history] == ["digested"]


async def test_a_submitted_report_stops_its_reminders(
    reporting_deps, places, outbox_events
) -> None:
    obligation_id = await plan_obligation(reporting_deps, places, start_on=date(2026, 1, 5))
    async with reporting_deps.sessions() as session:
        await session.execute(
            update(expected_reports)
            .where(expected_reports.c.obligation_id == obligation_id)
            .values(report_state="submitted")
        )
        await session.commit()
    assert await _digest(reporting_deps, date(2026, 7, 27)) == 0
    assert await _digests(outbox_events) == []


async def test_overdue_reports_are_reminded_weekly(reporting_deps, places, outbox_events) -> None:
    await plan_obligation(reporting_deps, places, start_on=date(2026, 1, 5))
    # Due 2026-07-30: the day after, a week after that; nothing between.
    assert await _digest(reporting_deps, date(2026, 7, 31)) == 1
    assert await _digest(reporting_deps, date(2026, 8, 3)) == 0
    assert await _digest(reporting_deps, date(2026, 8, 7)) == 1
    sent = await _digests(outbox_events)
    assert [(d.day, [r.days_to_due for r in d.reminders]) for d in sent] == [
        ("2026-07-31", [-1]),
        ("2026-08-07", [-8]),
    ]
    assert {r.kind for d in sent for r in d.reminders} == {cycles_pb2.REMINDER_KIND_OVERDUE}


async def test_two_replicas_racing_send_one_digest(reporting_deps, places, outbox_events) -> None:
    await plan_obligation(reporting_deps, places, start_on=date(2026, 1, 5))
    reporting_deps.clock.set(datetime(2026, 7, 27, 5, 0, tzinfo=UTC))
    passes = [
        digest_reminders(
            reporting_deps.sessions, lambda: reporting_deps.uow(SYSTEM), date(2026, 7, 27)
        )
        for _ in range(2)
    ]
    assert sum(await asyncio.gather(*passes)) == 1
    assert len(await _digests(outbox_events)) == 1
