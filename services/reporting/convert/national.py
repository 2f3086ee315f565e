"""The national view to protobuf, and its request enums and cycle codes from requests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nlc.reporting.v1 import national_pb2, reports_pb2
from services.common.enums import ProtoEnum
from services.common.errors import invalid
from services.common.field_parser import FieldParser
from services.common.proto_values import money_to_proto
from services.common.resource_names import make_name, optional_name
from services.reporting.convert.cycles import (
    COMPLIANCE_STATUS,
    JURISDICTIONS,
    ORGANISATIONS,
    PROGRESS_REPORTS,
    cycle_name,
)
from services.reporting.convert.plans import AGGREGATION
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.domain.cycles import cycle_from_code
from services.reporting.domain.reports import SupportKind, SupportRequest
from services.reporting.queries.national.indicators import RollupRow
from services.reporting.queries.national.matrix import Cell, Matrix, MatrixRow, MatrixRows
from services.reporting.queries.national.support import SupportGroup, SupportItem
from services.reporting.queries.national_csv import Export, NationalView

SUPPORT_KIND = ProtoEnum(reports_pb2.SupportKind, "SUPPORT_KIND_", SupportKind)
MATRIX_ROWS = ProtoEnum(national_pb2.MatrixRows, "MATRIX_ROWS_", MatrixRows)
NATIONAL_VIEW = ProtoEnum(national_pb2.NationalView, "NATIONAL_VIEW_", NationalView)

MAX_CYCLES = 40
MAX_CYCLE_CODE = 32


def cycles_from_proto(parse: FieldParser, codes: Iterable[str], field: str = "cycles") -> list[str]:
    """Distinct cycle codes in the order given; each must name a cycle (e.g. 2026-H1)."""
    given = list(codes)
    if len(given) > MAX_CYCLES:
        parse.add(field, f"at most {MAX_CYCLES} cycles")
        return []
    for i, code in enumerate(given):
        try:
            if len(code) > MAX_CYCLE_CODE:
                raise ValueError
            cycle_from_code(code)
        except ValueError:
            parse.add(f"{field}[{i}]", "must be a cycle code such as 2026-H1 or FY07-2026-Q3")
    return list(dict.fromkeys(given))


def last_cycles_from_proto(value: int) -> int:
    """How many recent cycles to show: 1 to MAX_CYCLES, 0 for the default."""
    if not 0 <= value <= MAX_CYCLES:
        raise invalid("last_cycles", f"must be between 0 (the default, 6) and {MAX_CYCLES}")
    return value


def _counts(counts: Mapping[ComplianceStatus, int]) -> list[national_pb2.StatusCount]:
    return [
        national_pb2.StatusCount(status=COMPLIANCE_STATUS.to_proto(s), count=counts[s])
        for s in ComplianceStatus
        if counts.get(s)
    ]


def _cell(cell: Cell) -> national_pb2.ComplianceCell:
    return national_pb2.ComplianceCell(
        cycle=cycle_name(cell.cycle),
        status=COMPLIANCE_STATUS.to_proto(cell.status),
        report=optional_name(PROGRESS_REPORTS, cell.report_id),
        counts=_counts(cell.counts),
    )


def _row(row: MatrixRow) -> national_pb2.ComplianceRow:
    return national_pb2.ComplianceRow(
        jurisdiction=make_name(JURISDICTIONS, row.jurisdiction_id),
        display_name=row.display_name,
        organisation=optional_name(ORGANISATIONS, row.organisation_id),
        cells=[_cell(c) for c in row.cells],
    )


def matrix_to_proto(m: Matrix) -> national_pb2.ComplianceMatrix:
    return national_pb2.ComplianceMatrix(
        cycles=[cycle_name(c) for c in m.cycles],
        rows=[_row(r) for r in m.rows],
        totals=_counts(m.totals),
        next_page_token=m.next_page_token,
    )


def rollup_to_proto(rows: list[RollupRow]) -> national_pb2.IndicatorRollup:
    return national_pb2.IndicatorRollup(
        rows=[
            national_pb2.IndicatorRollupRow(
                standard_indicator=r.standard_code,
                cycle=cycle_name(r.cycle_code),
                aggregation=AGGREGATION.to_proto(r.aggregation),
                actual=r.actual,
                target=r.target,
                baseline=r.baseline,
                reporting_places=r.places,
                share_of_target_bps=r.share_of_target_bps,
            )
            for r in rows
        ]
    )


def support_request_to_proto(r: SupportRequest) -> reports_pb2.SupportRequest:
    return reports_pb2.SupportRequest(
        id=r.id,
        kind=SUPPORT_KIND.to_proto(r.kind),
        description=r.description,
        amount=money_to_proto(r.amount),
    )


def support_to_proto(
    groups: list[SupportGroup], items: list[SupportItem], next_page_token: str
) -> national_pb2.ListSupportRequestsResponse:
    return national_pb2.ListSupportRequestsResponse(
        groups=[
            national_pb2.SupportRequestGroup(
                kind=SUPPORT_KIND.to_proto(g.kind),
                jurisdiction=make_name(JURISDICTIONS, g.jurisdiction_id),
                display_name=g.display_name,
                count=g.count,
                amounts=[money_to_proto(a) for a in g.amounts],
            )
            for g in groups
        ],
        items=[
            national_pb2.SupportRequestItem(
                report=make_name(PROGRESS_REPORTS, i.report_id),
                organisation=make_name(ORGANISATIONS, i.organisation_id),
                jurisdiction=make_name(JURISDICTIONS, i.jurisdiction_id),
                cycle=cycle_name(i.cycle_code),
                request=support_request_to_proto(i.request),
            )
            for i in items
        ],
        next_page_token=next_page_token,
    )


def export_to_proto(e: Export) -> national_pb2.ExportNationalViewResponse:
    return national_pb2.ExportNationalViewResponse(
        filename=e.filename, content_type=e.content_type, content=e.content
    )
