"""Progress reports between protobuf and domain: resources, request content, events, history."""

from __future__ import annotations

from nlc.reporting.v1 import events_pb2
from nlc.reporting.v1 import reports_pb2 as pb
from services.common.enums import ProtoEnum
from services.common.field_parser import FieldParser
from services.common.proto_values import audit_info, money_from_proto, money_to_proto
from services.common.resource_names import format_date, make_name, optional_name, to_timestamp
from services.reporting.convert.comments import comments_to_proto
from services.reporting.convert.cycles import (
    ACTION_PLANS,
    AWARDS,
    JURISDICTIONS,
    ORGANISATIONS,
    PROGRESS_REPORTS,
    cycle_name,
    obligation_name,
)
from services.reporting.convert.national import SUPPORT_KIND, support_request_to_proto
from services.reporting.convert.plans import DISAGGREGATION
from services.reporting.domain.compliance import ReportState
from services.reporting.domain.report_workflow import Report
from services.reporting.domain.reports import (
    ActivityProgress,
    ActivityStatus,
    DisaggregatedValue,
    IndicatorActual,
    Narrative,
    ReportContent,
    ReportKind,
    SupportRequest,
)
from services.reporting.queries.reports import ReportView

FIELD = "progress_report"
REPORT_STATE = ProtoEnum(pb.ReportState, "REPORT_STATE_", ReportState)
REPORT_KIND = ProtoEnum(pb.ReportKind, "REPORT_KIND_", ReportKind)
ACTIVITY_STATUS = ProtoEnum(pb.ActivityStatus, "ACTIVITY_STATUS_", ActivityStatus)


def report_name(report_id: str) -> str:
    return make_name(PROGRESS_REPORTS, report_id)


def award_name(award_id: str | None) -> str:
    return optional_name(AWARDS, award_id)


# From the API ------------------------------------------------------------------------------


def _activity(parse: FieldParser, a: pb.ActivityProgress, path: str) -> ActivityProgress:
    spend = parse(money_from_proto, a.spend, field=f"{path}.spend") if a.HasField("spend") else None
    return ActivityProgress(
        activity_code=a.activity_code.strip(),
        status=parse(ACTIVITY_STATUS.from_proto, a.status, field=f"{path}.status"),
        spend=spend,
        note=a.note,
    )


def _breakdown(parse: FieldParser, x: pb.IndicatorActual, path: str) -> tuple:
    parts = []
    for j, d in enumerate(x.breakdown):
        at = f"{path}.breakdown[{j}]"
        dimension = parse(DISAGGREGATION.from_proto, d.dimension, field=f"{at}.dimension")
        if dimension is None and d.dimension == 0:
            parse.add(f"{at}.dimension", "is required: sex or age group")
        if dimension is not None:
            parts.append(DisaggregatedValue(dimension, d.category.strip(), d.value))
    return tuple(parts)


def _indicator(parse: FieldParser, x: pb.IndicatorActual, path: str) -> IndicatorActual:
    return IndicatorActual(
        indicator_code=x.indicator_code.strip(),
        has_value=x.has_value,
        value=x.value,
        gap_explanation=x.gap_explanation,
        breakdown=_breakdown(parse, x, path),
    )


def _support(parse: FieldParser, s: pb.SupportRequest, path: str) -> SupportRequest:
    amount = (
        parse(money_from_proto, s.amount, field=f"{path}.amount") if s.HasField("amount") else None
    )
    return SupportRequest(
        id=s.id.strip(),
        kind=parse(SUPPORT_KIND.from_proto, s.kind, field=f"{path}.kind"),
        description=s.description,
        amount=amount,
    )


def content_from_proto(parse: FieldParser, r: pb.ProgressReport) -> ReportContent:
    """The editable content of a request's report; bad fields are collected by parse."""
    n = r.narrative
    return ReportContent(
        activities=tuple(
            _activity(parse, a, f"{FIELD}.activities[{i}]") for i, a in enumerate(r.activities)
        ),
        indicators=tuple(
            _indicator(parse, x, f"{FIELD}.indicators[{i}]") for i, x in enumerate(r.indicators)
        ),
        narrative=Narrative(n.achievements, n.challenges, n.lessons),
        support_requests=tuple(
            _support(parse, s, f"{FIELD}.support_requests[{i}]")
            for i, s in enumerate(r.support_requests)
        ),
        evaluation_url=r.evaluation_url,
    )


# To the API --------------------------------------------------------------------------------


def _activity_to_proto(a: ActivityProgress) -> pb.ActivityProgress:
    return pb.ActivityProgress(
        activity_code=a.activity_code,
        title=a.title,
        status=ACTIVITY_STATUS.to_proto(a.status),
        spend=money_to_proto(a.spend),
        note=a.note,
    )


def _indicator_to_proto(x: IndicatorActual) -> pb.IndicatorActual:
    return pb.IndicatorActual(
        indicator_code=x.indicator_code,
        title=x.title,
        unit=x.unit,
        target=x.target,
        baseline=x.baseline,
        has_value=x.has_value,
        value=x.value,
        gap_explanation=x.gap_explanation,
        breakdown=[
            pb.DisaggregatedValue(
                dimension=DISAGGREGATION.to_proto(d.dimension), category=d.category, value=d.value
            )
            for d in x.breakdown
        ],
    )


def report_to_proto(view: ReportView) -> pb.ProgressReport:
    """The API resource for a report."""
    r, c = view.report, view.report.content
    return pb.ProgressReport(
        name=report_name(r.id),
        id=r.id,
        obligation=obligation_name(r.obligation_id),
        cycle=cycle_name(r.cycle_code),
        kind=REPORT_KIND.to_proto(r.kind),
        organisation=optional_name(ORGANISATIONS, r.organisation_id),
        jurisdiction=optional_name(JURISDICTIONS, r.jurisdiction_id),
        action_plan=optional_name(ACTION_PLANS, r.plan_id),
        plan_version=r.plan_version or 0,
        award=award_name(r.award_id),
        state=REPORT_STATE.to_proto(r.state),
        activities=[_activity_to_proto(a) for a in c.activities],
        indicators=[_indicator_to_proto(x) for x in c.indicators],
        narrative=pb.Narrative(
            achievements=c.narrative.achievements,
            challenges=c.narrative.challenges,
            lessons=c.narrative.lessons,
        ),
        support_requests=[support_request_to_proto(s) for s in c.support_requests],
        evaluation_url=c.evaluation_url,
        submit_time=to_timestamp(r.submitted_at),
        on_time=bool(r.on_time),
        accept_time=to_timestamp(r.accepted_at),
        return_reason=r.return_reason,
        comments=comments_to_proto(r.comments),
        reopen_reason=r.reopen_reason,
        due_date=format_date(r.due_on),
        audit=audit_info(view.stamps),
        etag=view.etag,
    )


def report_changed(view: ReportView, reason: str) -> events_pb2.ReportChanged:
    """Event for nlc.reporting.report.<submitted|returned|accepted>."""
    r = view.report
    return events_pb2.ReportChanged(
        report=report_to_proto(view), award=award_name(r.award_id), reason=reason
    )


def evaluation_published(r: Report) -> events_pb2.EvaluationPublished:
    """Event for nlc.reporting.evaluation.published."""
    return events_pb2.EvaluationPublished(
        report=report_name(r.id),
        award=award_name(r.award_id),
        organisation=optional_name(ORGANISATIONS, r.organisation_id),
        public_url=r.content.evaluation_url,
    )
