"""Calls that reach their deadline while the workload runs: each is created and opened with its
deadline a few seconds ahead, so the grants service's scheduled job has to close it, once,
whichever replica holds the job's lease at that moment (or takes it over from a killed one)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from nlc.grants.v1 import calls_pb2 as calls
from tests.resilience import requests
from tests.resilience.checks import Findings, rows
from tests.resilience.workload import Pace, Workload

CLOSES_IN = timedelta(seconds=10)
# Both requests end within the deadline's lead, so a call is never opened past its deadline.
TIMEOUT_S = 4.0
WORKERS, INTERVAL_S = 1, 2.0
# The job looks every second: a call closed later than this waited for the job's lease.
LATE = timedelta(seconds=5)


async def deadline_call(workload: Workload, n: int) -> None:
    """A call closing CLOSES_IN from now, created and opened by the grant manager."""
    title, manager = workload.value("deadline", n), workload.as_user["manager"]
    grants = workload.grants
    await workload.ledger.chain(
        title,
        (
            "deadline call",
            lambda _: grants.CreateCall(
                requests.call(title, closes_in=CLOSES_IN), metadata=manager, timeout=TIMEOUT_S
            ),
        ),
        (
            "deadline call opened",
            lambda draft: grants.OpenCall(
                calls.OpenCallRequest(name=draft.name), metadata=manager, timeout=TIMEOUT_S
            ),
        ),
    )


def pace(workload: Workload) -> Pace:
    return Pace(lambda n: deadline_call(workload, n), WORKERS, INTERVAL_S)


async def lateness(engine: AsyncEngine, run: str) -> Findings:
    """How late after their deadline the scheduled job closed the calls (printed, not judged:
    calls falling due while the job's lease passes from a killed replica close late)."""
    sql = (
        "SELECT count(*), count(*) FILTER (WHERE l.occurred_at - c.closes_at > :late),"
        " coalesce(max(extract(epoch FROM l.occurred_at - c.closes_at)), 0)"
        " FROM grants.calls c JOIN grants.audit_log l"
        " ON l.resource = 'calls/' || c.id AND l.action = 'close_at_deadline'"
        " WHERE c.title LIKE :run"
    )
    ((closed, late, latest),) = await rows(engine, sql, late=LATE, run=f"{run}-deadline-%")
    findings = Findings()
    findings.add(
        f"deadline calls closed by the scheduled job {closed}: more than "
        f"{LATE.total_seconds():.0f} s after the deadline {late}, the latest {latest:.1f} s after",
        False,
    )
    return findings
