"""Cycles, expected reports and reminder digests over real gRPC, as a city and as a reviewer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import grpc
import pytest

from nlc.reporting.v1 import cycles_pb2 as pb
from services.common import demo_ids
from services.common.auth import SYSTEM
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.handlers.obligations import open_grant_obligation, open_plan_obligation
from tests.integration.common.polling import eventually
from tests.integration.reporting.conftest import seed_places

RIVERTON = f"organisations/{demo_ids.RIVERTON}"
LAKESIDE = f"organisations/{demo_ids.LAKESIDE}"


async def _obligations(deps, places) -> None:
    """Plans of Riverton and Lakeside (reviewed by CENTRE), and a grant of Bridges."""
    async with deps.uow(SYSTEM) as uow:
        for n, (org, place) in enumerate(
            [(demo_ids.RIVERTON, places.riverton), (demo_ids.LAKESIDE, places.lakeside)], start=1
        ):
            await open_plan_obligation(
                uow,
                plan_id=f"2b000000-0000-4000-8000-00000000000{n}",
                organisation_id=org,
                jurisdiction_id=place,
                reviewing_org_id=demo_ids.CENTRE,
                start_on=date(2025, 1, 1),
                end_on=None,
            )
        await open_grant_obligation(
            uow,
            award_id="3b000000-0000-4000-8000-000000000001",
            call_id="3d000000-0000-4000-8000-000000000001",
            organisation_id=demo_ids.BRIDGES,
            jurisdiction_id=places.riverton,
            reviewing_org_id=demo_ids.RIVERTON,
            periodicity=ReportingPeriodicity.SEMIANNUAL,
            start_on=date(2026, 1, 10),
            final_evaluation_required=False,
        )
        await uow.commit()


def _rows(response: pb.ListExpectedReportsResponse) -> list[tuple[str, str, str]]:
    return [
        (e.organisation, e.cycle, pb.ComplianceStatus.Name(e.status))
        for e in response.expected_reports
    ]


async def test_cities_and_reviewers_see_their_cycles_and_expected_reports(
    reporting_service,
) -> None:
    deps = reporting_service.running.deps
    await _obligations(deps, await seed_places(deps))
    call = reporting_service.call

    cycles = await call("ListReportingCycles", pb.ListReportingCyclesRequest(), as_user="city")
    assert [(c.code, pb.CycleState.Name(c.state)) for c in cycles.cycles] == [
        ("2026-H1", "CYCLE_STATE_UPCOMING"),
        ("2025-H2", "CYCLE_STATE_LOCKED"),
        ("2025-H1", "CYCLE_STATE_LOCKED"),
    ]
    assert (cycles.cycles[0].due_date, cycles.cycles[0].period.end_date) == (
        "2026-07-30",
        "2026-06-30",
    )

    mine = await call("ListExpectedReports", pb.ListExpectedReportsRequest(), as_user="city")
    assert _rows(mine) == [
        (RIVERTON, "reportingCycles/2025-H1", "COMPLIANCE_STATUS_MISSING"),
        (RIVERTON, "reportingCycles/2025-H2", "COMPLIANCE_STATUS_MISSING"),
        (RIVERTON, "reportingCycles/2026-H1", "COMPLIANCE_STATUS_NOT_YET_DUE"),
    ]
    not_mine = pb.ListExpectedReportsRequest(organisation=LAKESIDE)
    assert _rows(await call("ListExpectedReports", not_mine, as_user="city")) == []

    reviewed = await call(
        "ListExpectedReports",
        pb.ListExpectedReportsRequest(status=pb.COMPLIANCE_STATUS_NOT_YET_DUE),
        as_user="reviewer",
    )
    # The reviewer sees both places' plan reports, not the grant report it does not review.
    assert sorted(_rows(reviewed)) == sorted(
        [
            (LAKESIDE, "reportingCycles/2026-H1", "COMPLIANCE_STATUS_NOT_YET_DUE"),
            (RIVERTON, "reportingCycles/2026-H1", "COMPLIANCE_STATUS_NOT_YET_DUE"),
        ]
    )


async def test_bad_and_unknown_cycles(reporting_service) -> None:
    call = reporting_service.call
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await call(
            "ListExpectedReports",
            pb.ListExpectedReportsRequest(cycle="reportingCycles/2026-H3"),
            as_user="reviewer",
        )
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "cycle" in bad.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await call(
            "GetReportingCycle",
            pb.GetReportingCycleRequest(name="reportingCycles/2031-H1"),
            as_user="city",
        )
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND


async def test_the_scheduler_sends_the_day_s_digest(reporting_service) -> None:
    deps = reporting_service.running.deps
    await _obligations(deps, await seed_places(deps))
    reporting_service.clock.set(datetime(2026, 7, 16, 6, 0, tzinfo=UTC))

    async def city_digests() -> pb.ListReminderDigestsResponse:
        request = pb.ListReminderDigestsRequest()
        return await reporting_service.call("ListReminderDigests", request, as_user="city")

    found = await eventually(city_digests, lambda r: len(r.digests) > 0, what="a digest")
    assert [(d.day, d.organisation) for d in found.digests] == [("2026-07-16", RIVERTON)]
    assert [(r.cycle, r.days_to_due) for r in found.digests[0].reminders] == [
        ("reportingCycles/2026-H1", 14)
    ]
    # The scheduler also expected the new cycle's reports once the clock reached it.
    cycles = await reporting_service.call(
        "ListReportingCycles", pb.ListReportingCyclesRequest(), as_user="city"
    )
    assert cycles.cycles[0].code == "2026-H2"
