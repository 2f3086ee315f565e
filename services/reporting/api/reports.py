"""RPCs of progress reports: write, submit, review (return, accept, reopen), read and history."""

from __future__ import annotations

from typing import Any

from nlc.reporting.v1 import reports_pb2 as pb
from services.common.auth import Role, current_principal
from services.common.field_masks import mask_paths
from services.common.field_parser import FieldParser
from services.common.proto_values import audit_entry_to_proto
from services.common.resource_names import parse_name, parse_optional_name
from services.reporting.convert.comments import comments_from_proto
from services.reporting.convert.cycles import (
    OBLIGATIONS,
    ORGANISATIONS,
    PROGRESS_REPORTS,
    parse_cycle_name,
)
from services.reporting.convert.reports import (
    FIELD,
    REPORT_KIND,
    REPORT_STATE,
    content_from_proto,
    report_name,
    report_to_proto,
)
from services.reporting.deps import ReportingDeps
from services.reporting.domain.access import ADMINS, GRANT_REPORT_REVIEWERS, PLAN_REVIEWERS, WRITERS
from services.reporting.domain.report_rules import UPDATABLE
from services.reporting.domain.reports import ReportKind
from services.reporting.handlers import reports as handlers
from services.reporting.queries import reports as queries

_PREFIX = "/nlc.reporting.v1.ReportingService/"
REVIEWERS = frozenset({*PLAN_REVIEWERS, *GRANT_REPORT_REVIEWERS, *ADMINS})
READERS = frozenset({*WRITERS, *REVIEWERS, Role.FUNDER})
POLICIES: dict[str, Any] = {
    **{
        _PREFIX + m: frozenset(WRITERS)
        for m in ("CreateProgressReport", "UpdateProgressReport", "SubmitProgressReport")
    },
    **{
        _PREFIX + m: REVIEWERS
        for m in ("ReturnProgressReport", "AcceptProgressReport", "ReopenProgressReport")
    },
    **{
        _PREFIX + m: READERS
        for m in ("GetProgressReport", "ListProgressReports", "ListReportHistory")
    },
}


def _cycle(value: str, field: str) -> str | None:
    return parse_cycle_name(value, field=field) if value else None


class ReportsApi:
    """Report RPCs; ownership and visibility are checked in handlers and queries."""

    deps: ReportingDeps

    async def CreateProgressReport(
        self, request: pb.CreateProgressReportRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        obligation_id = parse(parse_name, request.obligation, OBLIGATIONS, field="obligation")
        cycle = parse(parse_cycle_name, request.cycle, field="cycle")
        kind = parse(REPORT_KIND.from_proto, request.kind, field="kind")
        parse.check()
        assert obligation_id is not None and cycle is not None
        cmd = handlers.CreateReport(obligation_id, cycle, kind or ReportKind.PROGRESS)
        view = await handlers.create_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def GetProgressReport(self, request: pb.GetProgressReportRequest, context: Any) -> Any:
        report_id = parse_name(request.name, PROGRESS_REPORTS)
        async with self.deps.sessions() as session:
            view = await queries.get_visible_report(session, report_id, current_principal())
        return report_to_proto(view)

    async def ListProgressReports(
        self, request: pb.ListProgressReportsRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        f = queries.ReportFilter(
            organisation_id=parse(
                parse_optional_name, request.organisation, ORGANISATIONS, field="organisation"
            ),
            cycle_code=parse(_cycle, request.cycle, "cycle"),
            obligation_id=parse(
                parse_optional_name, request.obligation, OBLIGATIONS, field="obligation"
            ),
            state=parse(REPORT_STATE.from_proto, request.state, field="state"),
        )
        parse.check()
        async with self.deps.sessions() as session:
            page = await queries.list_reports(
                session,
                current_principal(),
                f,
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListProgressReportsResponse(
            progress_reports=[report_to_proto(v) for v in page.items],
            next_page_token=page.next_page_token,
        )

    async def UpdateProgressReport(
        self, request: pb.UpdateProgressReportRequest, context: Any
    ) -> Any:
        r = request.progress_report
        parse = FieldParser()
        report_id = parse(parse_name, r.name, PROGRESS_REPORTS, field=f"{FIELD}.name")
        paths = parse(mask_paths, request.update_mask, UPDATABLE) or set()
        content = content_from_proto(parse, r)
        parse.check()
        assert report_id is not None
        cmd = handlers.UpdateReport(report_id, content, frozenset(paths), r.etag)
        view = await handlers.update_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def SubmitProgressReport(
        self, request: pb.SubmitProgressReportRequest, context: Any
    ) -> Any:
        cmd = handlers.SubmitReport(parse_name(request.name, PROGRESS_REPORTS), request.etag)
        view = await handlers.submit_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def ReturnProgressReport(
        self, request: pb.ReturnProgressReportRequest, context: Any
    ) -> Any:
        parse = FieldParser()
        report_id = parse(parse_name, request.name, PROGRESS_REPORTS)
        comments = comments_from_proto(parse, request.comments, "comments", known_anchors=None)
        parse.check()
        assert report_id is not None
        cmd = handlers.ReturnReport(report_id, request.reason, comments, request.etag)
        view = await handlers.return_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def AcceptProgressReport(
        self, request: pb.AcceptProgressReportRequest, context: Any
    ) -> Any:
        report_id = parse_name(request.name, PROGRESS_REPORTS)
        cmd = handlers.AcceptReport(report_id, request.note, request.etag)
        view = await handlers.accept_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def ReopenProgressReport(
        self, request: pb.ReopenProgressReportRequest, context: Any
    ) -> Any:
        cmd = handlers.ReopenReport(parse_name(request.name, PROGRESS_REPORTS), request.reason)
        view = await handlers.reopen_report(self.deps.uow(current_principal()), cmd)
        return report_to_proto(view)

    async def ListReportHistory(self, request: pb.ListReportHistoryRequest, context: Any) -> Any:
        report_id = parse_name(request.name, PROGRESS_REPORTS)
        async with self.deps.sessions() as session:
            page = await queries.report_history(
                session,
                report_id,
                report_name(report_id),
                current_principal(),
                requested_size=request.page_size,
                token=request.page_token,
            )
        return pb.ListReportHistoryResponse(
            entries=[audit_entry_to_proto(e) for e in page.items],
            next_page_token=page.next_page_token,
        )
