"""The national view over real gRPC as the demo national reviewer: the matrix, the roll-up, the
support requests and a CSV export; bad requests name their field, other roles are refused."""

from __future__ import annotations

import csv
import io

import grpc
import pytest

from nlc.reporting.v1 import cycles_pb2, national_pb2, reports_pb2
from services.common import demo_ids
from services.common.clock import today
from services.common.db import session_factory
from services.common.rich_status import violations_of
from services.reporting.deps import ReportingDeps
from services.reporting.domain.reports import SupportKind
from tests.integration.reporting.conftest import COUNTRY, NORTH, REVIEWER, seed_places
from tests.integration.reporting.national_seed import CYCLES
from tests.integration.reporting.test_national_rollup import SUM_UP, seed_indicators
from tests.integration.reporting.test_national_support import seed_support, seen_by
from tests.support.services import ServiceUnderTest

COUNTRY_NAME = f"jurisdictions/{COUNTRY}"


def _deps(svc: ServiceUnderTest) -> ReportingDeps:
    return ReportingDeps(session_factory(svc.running.engine), svc.running.deps.uow, svc.clock)


async def seeded(svc: ServiceUnderTest) -> ReportingDeps:
    """The places and the national scenario (with indicator values) in the service's database."""
    deps = _deps(svc)
    await seed_places(deps)
    await seed_indicators(deps)
    return deps


async def test_the_reviewer_reads_the_matrix_of_its_places(reporting_service):
    svc = reporting_service
    await seeded(svc)

    m = await svc.call(
        "GetComplianceMatrix",
        national_pb2.GetComplianceMatrixRequest(jurisdiction=COUNTRY_NAME),
        as_user="reviewer",
    )

    assert list(m.cycles) == [f"reportingCycles/{c}" for c in CYCLES]
    # Telecom's grant report at the country is its call managers' alone, so no country row.
    assert [r.display_name for r in m.rows] == ["North", "South"]
    north = next(r for r in m.rows if r.jurisdiction == f"jurisdictions/{NORTH}")
    first = {c.status: c.count for c in north.cells[0].counts}
    # Riverton's accepted plan report; Bridges' grant report goes to another body.
    assert first == {cycles_pb2.COMPLIANCE_STATUS_ACCEPTED: 1}


async def test_the_reviewer_pages_through_place_rows(reporting_service):
    svc = reporting_service
    await seeded(svc)
    request = national_pb2.GetComplianceMatrixRequest(
        jurisdiction=COUNTRY_NAME, rows=national_pb2.MATRIX_ROWS_PLACES, page_size=1
    )

    first = await svc.call("GetComplianceMatrix", request, as_user="reviewer")
    request.page_token = first.next_page_token
    second = await svc.call("GetComplianceMatrix", request, as_user="reviewer")

    organisations = [r.organisation for r in [*first.rows, *second.rows]]
    assert organisations == [f"organisations/{o}" for o in (demo_ids.RIVERTON, demo_ids.LAKESIDE)]
    assert second.next_page_token == ""
    riverton = first.rows[0]
    assert riverton.cells[0].status == cycles_pb2.COMPLIANCE_STATUS_ACCEPTED
    assert riverton.cells[0].report.startswith("progressReports/")


async def test_the_reviewer_reads_the_rollup_and_exports_it(reporting_service):
    svc = reporting_service
    await seeded(svc)

    rollup = await svc.call(
        "GetIndicatorRollup",
        national_pb2.GetIndicatorRollupRequest(
            jurisdiction=COUNTRY_NAME, standard_indicators=[SUM_UP]
        ),
        as_user="reviewer",
    )
    exported = await svc.call(
        "ExportNationalView",
        national_pb2.ExportNationalViewRequest(
            view=national_pb2.NATIONAL_VIEW_INDICATOR_ROLLUP, jurisdiction=COUNTRY_NAME
        ),
        as_user="reviewer",
    )

    [row] = rollup.rows
    assert (row.cycle, row.actual, row.target, row.reporting_places) == (
        "reportingCycles/2025-H1", 200, 300, 2,
    )  # fmt: skip
    assert row.share_of_target_bps == 6667
    assert exported.content_type == "text/csv"
    assert exported.filename == f"indicators-AR-{today(svc.clock).isoformat()}.csv"
    lines = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert {x["standard_indicator"] for x in lines} >= {SUM_UP}


async def test_the_reviewer_lists_support_requests_of_its_places(reporting_service):
    svc = reporting_service
    asks = seen_by(REVIEWER, await seed_support(await seeded(svc)))

    found = await svc.call(
        "ListSupportRequests",
        national_pb2.ListSupportRequestsRequest(
            jurisdiction=COUNTRY_NAME, kinds=[reports_pb2.SUPPORT_KIND_FUNDING]
        ),
        as_user="reviewer",
    )

    funding = [a for a in asks.values() if a.kind == SupportKind.FUNDING]
    assert sum(g.count for g in found.groups) == len(funding) == len(found.items)
    assert {i.request.id for i in found.items} == {
        i for i, a in asks.items() if a.kind == SupportKind.FUNDING
    }
    north = next(g for g in found.groups if g.jurisdiction == f"jurisdictions/{NORTH}")
    assert {(m.currency_code, m.minor_units) for m in north.amounts} == {
        ("EUR", 750_000),
        ("USD", 10_000),
    }


MATRIX = national_pb2.GetComplianceMatrixRequest


@pytest.mark.parametrize(
    ("method", "request_", "field"),
    [
        ("GetComplianceMatrix", MATRIX(), "jurisdiction"),
        ("GetComplianceMatrix", MATRIX(jurisdiction="places/x"), "jurisdiction"),
        ("GetComplianceMatrix", MATRIX(jurisdiction=COUNTRY_NAME, cycles=["2026"]), "cycles[0]"),
        ("GetComplianceMatrix", MATRIX(jurisdiction=COUNTRY_NAME, last_cycles=-1), "last_cycles"),
        ("GetComplianceMatrix", MATRIX(jurisdiction=COUNTRY_NAME, rows=7), "rows"),
        ("GetComplianceMatrix", MATRIX(jurisdiction=COUNTRY_NAME, page_size=-1), "page_size"),
        (
            "GetComplianceMatrix",
            MATRIX(jurisdiction=COUNTRY_NAME, rows=national_pb2.MATRIX_ROWS_PLACES, page_token="x"),
            "page_token",
        ),
        (
            "GetIndicatorRollup",
            national_pb2.GetIndicatorRollupRequest(
                jurisdiction=COUNTRY_NAME, standard_indicators=["x" * 33]
            ),
            "standard_indicators[0]",
        ),
        (
            "ListSupportRequests",
            national_pb2.ListSupportRequestsRequest(jurisdiction=COUNTRY_NAME, kinds=[0]),
            "kinds[0]",
        ),
        (
            "ExportNationalView",
            national_pb2.ExportNationalViewRequest(jurisdiction=COUNTRY_NAME),
            "view",
        ),
    ],
)
async def test_bad_requests_name_the_field(reporting_service, method, request_, field):
    await seed_places(_deps(reporting_service))
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reporting_service.call(method, request_, as_user="reviewer")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in dict(violations_of(caught.value))


async def test_an_unknown_jurisdiction_is_not_found(reporting_service):
    request = national_pb2.GetComplianceMatrixRequest(
        jurisdiction="jurisdictions/1a000000-0000-4000-8000-0000000000ff"
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reporting_service.call("GetComplianceMatrix", request, as_user="admin")
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


async def test_a_city_officer_may_not_open_the_national_view(reporting_service):
    request = national_pb2.GetComplianceMatrixRequest(jurisdiction=COUNTRY_NAME)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reporting_service.call("GetComplianceMatrix", request, as_user="city")
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
