"""RPCs of the national view: compliance matrix, indicator roll-up, support requests, CSV export."""

from __future__ import annotations

from typing import Any

from nlc.reporting.v1 import national_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.clock import today
from services.common.field_parser import FieldParser
from services.common.paging import page_size
from services.common.resource_names import parse_name
from services.reporting.convert import national as convert
from services.reporting.convert.cycles import JURISDICTIONS, OBLIGATION_KIND
from services.reporting.deps import ReportingDeps
from services.reporting.domain.reports import SupportKind
from services.reporting.queries import national_csv
from services.reporting.queries.national.indicators import indicator_rollup
from services.reporting.queries.national.matrix import MatrixRows, compliance_matrix, matrix_query
from services.reporting.queries.national.scope import load_subtree, shown_cycles
from services.reporting.queries.national.support import (
    SupportFilter,
    support_groups,
    support_items,
)

_PREFIX = "/nlc.reporting.v1.ReportingService/"
NATIONAL = frozenset({Role.NATIONAL_REVIEWER, Role.NATIONAL_ADMIN, Role.PLATFORM_ADMIN})
POLICIES: dict[str, Any] = {
    _PREFIX + m: NATIONAL
    for m in (
        "GetComplianceMatrix",
        "GetIndicatorRollup",
        "ListSupportRequests",
        "ExportNationalView",
    )
}
MAX_CODES = 200
MAX_CODE = 32


def _jurisdiction(parse: FieldParser, name: str) -> str | None:
    return parse(parse_name, name, JURISDICTIONS, field="jurisdiction")


def _standard_codes(parse: FieldParser, codes: list[str]) -> list[str]:
    if len(codes) > MAX_CODES:
        parse.add("standard_indicators", f"at most {MAX_CODES} codes")
    for i, code in enumerate(codes[:MAX_CODES]):
        if not code or len(code) > MAX_CODE:
            parse.add(f"standard_indicators[{i}]", f"must be a code of 1-{MAX_CODE} characters")
    return list(dict.fromkeys(codes))


def _support_kinds(parse: FieldParser, numbers: list[int]) -> list[SupportKind]:
    kinds = []
    for i, number in enumerate(numbers):
        if number == 0:
            parse.add(f"kinds[{i}]", "must be a support kind such as SUPPORT_KIND_FUNDING")
        kind = parse(convert.SUPPORT_KIND.from_proto, number, field=f"kinds[{i}]")
        if kind is not None:
            kinds.append(kind)
    return list(dict.fromkeys(kinds))


class NationalApi:
    """National view RPCs; which rows a caller sees is decided in the queries."""

    deps: ReportingDeps

    async def GetComplianceMatrix(
        self, request: pb.GetComplianceMatrixRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        jurisdiction_id = _jurisdiction(parse, request.jurisdiction)
        cycles = convert.cycles_from_proto(parse, request.cycles)
        last = parse(convert.last_cycles_from_proto, request.last_cycles)
        rows = parse(convert.MATRIX_ROWS.from_proto, request.rows, field="rows")
        kind = parse(OBLIGATION_KIND.from_proto, request.kind, field="kind")
        parse(page_size, request.page_size)
        parse.check()
        assert jurisdiction_id is not None
        actor = current_principal()
        async with self.deps.sessions() as session:
            q = await matrix_query(
                session,
                actor,
                today(self.deps.clock),
                jurisdiction_id=jurisdiction_id,
                cycles=cycles,
                last_cycles=last or 0,
                rows=rows or MatrixRows.CHILDREN,
                kind=kind,
            )
            matrix = await compliance_matrix(
                session, q, actor, page_size=request.page_size, token=request.page_token
            )
        return convert.matrix_to_proto(matrix)

    async def GetIndicatorRollup(self, request: pb.GetIndicatorRollupRequest, context: Any) -> Any:
        parse = FieldParser()
        jurisdiction_id = _jurisdiction(parse, request.jurisdiction)
        cycles = convert.cycles_from_proto(parse, request.cycles)
        codes = _standard_codes(parse, list(request.standard_indicators))
        parse.check()
        assert jurisdiction_id is not None
        actor = current_principal()
        async with self.deps.sessions() as session:
            subtree = await load_subtree(session, jurisdiction_id)
            shown = await shown_cycles(
                session, subtree, actor, today(self.deps.clock), asked=cycles
            )
            rows = await indicator_rollup(
                session, subtree, actor, cycles=shown, standard_codes=codes
            )
        return convert.rollup_to_proto(rows)

    async def ListSupportRequests(
        self, request: pb.ListSupportRequestsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        jurisdiction_id = _jurisdiction(parse, request.jurisdiction)
        cycles = convert.cycles_from_proto(parse, request.cycles)
        kinds = _support_kinds(parse, list(request.kinds))
        parse(page_size, request.page_size)
        parse.check()
        assert jurisdiction_id is not None
        actor = current_principal()
        async with self.deps.sessions() as session:
            subtree = await load_subtree(session, jurisdiction_id)
            f = SupportFilter(subtree, cycles, kinds)
            groups = await support_groups(session, f, actor)
            page = await support_items(
                session, f, actor, page_size=request.page_size, token=request.page_token
            )
        return convert.support_to_proto(groups, page.items, page.next_page_token)

    async def ExportNationalView(self, request: pb.ExportNationalViewRequest, context: Any) -> Any:
        parse = FieldParser()
        view = parse(convert.NATIONAL_VIEW.from_proto, request.view, field="view")
        if request.view == pb.NATIONAL_VIEW_UNSPECIFIED:
            parse.add("view", "is required: the matrix, the indicator roll-up or support requests")
        jurisdiction_id = _jurisdiction(parse, request.jurisdiction)
        cycles = convert.cycles_from_proto(parse, request.cycles)
        rows = parse(convert.MATRIX_ROWS.from_proto, request.rows, field="rows")
        parse.check()
        assert view is not None and jurisdiction_id is not None
        ask = national_csv.ExportAsk(view, jurisdiction_id, cycles, rows or MatrixRows.CHILDREN)
        async with self.deps.sessions() as session:
            export = await national_csv.export_view(
                session, current_principal(), ask, today(self.deps.clock)
            )
        return convert.export_to_proto(export)
