"""RPCs of reporting cycles, obligations, expected reports and reminder digests (all reads)."""

from __future__ import annotations

from typing import Any

from nlc.reporting.v1 import cycles_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.clock import today
from services.common.field_parser import FieldParser
from services.common.grpc_server import ANY_AUTHENTICATED
from services.common.resource_names import parse_optional_name
from services.common.vocabulary import ReportingPeriodicity
from services.reporting.convert.cycles import (
    COMPLIANCE_STATUS,
    OBLIGATION_KIND,
    ORGANISATIONS,
    PERIODICITY,
    cycle_to_proto,
    digest_to_proto,
    expected_to_proto,
    obligation_to_proto,
    parse_cycle_name,
)
from services.reporting.deps import ReportingDeps
from services.reporting.queries import cycles as queries

_PREFIX = "/nlc.reporting.v1.ReportingService/"
_ADMINS = frozenset({Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
_WRITERS = _ADMINS | {Role.CITY_OFFICER, Role.CSO_MEMBER}
_READERS = _WRITERS | {Role.NATIONAL_REVIEWER, Role.GRANT_MANAGER}
POLICIES: dict[str, Any] = {
    _PREFIX + "ListReportingCycles": ANY_AUTHENTICATED,
    _PREFIX + "GetReportingCycle": ANY_AUTHENTICATED,
    _PREFIX + "ListReportingObligations": _READERS,
    _PREFIX + "ListExpectedReports": _READERS,
    _PREFIX + "ListReminderDigests": _WRITERS,
}


def _fiscal_start_month(parse: FieldParser, month: int) -> int:
    if not 0 <= month <= 12:
        parse.add("fiscal_start_month", "must be a month 1-12 (0 means 1)")
    return month or 1


def _organisation(parse: FieldParser, name: str) -> str | None:
    return parse(parse_optional_name, name, ORGANISATIONS, field="organisation")


class CyclesApi:
    """Cycle and obligation RPCs; what a caller may see is decided in queries."""

    deps: ReportingDeps

    async def ListReportingCycles(
        self, request: pb.ListReportingCyclesRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        periodicity = parse(PERIODICITY.from_proto, request.periodicity, field="periodicity")
        month = _fiscal_start_month(parse, request.fiscal_start_month)
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_cycles(
                session,
                periodicity=periodicity or ReportingPeriodicity.SEMIANNUAL,
                fiscal_start_month=month,
                requested_size=request.page_size,
                token=request.page_token,
            )
        day = today(self.deps.clock)
        return pb.ListReportingCyclesResponse(
            cycles=[cycle_to_proto(c, day) for c in page.items],
            next_page_token=page.next_page_token,
        )

    async def GetReportingCycle(self, request: pb.GetReportingCycleRequest, context: Any) -> Any:
        code = parse_cycle_name(request.name, field="name")
        async with self.deps.sessions() as session:
            cycle = await queries.get_cycle(session, code)
        return cycle_to_proto(cycle, today(self.deps.clock))

    async def ListReportingObligations(
        self, request: pb.ListReportingObligationsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        organisation_id = _organisation(parse, request.organisation)
        kind = parse(OBLIGATION_KIND.from_proto, request.kind, field="kind")
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_obligations(
                session,
                current_principal(),
                organisation_id=organisation_id,
                kind=kind,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListReportingObligationsResponse(
            obligations=[obligation_to_proto(o) for o in page.items],
            next_page_token=page.next_page_token,
        )

    async def ListExpectedReports(
        self, request: pb.ListExpectedReportsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        organisation_id = _organisation(parse, request.organisation)
        cycle_code = (
            parse(parse_cycle_name, request.cycle, field="cycle") if request.cycle else None
        )
        status = parse(COMPLIANCE_STATUS.from_proto, request.status, field="status")
        parse.check()
        day = today(self.deps.clock)
        async with self.deps.sessions() as session:
            page = await queries.list_expected_reports(
                session,
                current_principal(),
                day,
                organisation_id=organisation_id,
                cycle_code=cycle_code,
                status=status,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListExpectedReportsResponse(
            expected_reports=[expected_to_proto(e, day) for e in page.items],
            next_page_token=page.next_page_token,
        )

    async def ListReminderDigests(
        self, request: pb.ListReminderDigestsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        organisation_id = _organisation(parse, request.organisation)
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_digests(
                session,
                current_principal(),
                organisation_id=organisation_id,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListReminderDigestsResponse(
            digests=[digest_to_proto(d) for d in page.items], next_page_token=page.next_page_token
        )
