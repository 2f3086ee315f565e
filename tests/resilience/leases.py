"""Who held each scheduled job's lease while the workload ran, sampled from the `job_lease`
table of each schema with scheduled jobs. A job runs on one replica at a time when a new holder
only ever shows up after the lease it took over had lapsed."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.resilience.checks import Findings
from tests.resilience.stack import Deployment

SAMPLE_EVERY_S = 0.5


@dataclass
class Tenure:
    """One holder's time with a job's lease, as sampled."""

    holder: str
    replica: str
    first_seen_s: float
    first_seen_at: datetime
    last_seen_s: float
    last_expiry: datetime


@dataclass
class LeaseWatch:
    """Samples the leases of jobs (`schema.name`) until stopped; keeps each job's holders in
    the order they came."""

    engine: AsyncEngine
    deployment: Deployment
    jobs: frozenset[str]
    tenures: dict[str, list[Tenure]] = field(default_factory=dict)
    samples: int = 0

    def _replica(self, holder: str) -> str:
        """The replica whose process holds the lease (holders are `host:pid:random`)."""
        pid = holder.split(":")[1] if holder.count(":") == 2 else ""
        for replica in self.deployment.replicas:
            process = replica.child.process
            if process is not None and str(process.pid) == pid:
                return replica.name
        return f"pid {pid or holder}"

    async def _sample(self, started: float) -> None:
        async with self.engine.connect() as conn:
            rows = [
                (f"{schema}.{name}", holder, expires_at)
                for schema in sorted({job.split(".")[0] for job in self.jobs})
                for name, holder, expires_at in await conn.execute(
                    text(f"SELECT name, holder, expires_at FROM {schema}.job_lease")
                )
            ]
        seen_at, seen_s = datetime.now(UTC), asyncio.get_running_loop().time() - started
        self.samples += 1
        for job, holder, expires_at in rows:
            held = self.tenures.setdefault(job, [])
            if held and held[-1].holder == holder:
                held[-1].last_seen_s, held[-1].last_expiry = seen_s, expires_at
            else:
                tenure = Tenure(holder, self._replica(holder), seen_s, seen_at, seen_s, expires_at)
                held.append(tenure)

    async def run(self, stop: asyncio.Event) -> None:
        """Sample every SAMPLE_EVERY_S until stop is set."""
        started = asyncio.get_running_loop().time()
        while not stop.is_set():
            await self._sample(started)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)

    def findings(self) -> Findings:
        """Per job its holders; a problem when one showed up while the lease before was live,
        or when a job was never held."""
        findings = Findings()
        for job, held in sorted(self.tenures.items()):
            overlaps = [
                f"{after.replica} at {after.first_seen_s:.1f} s"
                for before, after in itertools.pairwise(held)
                if after.first_seen_at < before.last_expiry
            ]
            story = " -> ".join(
                f"{t.replica} ({t.first_seen_s:.1f}-{t.last_seen_s:.1f} s)" for t in held
            )
            findings.add(
                f"lease {job:<38} holders {story}  handovers {len(held) - 1}  "
                f"while the lease was live {len(overlaps)} {overlaps[:3]}",
                bool(overlaps),
            )
        never = sorted(self.jobs - set(self.tenures))
        findings.add(f"leases sampled {self.samples} times; jobs never held {never}", bool(never))
        return findings


@contextlib.asynccontextmanager
async def watching(
    engine: AsyncEngine, deployment: Deployment, jobs: frozenset[str]
) -> AsyncIterator[LeaseWatch]:
    """A LeaseWatch over jobs sampling for the duration of the block."""
    watch, done = LeaseWatch(engine, deployment, jobs), asyncio.Event()
    sampling = asyncio.create_task(watch.run(done))
    try:
        yield watch
    finally:
        done.set()
        await sampling
