"""Jurisdiction views to protobuf resources and events."""

from __future__ import annotations

from nlc.registry.v1 import events_pb2, jurisdictions_pb2
from services.common.enums import ProtoEnum
from services.common.proto_values import audit_info
from services.common.resource_names import format_date, make_name
from services.registry.domain.jurisdictions import Level
from services.registry.queries.jurisdictions import JurisdictionView

COLLECTION = "jurisdictions"
LEVEL = ProtoEnum(jurisdictions_pb2.JurisdictionLevel, "JURISDICTION_LEVEL_", Level)
level_from_proto, level_to_proto = LEVEL.from_proto, LEVEL.to_proto


def jurisdiction_name(jurisdiction_id: str) -> str:
    return make_name(COLLECTION, jurisdiction_id)


def jurisdiction_to_proto(view: JurisdictionView) -> jurisdictions_pb2.Jurisdiction:
    """The API resource for a unit."""
    return jurisdictions_pb2.Jurisdiction(
        name=jurisdiction_name(view.id),
        id=view.id,
        code=view.code,
        display_name=view.display_name,
        level=level_to_proto(view.level),
        parent=jurisdiction_name(view.parent_id) if view.parent_id else "",
        valid_from=format_date(view.valid_from),
        valid_to=format_date(view.valid_to),
        predecessors=[jurisdiction_name(i) for i in view.predecessors],
        successors=[jurisdiction_name(i) for i in view.successors],
        audit=audit_info(view),
        etag=view.etag,
    )


def jurisdiction_changed(view: JurisdictionView) -> events_pb2.JurisdictionChanged:
    """Event for nlc.registry.jurisdiction.created | .updated."""
    return events_pb2.JurisdictionChanged(jurisdiction=jurisdiction_to_proto(view))


def jurisdiction_split(
    retired: JurisdictionView, parts: list[JurisdictionView], reason: str
) -> events_pb2.JurisdictionSplit:
    """Event for nlc.registry.jurisdiction.split."""
    return events_pb2.JurisdictionSplit(
        retired=jurisdiction_to_proto(retired),
        parts=[jurisdiction_to_proto(p) for p in parts],
        reason=reason,
    )


def jurisdictions_merged(
    retired: list[JurisdictionView], merged: JurisdictionView, reason: str
) -> events_pb2.JurisdictionsMerged:
    """Event for nlc.registry.jurisdiction.merged."""
    return events_pb2.JurisdictionsMerged(
        retired=[jurisdiction_to_proto(r) for r in retired],
        merged=jurisdiction_to_proto(merged),
        reason=reason,
    )
