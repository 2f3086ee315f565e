"""Calls between protobuf and domain: resources, events and request fields."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper

from nlc.grants.v1 import calls_pb2 as pb
from nlc.grants.v1 import events_pb2
from nlc.registry.v1 import mandates_pb2, organisations_pb2
from services.common.enums import enum_from_proto, enum_to_proto
from services.common.errors import invalid
from services.common.field_parser import FieldParser
from services.common.money import CURRENCY_CODE
from services.common.proto_values import audit_info, money_from_proto, money_to_proto
from services.common.resource_names import (
    format_date,
    make_name,
    optional_name,
    parse_date,
    parse_optional_name,
    parse_timestamp,
    to_timestamp,
)
from services.grants.domain.calls import (
    CallState,
    CallTerms,
    Criterion,
    Funder,
    MatchKind,
    MatchRule,
    Periodicity,
    PlannedTranche,
    ReportingDuty,
    TrancheTrigger,
)
from services.grants.domain.eligibility import Eligibility, OrganisationKind, PreventionLevel
from services.grants.queries.calls import CallView

COLLECTION = "calls"
ORGANISATIONS = "organisations"
JURISDICTIONS = "jurisdictions"
E = TypeVar("E", bound=StrEnum)

# (proto enum, prefix) per domain enum.
ENUMS: dict[type[StrEnum], tuple[EnumTypeWrapper, str]] = {
    CallState: (pb.CallState, "CALL_STATE_"),
    MatchKind: (pb.MatchKind, "MATCH_KIND_"),
    TrancheTrigger: (pb.TrancheTrigger, "TRANCHE_TRIGGER_"),
    Periodicity: (mandates_pb2.ReportingPeriodicity, "REPORTING_PERIODICITY_"),
    PreventionLevel: (mandates_pb2.PreventionLevel, "PREVENTION_LEVEL_"),
    OrganisationKind: (organisations_pb2.OrganisationKind, "ORGANISATION_KIND_"),
}


def call_name(call_id: str) -> str:
    return make_name(COLLECTION, call_id)


def org_name(org_id: str | None) -> str:
    return optional_name(ORGANISATIONS, org_id)


def to_pb(value: StrEnum | None) -> int:
    if value is None:
        return 0
    pb_enum, prefix = ENUMS[type(value)]
    return enum_to_proto(value, pb_enum, prefix)


def from_pb(kind: type[E], number: int, *, field: str) -> E | None:
    pb_enum, prefix = ENUMS[kind]
    return enum_from_proto(number, pb_enum, prefix, kind, field=field)


def required_enums(kind: type[E], numbers: Any, *, field: str) -> tuple[E, ...]:
    """A repeated enum field; UNSPECIFIED entries are invalid."""
    values = []
    for i, n in enumerate(numbers):
        value = from_pb(kind, n, field=f"{field}[{i}]")
        if value is None:
            raise invalid(f"{field}[{i}]", "choose a value")
        values.append(value)
    return tuple(values)


def call_to_proto(view: CallView) -> pb.Call:
    """The API resource for a call."""
    c, t = view.call, view.call.terms
    e, m = t.eligibility, t.match_rule
    return pb.Call(
        name=call_name(c.id),
        id=c.id,
        title=t.title,
        description=t.description,
        managing_organisation=org_name(c.managing_org_id),
        currency_code=t.currency_code,
        funders=[
            pb.CallFunder(
                organisation=org_name(f.organisation_id),
                pledge=money_to_proto(f.pledge),
                display_name=f.display_name,
            )
            for f in t.funders
        ],
        min_award=money_to_proto(t.min_award),
        max_award=money_to_proto(t.max_award),
        eligibility=pb.Eligibility(
            applicant_kinds=[to_pb(k) for k in e.applicant_kinds],
            must_be_verified=e.must_be_verified,
            jurisdiction=optional_name(JURISDICTIONS, e.jurisdiction_id),
            prevention_levels=[to_pb(p) for p in e.prevention_levels],
        ),
        match_rule=pb.MatchRule(
            min_match_bps=m.min_match_bps,
            allowed_kinds=[to_pb(k) for k in m.allowed_kinds],
            in_kind_cap_bps=m.in_kind_cap_bps,
        ),
        min_monitoring_evaluation_bps=t.min_monitoring_evaluation_bps,
        criteria=[
            pb.Criterion(
                code=x.code,
                title=x.title,
                guidance=x.guidance,
                weight=x.weight,
                max_score=x.max_score,
            )
            for x in t.criteria
        ],
        reviews_per_application=t.reviews_per_application,
        opens_at=to_timestamp(t.opens_at),
        closes_at=to_timestamp(t.closes_at),
        decision_date=format_date(t.decision_date),
        reporting_duty=pb.ReportingDuty(
            periodicity=to_pb(t.reporting_duty.periodicity),
            final_evaluation_required=t.reporting_duty.final_evaluation_required,
        ),
        tranche_plan=[
            pb.PlannedTranche(code=p.code, share_bps=p.share_bps, trigger=to_pb(p.trigger))
            for p in t.tranche_plan
        ],
        state=to_pb(c.state),
        pool=money_to_proto(t.pool) if t.currency_code else None,
        audit=audit_info(view),
        etag=view.etag,
    )


def call_changed(view: CallView) -> events_pb2.CallChanged:
    """Event for nlc.grants.call.<opened|closed|decided>."""
    return events_pb2.CallChanged(call=call_to_proto(view))


def _currency(code: str) -> str:
    if not CURRENCY_CODE.match(code):
        raise invalid("call.currency_code", "must be a three-letter ISO 4217 code such as EUR")
    return code


def _funders(parse: FieldParser, c: pb.Call) -> tuple[Funder, ...]:
    funders = []
    for i, f in enumerate(c.funders):
        path = f"call.funders[{i}]"
        org = parse(
            parse_optional_name, f.organisation, ORGANISATIONS, field=f"{path}.organisation"
        )
        pledge = parse(money_from_proto, f.pledge, field=f"{path}.pledge")
        if pledge is not None:
            funders.append(Funder(org, f.display_name, pledge))
    return tuple(funders)


def _eligibility(parse: FieldParser, c: pb.Call) -> Eligibility:
    e = c.eligibility
    field = "call.eligibility"
    return Eligibility(
        applicant_kinds=parse(
            required_enums, OrganisationKind, e.applicant_kinds, field=f"{field}.applicant_kinds"
        )
        or (),
        # "Default true for new calls": an absent eligibility message means verified only.
        must_be_verified=e.must_be_verified if c.HasField("eligibility") else True,
        jurisdiction_id=parse(
            parse_optional_name, e.jurisdiction, JURISDICTIONS, field=f"{field}.jurisdiction"
        ),
        prevention_levels=parse(
            required_enums, PreventionLevel, e.prevention_levels, field=f"{field}.prevention_levels"
        )
        or (),
    )


def _optional_money(parse: FieldParser, c: pb.Call, name: str) -> Any:
    if not c.HasField(name):
        return None
    return parse(money_from_proto, getattr(c, name), field=f"call.{name}")


def terms_from_proto(
    parse: FieldParser, c: pb.Call, wanted: frozenset[str] | None = None
) -> CallTerms:
    """CallTerms from a request's call (only the wanted fields are required to be set)."""
    m = c.match_rule
    currency = wanted is None or "currency_code" in wanted
    return CallTerms(
        title=c.title,
        description=c.description,
        currency_code=(parse(_currency, c.currency_code) or "") if currency else "",
        funders=_funders(parse, c),
        min_award=_optional_money(parse, c, "min_award"),
        max_award=_optional_money(parse, c, "max_award"),
        eligibility=_eligibility(parse, c),
        match_rule=MatchRule(
            min_match_bps=m.min_match_bps,
            allowed_kinds=parse(
                required_enums, MatchKind, m.allowed_kinds, field="call.match_rule.allowed_kinds"
            )
            or (),
            in_kind_cap_bps=m.in_kind_cap_bps,
        ),
        min_monitoring_evaluation_bps=c.min_monitoring_evaluation_bps,
        criteria=tuple(
            Criterion(x.code, x.title, x.guidance, x.weight, x.max_score) for x in c.criteria
        ),
        reviews_per_application=c.reviews_per_application,
        opens_at=parse(parse_timestamp, c.opens_at, field="call.opens_at")
        if c.HasField("opens_at")
        else None,
        closes_at=parse(parse_timestamp, c.closes_at, field="call.closes_at")
        if c.HasField("closes_at")
        else None,
        decision_date=parse(
            parse_date, c.decision_date, field="call.decision_date", required=False
        ),
        reporting_duty=ReportingDuty(
            periodicity=parse(
                from_pb,
                Periodicity,
                c.reporting_duty.periodicity,
                field="call.reporting_duty.periodicity",
            ),
            final_evaluation_required=c.reporting_duty.final_evaluation_required,
        ),
        tranche_plan=tuple(
            PlannedTranche(
                p.code,
                p.share_bps,
                parse(from_pb, TrancheTrigger, p.trigger, field=f"call.tranche_plan[{i}].trigger"),
            )
            for i, p in enumerate(c.tranche_plan)
        ),
    )
