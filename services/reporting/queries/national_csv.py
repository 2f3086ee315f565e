"""CSV exports of the national view: the compliance matrix, the indicator roll-up and the
support requests, each with a header row, as a national reviewer would open them in a
spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.auth import Principal
from services.common.currencies import to_decimal
from services.common.errors import FailedPrecondition
from services.reporting.domain.compliance import ComplianceStatus
from services.reporting.queries.national.indicators import RollupRow, indicator_rollup
from services.reporting.queries.national.matrix import (
    MatrixQuery,
    MatrixRow,
    MatrixRows,
    all_place_rows,
    children_matrix,
    matrix_query,
)
from services.reporting.queries.national.scope import Subtree, load_subtree, shown_cycles
from services.reporting.queries.national.support import (
    SupportFilter,
    SupportItem,
    support_item,
    support_items_query,
)

CONTENT_TYPE = "text/csv"
MAX_LINES = 50_000
STATUSES = list(ComplianceStatus)
# A leading character that makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


class NationalView(StrEnum):
    COMPLIANCE_MATRIX = "compliance_matrix"
    INDICATOR_ROLLUP = "indicator_rollup"
    SUPPORT_REQUESTS = "support_requests"


FILE_PREFIX = {
    NationalView.COMPLIANCE_MATRIX: "compliance",
    NationalView.INDICATOR_ROLLUP: "indicators",
    NationalView.SUPPORT_REQUESTS: "support-requests",
}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ExportAsk:
    view: NationalView
    jurisdiction_id: str
    cycles: list[str]
    rows: MatrixRows = MatrixRows.CHILDREN


def text_cell(value: str) -> str:
    """A caller-written text as a cell no spreadsheet evaluates as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def number_cell(value: float) -> str:
    """A number without exponent or trailing zeros: 1500, 12.5, 0.333333."""
    return f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _csv(header: Sequence[str], lines: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode()


def children_csv(rows: list[MatrixRow]) -> bytes:
    """One line per child place and cycle, counting each status."""
    header = ["jurisdiction_id", "place", "cycle", *[str(s) for s in STATUSES], "total"]
    lines = (
        [
            row.jurisdiction_id,
            text_cell(row.display_name),
            cell.cycle,
            *[str(cell.counts.get(s, 0)) for s in STATUSES],
            str(sum(cell.counts.values())),
        ]
        for row in rows
        for cell in row.cells
    )
    return _csv(header, lines)


def places_csv(cycles: list[str], rows: list[MatrixRow]) -> bytes:
    """One line per reporting organisation and place, one status column per cycle."""
    header = ["organisation_id", "organisation", "jurisdiction_id", "place", *cycles]
    lines = (
        [
            row.organisation_id or "",
            text_cell(row.display_name),
            row.jurisdiction_id,
            text_cell(row.place_name),
            *[str(cell.status or "") for cell in row.cells],
        ]
        for row in rows
    )
    return _csv(header, lines)


def rollup_csv(rows: list[RollupRow]) -> bytes:
    """One line per standard indicator and cycle; share of target in percent."""
    header = [
        "standard_indicator", "cycle", "aggregation", "direction", "actual", "target",
        "baseline", "reporting_places", "share_of_target_percent",
    ]  # fmt: skip
    lines = (
        [
            r.standard_code,
            r.cycle_code,
            str(r.aggregation),
            str(r.direction),
            number_cell(r.actual),
            number_cell(r.target),
            number_cell(r.baseline),
            str(r.places),
            f"{r.share_of_target_bps / 100:.2f}",
        ]
        for r in rows
    )
    return _csv(header, lines)


def support_csv(items: list[SupportItem]) -> bytes:
    """One line per request; funding amounts in major units of their currency."""
    header = [
        "cycle", "jurisdiction_id", "place", "organisation_id", "report_id", "kind",
        "description", "currency", "amount",
    ]  # fmt: skip
    lines = (
        [
            i.cycle_code,
            i.jurisdiction_id,
            text_cell(i.place_name),
            i.organisation_id,
            i.report_id,
            str(i.request.kind or ""),
            text_cell(i.request.description),
            i.request.amount.currency_code if i.request.amount else "",
            str(to_decimal(i.request.amount)) if i.request.amount else "",
        ]
        for i in items
    )
    return _csv(header, lines)


def _bounded(count: int) -> None:
    if count > MAX_LINES:
        raise FailedPrecondition(
            f"the export would hold {count} lines (at most {MAX_LINES}): "
            "choose a smaller jurisdiction or fewer cycles"
        )


async def _matrix(session: AsyncSession, q: MatrixQuery, actor: Principal) -> bytes:
    if q.rows == MatrixRows.PLACES:
        rows = await all_place_rows(session, q, actor)
        _bounded(len(rows))
        return places_csv(q.cycles, rows)
    return children_csv((await children_matrix(session, q, actor)).rows)


async def _support(session: AsyncSession, f: SupportFilter, actor: Principal) -> bytes:
    query = support_items_query(f, actor).limit(MAX_LINES + 1)
    items = [support_item(row) for row in await session.execute(query)]
    _bounded(len(items))
    return support_csv(items)


def filename(view: NationalView, subtree: Subtree, today: date) -> str:
    """compliance-AR-2026-03-02.csv"""
    code = UNSAFE_IN_FILENAME.sub("_", subtree.code) or subtree.id
    return f"{FILE_PREFIX[view]}-{code}-{today.isoformat()}.csv"


async def export_view(
    session: AsyncSession, actor: Principal, ask: ExportAsk, today: date
) -> Export:
    """The whole view (every page) as UTF-8 CSV with a header row."""
    if ask.view == NationalView.COMPLIANCE_MATRIX:
        q = await matrix_query(
            session, actor, today, jurisdiction_id=ask.jurisdiction_id, cycles=ask.cycles,
            last_cycles=0, rows=ask.rows, kind=None,
        )  # fmt: skip
        subtree, content = q.subtree, await _matrix(session, q, actor)
    else:
        subtree = await load_subtree(session, ask.jurisdiction_id)
        if ask.view == NationalView.INDICATOR_ROLLUP:
            cycles = await shown_cycles(session, subtree, actor, today, asked=ask.cycles)
            rows = await indicator_rollup(session, subtree, actor, cycles=cycles, standard_codes=[])
            content = rollup_csv(rows)
        else:
            content = await _support(session, SupportFilter(subtree, ask.cycles), actor)
    return Export(filename(ask.view, subtree, today), CONTENT_TYPE, content)
