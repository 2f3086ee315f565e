"""Frameworks between protobuf and domain: content from requests, views to resources and events."""

from __future__ import annotations

from nlc.registry.v1 import events_pb2, frameworks_pb2
from services.common.enums import ProtoEnum
from services.common.field_parser import FieldParser
from services.common.proto_values import audit_info
from services.common.resource_names import format_date, make_name, to_timestamp
from services.registry.convert.jurisdictions import jurisdiction_name
from services.registry.convert.organisations import organisation_name
from services.registry.domain.frameworks import (
    Disaggregation,
    Framework,
    FrameworkContent,
    FrameworkKind,
    FrameworkState,
    Indicator,
    IndicatorDirection,
    IndicatorLevel,
    Pillar,
)
from services.registry.queries.frameworks import CommentView, DistributionView

COLLECTION = "frameworks"
pb = frameworks_pb2
KIND = ProtoEnum(pb.FrameworkKind, "FRAMEWORK_KIND_", FrameworkKind)
STATE = ProtoEnum(pb.FrameworkState, "FRAMEWORK_STATE_", FrameworkState)
LEVEL = ProtoEnum(pb.IndicatorLevel, "INDICATOR_LEVEL_", IndicatorLevel)
DIRECTION = ProtoEnum(pb.IndicatorDirection, "INDICATOR_DIRECTION_", IndicatorDirection)
DISAGGREGATION = ProtoEnum(pb.Disaggregation, "DISAGGREGATION_", Disaggregation)
kind_from_proto, state_from_proto = KIND.from_proto, STATE.from_proto


def framework_name(framework_id: str) -> str:
    return make_name(COLLECTION, framework_id)


def comment_name(comment: CommentView) -> str:
    return f"{framework_name(comment.framework_id)}/comments/{comment.id}"


def _indicator_from_proto(parse: FieldParser, msg: pb.StandardIndicator, field: str) -> Indicator:
    return Indicator(
        code=msg.code,
        title=msg.title,
        pillar_code=msg.pillar_code,
        level=parse(LEVEL.from_proto, msg.level, field=f"{field}.level"),
        unit=msg.unit,
        direction=parse(DIRECTION.from_proto, msg.direction, field=f"{field}.direction"),
        disaggregations=tuple(
            parse(DISAGGREGATION.from_proto, d, field=f"{field}.disaggregations[{j}]")
            for j, d in enumerate(msg.disaggregations)
        ),
    )


def content_from_proto(
    parse: FieldParser, msg: pb.Framework, prefix: str = "framework"
) -> FrameworkContent:
    """The editable content a Create/UpdateFramework request states; bad enums go to parse."""
    return FrameworkContent(
        title=msg.title,
        summary=msg.summary,
        pillars=tuple(Pillar(p.code, p.title, p.description) for p in msg.pillars),
        indicators=tuple(
            _indicator_from_proto(parse, ind, f"{prefix}.indicators[{i}]")
            for i, ind in enumerate(msg.indicators)
        ),
        document_url=msg.document_url,
    )


def _indicator_to_proto(ind: Indicator) -> pb.StandardIndicator:
    return pb.StandardIndicator(
        code=ind.code,
        title=ind.title,
        pillar_code=ind.pillar_code,
        level=LEVEL.to_proto(ind.level),
        unit=ind.unit,
        direction=DIRECTION.to_proto(ind.direction),
        disaggregations=[DISAGGREGATION.to_proto(d) for d in ind.disaggregations],
    )


def framework_to_proto(f: Framework) -> pb.Framework:
    """The API resource for a framework."""
    c = f.content
    return pb.Framework(
        name=framework_name(f.id),
        id=f.id,
        title=c.title,
        kind=KIND.to_proto(f.kind),
        issuing_organisation=organisation_name(f.issuing_organisation_id),
        jurisdiction=jurisdiction_name(f.jurisdiction_id),
        summary=c.summary,
        pillars=[
            pb.Pillar(code=p.code, title=p.title, description=p.description) for p in c.pillars
        ],
        indicators=[_indicator_to_proto(i) for i in c.indicators],
        state=STATE.to_proto(f.state),
        consultation_closes=format_date(f.consultation_closes),
        adopt_time=to_timestamp(f.adopted_at),
        document_url=c.document_url,
        audit=audit_info(f),
        etag=str(f.version),
    )


def comment_to_proto(c: CommentView) -> pb.FrameworkComment:
    """The API resource for a consultation comment."""
    return pb.FrameworkComment(
        name=comment_name(c),
        organisation=organisation_name(c.organisation_id) if c.organisation_id else "",
        anchor_code=c.anchor_code,
        text=c.text,
        author_username=c.author_username,
        create_time=to_timestamp(c.created_at),
    )


def distribution_to_proto(d: DistributionView) -> pb.FrameworkDistribution:
    """The API resource for a framework's delivery to one local government."""
    return pb.FrameworkDistribution(
        framework=framework_name(d.framework_id),
        organisation=organisation_name(d.organisation_id),
        organisation_display_name=d.organisation_display_name,
        distribute_time=to_timestamp(d.distributed_at),
        acknowledge_time=to_timestamp(d.acknowledged_at),
        acknowledged_by=d.acknowledged_by,
        days_waiting=d.days_waiting,
    )


def framework_changed(f: Framework) -> events_pb2.FrameworkChanged:
    """Event for nlc.registry.framework.created | .updated | .consultation_opened | .adopted."""
    return events_pb2.FrameworkChanged(framework=framework_to_proto(f))


def framework_commented(c: CommentView) -> events_pb2.FrameworkCommented:
    """Event for nlc.registry.framework.commented."""
    return events_pb2.FrameworkCommented(comment=comment_to_proto(c))


def distribution_changed(d: DistributionView) -> events_pb2.FrameworkDistributionChanged:
    """Event for nlc.registry.framework.distributed | .acknowledged."""
    return events_pb2.FrameworkDistributionChanged(distribution=distribution_to_proto(d))
