"""Grants and reporting on one nats-server: an award opens the grantee's reporting obligation, and
the report its call's manager accepts releases the award's report tranche, all through events."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import make_url

from services.common.app import RunningService, start_service
from services.common.auth import Role
from services.common.clock import FixedClock
from services.common.config import load_settings
from services.grants.domain.awards import AwardItem
from services.grants.domain.tranches import TrancheState
from services.grants.handlers import awards as award_handlers
from services.grants.orm.awards import load_award
from services.grants.service import SPEC as GRANTS
from services.reporting.domain.reports import Narrative, ReportContent
from services.reporting.orm.obligation_rows import load_obligation
from services.reporting.service import SPEC as REPORTING
from tests.integration.grants.conftest import MANAGER, MANAGER_ORG, eur
from tests.integration.grants.test_award_handlers import _confirm_match, closed_call, decide
from tests.integration.grants.test_report_tranches import THREE_TRANCHES
from tests.integration.reporting.report_setup import accept, create, fill, submit
from tests.support.databases import drop_schema
from tests.support.handler_kit import member

AWARDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# 2026-H1 opens on 17 June; the grantee reports once the cycle is open.
REPORTED = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
DEADLINE_S = 20.0
T = TypeVar("T")


@dataclass
class Pair:
    grants: RunningService
    reporting: RunningService
    reporting_clock: FixedClock


@pytest.fixture
async def pair(
    tmp_path: Path, nats_server: str, idp: Any, database_url: str, db_schema: str
) -> AsyncIterator[Pair]:
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    settings = load_settings(
        home=tmp_path / "home",
        nats_url=nats_server,
        oidc_issuer=idp.issuer,
        database_url=database_url if postgres else "",
    )
    grants_schema, clock = f"{db_schema}_grants", FixedClock(AWARDED)
    grants = await start_service(
        GRANTS, settings, port=0, clock=FixedClock(AWARDED), db_schema=grants_schema
    )
    reporting = await start_service(REPORTING, settings, port=0, clock=clock, db_schema=db_schema)
    try:
        yield Pair(grants, reporting, clock)
    finally:
        await reporting.stop()
        await grants.stop()
        if postgres:
            await drop_schema(database_url, grants_schema)


async def _eventually(probe: Callable[[], Awaitable[T | None]], what: str) -> T:
    give_up = time.monotonic() + DEADLINE_S
    while (found := await probe()) is None:
        if time.monotonic() > give_up:
            raise AssertionError(f"never happened within {DEADLINE_S}s: {what}")
        await asyncio.sleep(0.05)
    return found


async def test_an_accepted_grant_report_releases_the_report_tranche(pair: Pair) -> None:
    g, r = pair.grants.deps, pair.reporting.deps
    call_id, (application, _) = await closed_call(g, tranche_plan=THREE_TRANCHES)
    [award] = await decide(g, call_id, AwardItem(application.id, eur(10_000)))
    await _confirm_match(g, application.id)
    await award_handlers.sign_award(g.uow(MANAGER), award_handlers.AwardRef(award.id))

    async def obligation() -> Any:
        async with r.sessions() as session:
            return await load_obligation(session, award_id=award.id)

    duty = await _eventually(obligation, "the award opened a reporting obligation")
    assert duty.reviewing_org_id == MANAGER_ORG
    grantee = member(duty.organisation_id, Role.CSO_MEMBER)

    pair.reporting_clock.set(REPORTED)
    report = (await create(r, grantee, duty.id, "2026-H1")).report
    narrative = ReportContent(narrative=Narrative("Twelve mentors matched.", "Two left.", ""))
    await fill(r, grantee, report.id, narrative, "narrative")
    await submit(r, grantee, report.id)
    await accept(r, member(MANAGER_ORG, Role.GRANT_MANAGER), report.id)

    async def released() -> bool | None:
        async with g.sessions() as session:
            stored = await load_award(session, award.id)
        assert stored is not None
        states = {t.code: t.state for t in stored.tranches}
        assert states["evaluation"] == TrancheState.PENDING
        return True if states["report"] == TrancheState.RELEASED else None

    await _eventually(released, "the report tranche was released")
