"""National view at national scale on PostgreSQL: the compliance matrix and the indicator roll-up
for a whole country and for one region, beside a bare `SELECT count(*)` over the same tables.

Schema `reporting_bench` (dropped first) of NLC_BENCH_DATABASE_URL gets the reporting migrations
and set-based data: 1 country, 20 regions, 10,000 cities each with a local government, 20
semiannual cycles (2017-H1..2026-H2), one obligation per city, an expected report per city and
cycle in a realistic mix of states, 30 standard indicators -> 6,000,000 indicator values, and the
roll-ups rebuilt from them (orm/rollups.rebuild_rollups). nats-server and the dev IdP run in their
own processes; the real reporting service (start_service with the reporting SPEC) serves the
schema. As the demo national admin it times GetComplianceMatrix (child rows, last 6 cycles) and
GetIndicatorRollup (30 indicators, 6 cycles), N calls each after a warm-up; the roll-ups as the
demo national reviewer (its body's roll-up rows); then how long a city's SubmitProgressReport
takes to show as SUBMITTED in the region's place rows.
Run: `make bench-reporting` (about 5 minutes, most of it generating data). Before the current
cycle opens the service runs at its open date (a report can only be submitted from then).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from datetime import time as datetime_time

import grpc
from _stack import fresh_schemas, password_token, percentile_ms, platform
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from nlc.reporting.v1 import cycles_pb2, national_pb2, reporting_pb2_grpc
from nlc.reporting.v1 import reports_pb2 as rpb
from services.common import demo_ids
from services.common.app import start_service
from services.common.auth import SYSTEM
from services.common.clock import FixedClock, SystemClock
from services.common.config import load_settings
from services.common.db import create_engine, session_factory
from services.common.migrations import upgrade
from services.common.uow import uow_factory
from services.reporting.domain.cycles import Cycle, cycle_from_code
from services.reporting.domain.plans import (
    Activity,
    Aggregation,
    Direction,
    Indicator,
    PlanContent,
    Target,
    TheoryOfChange,
    content_to_record,
)
from services.reporting.handlers.obligations import open_plan_obligation
from services.reporting.orm.obligations import reporting_cycles
from services.reporting.orm.plans import action_plans, plan_versions
from services.reporting.orm.rollups import rebuild_rollups
from services.reporting.service import SPEC

DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/nlc_bench"
SCHEMA = "reporting_bench"
REGIONS, CITIES, INDICATORS, CYCLES = 20, 10_000, 30, 20
FIRST_CYCLE = "2017-H1"
WARM_UP = 3
ANALYSED = (
    "known_jurisdictions", "known_organisations", "reporting_cycles", "obligations",
    "expected_reports", "progress_reports", "indicator_values", "indicator_rollups",
)  # fmt: skip
VISIBLE_DEADLINE_S = 30
CENTRE = demo_ids.CENTRE
# City 1's local government is the demo city's organisation, so the demo city officer reports.
FLOW_ORG = demo_ids.RIVERTON
IDS = {
    "country": "md5('bench-country')::uuid::text",
    "region": "md5('bench-region-' || {})::uuid::text",
    "city": "md5('bench-city-' || {})::uuid::text",
    "org": "CASE WHEN {0} = 1 THEN :flow_org ELSE md5('bench-org-' || {0})::uuid::text END",
}


def _id(kind: str, n: str = "") -> str:
    return IDS[kind].format(n)


# Each statement is set-based; :today, :centre, :flow_org, :cities, :regions, :indicators bound.
GENERATE = {
    "places": f"""
        INSERT INTO known_jurisdictions (id, parent_id, code, display_name, level, path, as_of)
        SELECT {_id("country")}, NULL, 'BN', 'Benchland', 'country', '/' || {_id("country")} || '/',
               now()
        UNION ALL
        SELECT {_id("region", "r")}, {_id("country")}, 'BN-' || lpad(r::text, 2, '0'),
               'Region ' || lpad(r::text, 2, '0'), 'region',
               '/' || {_id("country")} || '/' || {_id("region", "r")} || '/', now()
        FROM generate_series(1, :regions) r
        UNION ALL
        SELECT {_id("city", "n")}, {_id("region", "r")}, 'BN-C' || lpad(n::text, 5, '0'),
               'Place ' || lpad(n::text, 5, '0'), 'city',
               '/' || {_id("country")} || '/' || {_id("region", "r")} || '/' || {_id("city", "n")}
               || '/', now()
        FROM generate_series(1, :cities) n, LATERAL (SELECT (n - 1) % :regions + 1 AS r) g""",
    "organisations": f"""
        INSERT INTO known_organisations (id, display_name, kind, verification_state,
                                         jurisdiction_id, as_of)
        SELECT :centre, 'National Prevention Centre', 'national_agency', 'verified',
               {_id("country")}, now()
        UNION ALL
        SELECT {_id("org", "n")}, 'City of Place ' || lpad(n::text, 5, '0'), 'local_government',
               'verified', {_id("city", "n")}, now()
        FROM generate_series(1, :cities) n""",
    "mandates": f"""
        INSERT INTO known_mandates (organisation_id, version, overseeing_org_id, periodicity,
                                    fiscal_start_month, as_of)
        SELECT {_id("org", "n")}, 1, :centre, 'semiannual', 1, now()
        FROM generate_series(1, :cities) n""",
    "obligations (city 1 opens its own from an approved plan)": f"""
        INSERT INTO obligations (id, kind, organisation_id, jurisdiction_id, reviewing_org_id,
            periodicity, fiscal_start_month, start_on, final_evaluation_required, created_at)
        SELECT md5('bench-obligation-' || n)::uuid::text, 'action_plan', {_id("org", "n")},
               {_id("city", "n")}, :centre, 'semiannual', 1, DATE '2017-01-01', false, now()
        FROM generate_series(2, :cities) n""",
    "expected reports": """
        INSERT INTO expected_reports (obligation_id, cycle_code, kind, organisation_id,
            jurisdiction_id, reviewing_org_id, due_on, lock_on, report_id, report_state,
            submitted_at)
        SELECT o.id, c.code, o.kind, o.organisation_id, o.jurisdiction_id, o.reviewing_org_id,
               c.due_on, c.lock_on,
               CASE WHEN s.state <> 'none' THEN md5(o.id || c.code)::uuid::text END, s.state,
               CASE WHEN s.state IN ('submitted', 'returned', 'accepted')
                    THEN (c.due_on - h % 40 + 10)::timestamp AT TIME ZONE 'UTC' END
        FROM obligations o CROSS JOIN reporting_cycles c
        CROSS JOIN LATERAL (SELECT abs(hashtext(o.id || c.code)) % 100 AS h) x
        CROSS JOIN LATERAL (SELECT CASE
            WHEN c.lock_on < :today THEN CASE WHEN h < 70 THEN 'accepted'
                WHEN h < 78 THEN 'submitted' WHEN h < 83 THEN 'returned'
                WHEN h < 88 THEN 'draft' ELSE 'none' END
            ELSE CASE WHEN h < 10 THEN 'submitted' WHEN h < 40 THEN 'draft' ELSE 'none' END
            END AS state) s
        WHERE o.plan_id IS NULL""",
    "progress reports (the started ones)": """
        INSERT INTO progress_reports (id, obligation_id, cycle_code, kind, organisation_id,
            jurisdiction_id, reviewing_org_id, state, content, due_on, lock_on, submitted_at,
            return_reason, comments, reopen_reason, version, created_at, created_by, updated_at,
            updated_by)
        SELECT report_id, obligation_id, cycle_code, 'progress', organisation_id,
               jurisdiction_id, reviewing_org_id, report_state, '{}'::json, due_on, lock_on,
               submitted_at, '', '[]'::json, '', 1, now(), 'bench', now(), 'bench'
        FROM expected_reports WHERE report_id IS NOT NULL""",
    "indicator values": """
        INSERT INTO indicator_values (report_id, indicator_code, standard_code, cycle_code,
            jurisdiction_id, reviewing_org_id, aggregation, direction, value, target, baseline)
        SELECT md5(e.obligation_id || e.cycle_code)::uuid::text, 'L' || lpad(i::text, 2, '0'),
               'IND.' || lpad(i::text, 2, '0'), e.cycle_code, e.jurisdiction_id, e.reviewing_org_id,
               CASE WHEN i % 3 = 0 THEN 'average' ELSE 'sum' END,
               CASE WHEN i % 5 = 0 THEN 'down' ELSE 'up' END,
               round((random() * 100)::numeric, 1), 80, 50
        FROM expected_reports e CROSS JOIN generate_series(1, :indicators) i""",
}


def _cycles() -> list[Cycle]:
    cycles = [cycle_from_code(FIRST_CYCLE)]
    while len(cycles) < CYCLES:
        cycles.append(cycles[-1].next())
    return cycles


def _cycle_row(c: Cycle) -> dict:
    return {
        "code": c.code, "periodicity": str(c.periodicity),
        "fiscal_start_month": c.fiscal_start_month, "period_start": c.period_start,
        "period_end": c.period_end, "open_on": c.open_on, "due_on": c.due_on,
        "grace_days": c.grace_days, "lock_on": c.lock_on,
    }  # fmt: skip


def _flow_plan(current: str) -> PlanContent:
    """City 1's approved plan: one activity, one indicator linked to standard IND.01."""
    activity = Activity("A1", "Youth mentoring", "P1", FLOW_ORG, (), None, None, None, None)
    indicator = Indicator(
        "I1", "Residents reached", "IND.01", None, "people", 50.0, None,
        (Target(current, 80.0),), Direction.UP, (), "Programme records", Aggregation.SUM, "A1",
    )  # fmt: skip
    return PlanContent(
        "Place 00001 prevention plan", None, date(2017, 1, 1), None,
        TheoryOfChange("Fewer young people drawn into violence"), (activity,), (indicator,),
    )  # fmt: skip


async def _open_flow_city(engine: AsyncEngine, current: str) -> str:
    """An approved plan of city 1 and the obligation its approval opens (the cycles handler)."""
    async with engine.connect() as conn:
        place = (await conn.execute(text(f"SELECT {_id('city', '1')}"))).scalar_one()
    clock = SystemClock()
    now = clock.now()
    stamps = {"created_at": now, "created_by": "bench", "updated_at": now, "updated_by": "bench"}
    plan_id = await _scalar(engine, "SELECT md5('bench-plan-1')::uuid::text")
    uow = uow_factory(session_factory(engine), clock)(SYSTEM)
    async with uow:
        await uow.session.execute(
            insert(action_plans).values(
                id=plan_id, owner_org_id=FLOW_ORG, jurisdiction_id=place,
                reviewing_org_id=CENTRE, current_version=1, approved_version=1,
                state="approved", version=1, **stamps,
            )
        )  # fmt: skip
        await uow.session.execute(
            insert(plan_versions).values(
                plan_id=plan_id, number=1, state="approved",
                content=content_to_record(_flow_plan(current)), submitted_at=now,
                approved_at=now, **stamps,
            )
        )  # fmt: skip
        obligation = await open_plan_obligation(
            uow, plan_id=plan_id, organisation_id=FLOW_ORG, jurisdiction_id=place,
            reviewing_org_id=CENTRE, start_on=date(2017, 1, 1), end_on=None,
        )  # fmt: skip
        await uow.commit()
    return obligation


async def _scalar(engine: AsyncEngine, sql: str) -> object:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql))).scalar_one()


async def generate(url: str, today: date, cities: int) -> str:
    """Fresh schema, migrations, national-scale rows; returns city 1's obligation id."""
    await fresh_schemas(url)
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    await admin.dispose()
    engine = create_engine(url, schema=SCHEMA)
    await upgrade(engine, SPEC.migrations, schema=SCHEMA)
    cycles = _cycles()
    params = {
        "today": today, "centre": CENTRE, "flow_org": FLOW_ORG, "cities": cities,
        "regions": REGIONS, "indicators": INDICATORS,
    }  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(insert(reporting_cycles), [_cycle_row(c) for c in cycles])
    for step, sql in GENERATE.items():
        started = time.perf_counter()
        async with engine.begin() as conn:
            await conn.execute(text("SELECT setseed(0.42)"))
            rows = (await conn.execute(text(sql), _used(sql, params))).rowcount
        print(f"  {step:<58} {rows:>10,} rows {time.perf_counter() - started:7.1f} s", flush=True)
        if step.startswith("obligations"):
            current = next(c for c in cycles if c.period_start <= today <= c.period_end)
            obligation = await _open_flow_city(engine, current.code)
    started = time.perf_counter()
    async with session_factory(engine)() as session, session.begin():
        await session.execute(text("SET LOCAL work_mem = '256MB'"))
        await rebuild_rollups(session)
    rollups = await _scalar(engine, "SELECT count(*) FROM indicator_rollups")
    print(f"  {'roll-ups (rebuild_rollups)':<58} {rollups:>10,} rows "
          f"{time.perf_counter() - started:7.1f} s", flush=True)  # fmt: skip
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    async with autocommit.connect() as conn:
        await conn.execute(text(f"VACUUM ANALYZE {', '.join(ANALYSED)}"))
    await engine.dispose()
    return obligation


def _used(sql: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if f":{k}" in sql}


async def timed(call: Callable[[], Awaitable[object]], n: int) -> list[float]:
    """Seconds per call of n sequential calls after WARM_UP untimed ones, sorted."""
    for _ in range(WARM_UP):
        await call()
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - started)
    return sorted(latencies)


def report(label: str, latencies: list[float], target_ms: float | None = None) -> None:
    p95 = percentile_ms(latencies, 0.95)
    verdict = ""
    if target_ms is not None:
        verdict = f"   (p95 < {target_ms:.0f} ms: {'met' if p95 < target_ms else 'NOT met'})"
    print(
        f"{label:<52} p50 {percentile_ms(latencies, 0.5):8.1f} ms   p95 {p95:8.1f} ms   "
        f"max {1000 * latencies[-1]:8.1f} ms{verdict}"
    )


def _place_status(matrix, organisation: str, cycle: str) -> int:
    for row in matrix.rows:
        if row.organisation == organisation:
            cell = next(c for c in row.cells if c.cycle == cycle)
            return cell.status
    return cycles_pb2.COMPLIANCE_STATUS_UNSPECIFIED


async def submission_visible(stub, admin, city, region: str, obligation: str, cycle: str) -> float:
    """City 1's officer fills and submits its report; seconds until the region's place rows,
    polled as the admin, show it SUBMITTED (from sending the submit)."""
    report = await stub.CreateProgressReport(
        rpb.CreateProgressReportRequest(
            obligation=f"reportingObligations/{obligation}", cycle=f"reportingCycles/{cycle}"
        ),
        metadata=city,
    )
    content = rpb.ProgressReport(
        name=report.name,
        activities=[rpb.ActivityProgress(activity_code="A1", status=rpb.ACTIVITY_STATUS_ON_TRACK)],
        indicators=[rpb.IndicatorActual(indicator_code="I1", has_value=True, value=64)],
        narrative=rpb.Narrative(achievements="Mentors trained", challenges="Late start"),
    )
    mask = FieldMask(paths=["activities", "indicators", "narrative"])
    await stub.UpdateProgressReport(
        rpb.UpdateProgressReportRequest(progress_report=content, update_mask=mask), metadata=city
    )
    poll = national_pb2.GetComplianceMatrixRequest(
        jurisdiction=f"jurisdictions/{region}", rows=national_pb2.MATRIX_ROWS_PLACES, page_size=50
    )
    organisation, column = f"organisations/{FLOW_ORG}", f"reportingCycles/{cycle}"
    before = _place_status(
        await stub.GetComplianceMatrix(poll, metadata=admin), organisation, column
    )
    assert before != cycles_pb2.COMPLIANCE_STATUS_SUBMITTED
    started = time.perf_counter()
    await stub.SubmitProgressReport(
        rpb.SubmitProgressReportRequest(name=report.name), metadata=city
    )
    while time.perf_counter() - started < VISIBLE_DEADLINE_S:
        matrix = await stub.GetComplianceMatrix(poll, metadata=admin)
        if _place_status(matrix, organisation, column) == cycles_pb2.COMPLIANCE_STATUS_SUBMITTED:
            return time.perf_counter() - started
    raise TimeoutError("the submission never showed in the matrix")


async def measure(url: str, target: str, issuer: str, obligation: str, today: date, n: int) -> None:
    engine = create_engine(url, schema=SCHEMA)
    country = await _scalar(engine, f"SELECT {_id('country')}")
    region = await _scalar(engine, f"SELECT {_id('region', '1')}")
    current = next(c.code for c in _cycles() if c.period_start <= today <= c.period_end)
    admin = (("authorization", f"Bearer {await password_token(issuer, 'admin')}"),)
    city = (("authorization", f"Bearer {await password_token(issuer, 'city')}"),)
    reviewer = (("authorization", f"Bearer {await password_token(issuer, 'reviewer')}"),)
    async with grpc.aio.insecure_channel(target) as channel:
        stub = reporting_pb2_grpc.ReportingServiceStub(channel)

        def matrix(place: str) -> Callable[[], Awaitable[object]]:
            request = national_pb2.GetComplianceMatrixRequest(
                jurisdiction=f"jurisdictions/{place}", rows=national_pb2.MATRIX_ROWS_CHILDREN
            )
            return lambda: stub.GetComplianceMatrix(request, metadata=admin, timeout=30)

        def rollup(place: str, caller=admin) -> Callable[[], Awaitable[object]]:
            request = national_pb2.GetIndicatorRollupRequest(jurisdiction=f"jurisdictions/{place}")
            return lambda: stub.GetIndicatorRollup(request, metadata=caller, timeout=60)

        def count(table: str) -> Callable[[], Awaitable[object]]:
            return lambda: _scalar(engine, f"SELECT count(*) FROM {table}")

        whole = await matrix(country)()
        rolled = await rollup(country)()
        print(
            f"country matrix: {len(whole.rows)} rows x {len(whole.cycles)} cycles, "
            f"{sum(t.count for t in whole.totals):,} expected reports; country roll-up: "
            f"{len(rolled.rows)} rows"
        )
        runs = [
            ("baseline SELECT count(*) FROM indicator_values", count("indicator_values"), None),
            ("baseline SELECT count(*) FROM expected_reports", count("expected_reports"), None),
            ("GetComplianceMatrix country (children, 6 cycles)", matrix(country), 300),
            ("GetComplianceMatrix region (children, 6 cycles)", matrix(region), None),
            ("GetIndicatorRollup country (30 x 6)", rollup(country), 300),
            ("GetIndicatorRollup region (30 x 6)", rollup(region), None),
        ]
        for label, call, target_ms in runs:
            report(label, await timed(call, n), target_ms)
        print(f"national reviewer (its body's roll-up rows), {n} calls:")
        for label, place, target_ms in (("country", country, 300), ("region", region, None)):
            latencies = await timed(rollup(place, reviewer), n)
            report(f"GetIndicatorRollup {label} as reviewer (30 x 6)", latencies, target_ms)
        visible = await submission_visible(stub, admin, city, region, obligation, current)
    met = "met" if visible < 1 else "NOT met"
    print(f"{'submission visible in the matrix (submit -> SUBMITTED)':<52} "
          f"{1000 * visible:8.1f} ms   (< 1000 ms: {met})")  # fmt: skip
    await engine.dispose()


def service_moment() -> datetime:
    """Now, or the day the current cycle opens when that is still ahead: a report can only be
    submitted once its cycle is open, and the benchmark times a real submission."""
    now = SystemClock().now()
    current = next(c for c in _cycles() if c.period_start <= now.date() <= c.period_end)
    if now.date() >= current.open_on:
        return now
    return datetime.combine(current.open_on, datetime_time(12), UTC)


async def main(url: str, n: int, cities: int) -> None:
    moment = service_moment()
    today = moment.date()
    print(
        f"national scale on PostgreSQL, schema {SCHEMA}: {cities:,} cities in {REGIONS} regions, "
        f"{CYCLES} cycles, {INDICATORS} indicators; today {today}; cpus {os.cpu_count()}"
    )
    began = time.perf_counter()
    obligation = await generate(url, today, cities)
    print(
        f"generated in {time.perf_counter() - began:.0f} s; {n} calls each after {WARM_UP} warm-up"
    )
    async with platform([]) as stack:
        settings = load_settings(
            home=stack.home, nats_url=stack.env["NLC_NATS_URL"], oidc_issuer=stack.issuer,
            database_url=url, log_json=True,
        )  # fmt: skip
        clock = FixedClock(moment)
        running = await start_service(SPEC, settings, port=0, clock=clock, db_schema=SCHEMA)
        try:
            await measure(url, f"127.0.0.1:{running.port}", stack.issuer, obligation, today, n)
        finally:
            await running.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--cities", type=int, default=CITIES, help="fewer for a quick try")
    parser.add_argument(
        "--database-url", default=os.environ.get("NLC_BENCH_DATABASE_URL", DATABASE_URL)
    )
    options = parser.parse_args()
    asyncio.run(main(options.database_url, options.calls, options.cities))
