"""Two replicas of every service on one PostgreSQL and a 3-node NATS JetStream cluster (R3
streams) under a steady mixed workload: a NATS node, then one replica of each service, is killed
with SIGKILL and restarted. Afterwards every accepted request's effect is there exactly once,
every event reached every consumer exactly once, no outbox row is left unpublished, and the only
dead letters are the poison messages injected on purpose. Scheduled work (calls closing at their
deadline) happened once although two replicas run each job, and no replica took a job's lease
while another held it. The counts are printed (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from nlc.infoshare.v1 import infoshare_pb2
from services.common.messaging import connect
from services.grants.consumers import DURABLE as GRANTS_REGISTRY
from services.grants.consumers import REPORTS_DURABLE as GRANTS_REPORTING
from services.reporting.consumers import GRANTS_DURABLE as REPORTING_GRANTS
from services.reporting.consumers import REGISTRY_DURABLE as REPORTING_REGISTRY
from tests.resilience import checks, deadline_calls, report_acceptances, trails
from tests.resilience.award_decisions import AwardDecisions
from tests.resilience.chaos import Chaos
from tests.resilience.checks import Findings
from tests.resilience.database import scratch_database
from tests.resilience.leases import watching
from tests.resilience.stack import Deployment, deployment, shared_env
from tests.resilience.workload import CALL_TIMEOUT_S, Workload
from tests.support.databases import POSTGRES_URL_ENV
from tests.support.nats_cluster import nats_cluster

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]

SERVICES = ("registry", "grants", "reporting", "infoshare")
CONSUMERS = {GRANTS_REGISTRY, GRANTS_REPORTING, REPORTING_REGISTRY, REPORTING_GRANTS}
# Per kind of request, WORKERS loops each sending one every INTERVAL_S.
INTERVAL_S, WORKERS = 0.3, 2
SETTLE_DEADLINE_S = 120.0
# The scheduled jobs, as `schema.lease name`.
JOBS = frozenset(
    {"grants.close-due-calls", "reporting.daily-reporting-pass", "infoshare.retention-and-reviews"}
)
STREAM_REPLICAS = 3


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV, "")
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set: this test needs PostgreSQL")
    return url


async def _start_replicas(platform: Deployment) -> None:
    """The first replica of each service seeds the demo data alone; then the second ones."""
    for service in SERVICES:
        await platform.serve(service, demo=True)
    for service in SERVICES:
        await platform.serve(service)


async def _settle(check: Callable[[], Awaitable[Findings]]) -> Findings:
    """Run the checks until they find nothing wrong; at the deadline, what they found last."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + SETTLE_DEADLINE_S
    while True:
        findings = await check()
        if not findings.problems or loop.time() > give_up:
            return findings
        await asyncio.sleep(0.5)


async def _shares(workload: Workload) -> Findings:
    """Shares are sealed, so count them as their DPO sees them: per subject reference."""
    counts: Counter[str] = Counter()
    for reference in workload.ledger.sent("share"):
        found = await workload.infoshare.FindSubjectShares(
            infoshare_pb2.FindSubjectSharesRequest(subject_reference=reference),
            metadata=workload.as_user["social-dpo"],
            timeout=CALL_TIMEOUT_S,
        )
        counts[reference] = len(found.shares)
    counts = +counts
    return checks.count_effects("share", "infoshare (FindSubjectShares)", counts, workload.ledger)


async def _audit_chain(workload: Workload) -> Findings:
    """Two replicas appending to the infoshare audit chain must keep it intact."""
    verdict = await workload.infoshare.VerifyAuditChain(
        infoshare_pb2.VerifyAuditChainRequest(),
        metadata=workload.as_user["auditor"],
        timeout=CALL_TIMEOUT_S,
    )
    findings = Findings()
    findings.add(
        f"infoshare audit chain: intact {verdict.intact}, "
        f"records checked {verdict.records_checked}",
        not verdict.intact,
    )
    return findings


async def test_replicas_and_a_nats_cluster_lose_nothing_when_parts_fail(
    tmp_path: Path, postgres_url: str
) -> None:
    began = time.monotonic()
    run = f"res{uuid.uuid4().hex[:8]}"
    async with (
        scratch_database(postgres_url, f"nlc_resilience_{run}") as database_url,
        nats_cluster(tmp_path / "nats") as cluster,
    ):
        env = shared_env(database_url, cluster.urls, stream_replicas=STREAM_REPLICAS)
        async with deployment(tmp_path, env) as platform:
            await _start_replicas(platform)
            started = time.monotonic() - began
            nc = await connect(cluster.urls, name="resilience-test")
            workload = Workload(platform, run)
            engine = create_async_engine(database_url)
            try:
                await workload.authenticate()
                await workload.prepare()
                awards = AwardDecisions(workload)
                await awards.prepare()
                paces = [
                    *workload.paces(INTERVAL_S, WORKERS),
                    deadline_calls.pace(workload),
                    awards.pace(),
                    report_acceptances.pace(workload),
                ]
                chaos = Chaos(cluster, platform, nc.jetstream())

                async def settled() -> Findings:
                    found = await checks.everything(
                        engine,
                        nc.jetstream(),
                        workload.ledger,
                        workload.run,
                        poisoned=chaos.poison,
                        consumers=CONSUMERS,
                    )
                    found.extend(await trails.follow_all(engine, workload.ledger, workload.run))
                    return found

                async with watching(engine, platform, JOBS) as leases:
                    stop = asyncio.Event()
                    driving = asyncio.create_task(workload.run_until(stop, paces))
                    try:
                        await chaos.run()
                    finally:
                        stop.set()
                        await driving
                    crashed = [r.name for r in platform.replicas if r.child.exited]
                    driven = time.monotonic() - began
                    findings = await _settle(settled)
                findings.extend(leases.findings())
                findings.extend(await deadline_calls.lateness(engine, workload.run))
                findings.extend(await checks.streams(nc.jetstream(), STREAM_REPLICAS))
                findings.extend(await checks.published(engine, nc.jetstream(), chaos.poison))
                await workload.authenticate()
                findings.extend(await _shares(workload))
                findings.extend(await _audit_chain(workload))
            finally:
                await workload.close()
                await nc.close()
                await engine.dispose()
    report = "\n".join(
        [
            f"started 3 NATS nodes, IdP, migrations, 8 replicas in {started:.0f} s; "
            f"workload with failures until {driven:.0f} s; "
            f"settled at {time.monotonic() - began:.0f} s",
            *chaos.log,
            f"requests by outcome: {workload.ledger.summary()}",
            findings.report(),
        ]
    )
    print(report)
    assert not crashed, f"replicas that died on their own: {crashed}\n{report}"
    assert not workload.ledger.unexpected(), f"{workload.ledger.unexpected()[:10]}\n{report}"
    assert not findings.problems, report
