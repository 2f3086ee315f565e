"""Mandates between protobuf and domain: requests to terms, versions to resources and events."""

from __future__ import annotations

from nlc.common.v1 import common_pb2
from nlc.registry.v1 import events_pb2, mandates_pb2
from services.common.enums import ProtoEnum
from services.common.errors import invalid, quoted
from services.common.field_parser import FieldParser
from services.common.resource_names import (
    format_date,
    parse_date,
    parse_name,
    parse_optional_name,
    to_timestamp,
)
from services.registry.convert.organisations import organisation_name
from services.registry.domain.mandates import (
    FocalPoint,
    InstitutionalModel,
    MandateScope,
    MandateSource,
    MandateTerms,
    MandateVersion,
    PreventionLevel,
    ReportingObligation,
    ReportingPeriodicity,
)

SUFFIX = "/mandate"
pb = mandates_pb2
SOURCE = ProtoEnum(pb.MandateSource, "MANDATE_SOURCE_", MandateSource)
SCOPE = ProtoEnum(pb.MandateScope, "MANDATE_SCOPE_", MandateScope)
LEVEL = ProtoEnum(pb.PreventionLevel, "PREVENTION_LEVEL_", PreventionLevel)
MODEL = ProtoEnum(pb.InstitutionalModel, "INSTITUTIONAL_MODEL_", InstitutionalModel)
PERIODICITY = ProtoEnum(pb.ReportingPeriodicity, "REPORTING_PERIODICITY_", ReportingPeriodicity)


def mandate_name(org_id: str) -> str:
    return organisation_name(org_id) + SUFFIX


def parse_mandate_name(name: str, *, field: str = "name") -> str:
    """The organisation id in `organisations/{id}/mandate`."""
    if not name.endswith(SUFFIX):
        raise invalid(field, f"{quoted(name)} is not a mandate name (organisations/{{id}}/mandate)")
    return parse_name(name.removesuffix(SUFFIX), "organisations", field=field)


def terms_from_proto(
    parse: FieldParser, msg: mandates_pb2.Mandate, prefix: str = "mandate"
) -> MandateTerms:
    """The terms a SetMandate request states; malformed names, dates and enums go to parse."""
    fp = msg.focal_point
    ob = msg.reporting_obligation
    ob_field = f"{prefix}.reporting_obligation"
    return MandateTerms(
        sources=tuple(
            parse(SOURCE.from_proto, s, field=f"{prefix}.sources[{i}]")
            for i, s in enumerate(msg.sources)
        ),
        source_reference=msg.source_reference,
        scope=parse(SCOPE.from_proto, msg.scope, field=f"{prefix}.scope"),
        specific_forms=tuple(msg.specific_forms),
        prevention_levels=tuple(
            parse(LEVEL.from_proto, p, field=f"{prefix}.prevention_levels[{i}]")
            for i, p in enumerate(msg.prevention_levels)
        ),
        institutional_model=parse(
            MODEL.from_proto, msg.institutional_model, field=f"{prefix}.institutional_model"
        ),
        lead_entity=msg.lead_entity,
        focal_point=FocalPoint(fp.person_name, fp.role_title, fp.email, fp.phone),
        reporting_obligation=ReportingObligation(
            overseeing_body_id=parse(
                parse_optional_name,
                ob.overseeing_body,
                "organisations",
                field=f"{ob_field}.overseeing_body",
            ),
            periodicity=parse(
                PERIODICITY.from_proto, ob.periodicity, field=f"{ob_field}.periodicity"
            ),
            fiscal_start_month=ob.fiscal_start_month,
        ),
        effective_from=parse(
            parse_date, msg.effective_from, field=f"{prefix}.effective_from", required=False
        ),
        change_note=msg.change_note,
    )


def mandate_to_proto(m: MandateVersion) -> mandates_pb2.Mandate:
    """The API resource for one version of a mandate."""
    t = m.terms
    fp = t.focal_point
    ob = t.reporting_obligation
    return mandates_pb2.Mandate(
        name=mandate_name(m.organisation_id),
        organisation=organisation_name(m.organisation_id),
        version=m.version,
        sources=[SOURCE.to_proto(s) for s in t.sources],
        source_reference=t.source_reference,
        scope=SCOPE.to_proto(t.scope),
        specific_forms=list(t.specific_forms),
        prevention_levels=[LEVEL.to_proto(p) for p in t.prevention_levels],
        institutional_model=MODEL.to_proto(t.institutional_model),
        lead_entity=t.lead_entity,
        focal_point=mandates_pb2.FocalPoint(
            person_name=fp.person_name, role_title=fp.role_title, email=fp.email, phone=fp.phone
        ),
        reporting_obligation=mandates_pb2.ReportingObligation(
            overseeing_body=organisation_name(ob.overseeing_body_id)
            if ob.overseeing_body_id
            else "",
            periodicity=PERIODICITY.to_proto(ob.periodicity),
            fiscal_start_month=ob.fiscal_start_month,
        ),
        effective_from=format_date(t.effective_from),
        audit=common_pb2.AuditInfo(
            create_time=to_timestamp(m.created_at),
            update_time=to_timestamp(m.recorded_at),
            created_by=m.created_by,
            updated_by=m.recorded_by,
        ),
        change_note=t.change_note,
    )


def mandate_set(m: MandateVersion) -> events_pb2.MandateSet:
    """Event for nlc.registry.mandate.set."""
    return events_pb2.MandateSet(mandate=mandate_to_proto(m))
