"""Coordination bodies between protobuf and domain: requests to content, bodies to resources."""

from __future__ import annotations

from nlc.registry.v1 import bodies_pb2, events_pb2
from services.common.enums import ProtoEnum
from services.common.field_parser import FieldParser
from services.common.proto_values import audit_info
from services.common.resource_names import (
    format_date,
    make_name,
    parse_date,
    parse_optional_name,
)
from services.registry.convert.jurisdictions import jurisdiction_name
from services.registry.convert.organisations import (
    organisation_name,
    sector_from_proto,
    sector_to_proto,
)
from services.registry.domain.bodies import (
    BodyContent,
    BodyKind,
    Chair,
    CoordinationBody,
    MandateItem,
    MeetingCadence,
    Member,
    SectorCoverage,
)

COLLECTION = "coordinationBodies"
pb = bodies_pb2
KIND = ProtoEnum(pb.CoordinationBodyKind, "COORDINATION_BODY_KIND_", BodyKind)
ITEM = ProtoEnum(pb.MandateItem, "MANDATE_ITEM_", MandateItem)
CADENCE = ProtoEnum(pb.MeetingCadence, "MEETING_CADENCE_", MeetingCadence)
kind_from_proto = KIND.from_proto


def body_name(body_id: str) -> str:
    return make_name(COLLECTION, body_id)


def _org_name(org_id: str | None) -> str:
    return organisation_name(org_id) if org_id else ""


def _chair(parse: FieldParser, c: pb.BodyChair, field: str) -> Chair:
    org = parse(parse_optional_name, c.organisation, "organisations", field=f"{field}.organisation")
    return Chair(person_name=c.person_name, organisation_id=org, role_title=c.role_title)


def _member(parse: FieldParser, m: pb.BodyMember, field: str) -> Member:
    return Member(
        sector=parse(sector_from_proto, m.sector, field=f"{field}.sector"),
        organisation_id=parse(
            parse_optional_name, m.organisation, "organisations", field=f"{field}.organisation"
        ),
        person_name=m.person_name,
        role_title=m.role_title,
    )


def content_from_proto(
    parse: FieldParser, msg: pb.CoordinationBody, prefix: str = "coordination_body"
) -> BodyContent:
    """What a Create/UpdateCoordinationBody request states; malformed fields go to parse."""
    tor = msg.terms_of_reference
    items_field = f"{prefix}.terms_of_reference.mandate_items"
    return BodyContent(
        display_name=msg.display_name,
        kind=parse(kind_from_proto, msg.kind, field=f"{prefix}.kind"),
        mandate_items=tuple(
            parse(ITEM.from_proto, item, field=f"{items_field}[{i}]")
            for i, item in enumerate(tor.mandate_items)
        ),
        decision_making=tor.decision_making,
        communication=tor.communication,
        chairs=tuple(_chair(parse, c, f"{prefix}.chairs[{i}]") for i, c in enumerate(msg.chairs)),
        members=tuple(
            _member(parse, m, f"{prefix}.members[{i}]") for i, m in enumerate(msg.members)
        ),
        meeting_cadence=parse(
            CADENCE.from_proto, msg.meeting_cadence, field=f"{prefix}.meeting_cadence"
        ),
        established_on=parse(
            parse_date, msg.established_on, field=f"{prefix}.established_on", required=False
        ),
    )


def body_to_proto(b: CoordinationBody) -> pb.CoordinationBody:
    """The API resource for a coordination body."""
    c = b.content
    return pb.CoordinationBody(
        name=body_name(b.id),
        id=b.id,
        display_name=c.display_name,
        kind=KIND.to_proto(c.kind),
        owner_organisation=organisation_name(b.owner_organisation_id),
        jurisdiction=jurisdiction_name(b.jurisdiction_id),
        terms_of_reference=pb.TermsOfReference(
            mandate_items=[ITEM.to_proto(i) for i in c.mandate_items],
            decision_making=c.decision_making,
            communication=c.communication,
        ),
        chairs=[
            pb.BodyChair(
                organisation=_org_name(x.organisation_id),
                person_name=x.person_name,
                role_title=x.role_title,
            )
            for x in c.chairs
        ],
        members=[
            pb.BodyMember(
                organisation=_org_name(m.organisation_id),
                sector=sector_to_proto(m.sector),
                person_name=m.person_name,
                role_title=m.role_title,
            )
            for m in c.members
        ],
        meeting_cadence=CADENCE.to_proto(c.meeting_cadence),
        established_on=format_date(c.established_on),
        audit=audit_info(b),
        etag=str(b.version),
    )


def coverage_to_proto(body_id: str, coverage: SectorCoverage) -> pb.SectorCoverage:
    """Sectors present (with member counts) and expected sectors missing."""
    return pb.SectorCoverage(
        coordination_body=body_name(body_id),
        present=[pb.SectorCount(sector=sector_to_proto(s), members=n) for s, n in coverage.present],
        missing=[sector_to_proto(s) for s in coverage.missing],
    )


def body_changed(b: CoordinationBody) -> events_pb2.CoordinationBodyChanged:
    """Event for nlc.registry.coordination_body.created | .updated."""
    return events_pb2.CoordinationBodyChanged(coordination_body=body_to_proto(b))
