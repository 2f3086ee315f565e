"""Applications between protobuf and domain: resources, events and request fields."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from nlc.grants.v1 import applications_pb2 as pb
from nlc.grants.v1 import events_pb2
from services.common.enums import enum_from_proto, enum_to_proto
from services.common.field_parser import FieldParser
from services.common.money import Money
from services.common.proto_values import audit_info, money_from_proto, money_to_proto
from services.common.resource_names import (
    make_name,
    optional_name,
    parse_optional_name,
    to_timestamp,
)
from services.grants.convert.calls import (
    JURISDICTIONS,
    ORGANISATIONS,
    call_name,
    org_name,
    required_enums,
)
from services.grants.convert.calls import from_pb as call_enum_from_pb
from services.grants.convert.calls import to_pb as call_enum_to_pb
from services.grants.domain.applications import (
    ApplicationState,
    BudgetCategory,
    BudgetLine,
    Content,
    MatchCommitment,
    MatchState,
)
from services.grants.domain.calls import MatchKind
from services.grants.domain.eligibility import PreventionLevel
from services.grants.queries.applications import ApplicationView

COLLECTION = "applications"
E = TypeVar("E", bound=StrEnum)
ENUMS: dict[type[StrEnum], tuple[Any, str]] = {
    ApplicationState: (pb.ApplicationState, "APPLICATION_STATE_"),
    BudgetCategory: (pb.BudgetCategory, "BUDGET_CATEGORY_"),
    MatchState: (pb.MatchState, "MATCH_STATE_"),
}


def application_name(application_id: str) -> str:
    return make_name(COLLECTION, application_id)


def to_pb(value: StrEnum | None) -> int:
    if value is None or type(value) not in ENUMS:
        return call_enum_to_pb(value)
    pb_enum, prefix = ENUMS[type(value)]
    return enum_to_proto(value, pb_enum, prefix)


def from_pb(kind: type[E], number: int, *, field: str) -> E | None:
    pb_enum, prefix = ENUMS[kind]
    return enum_from_proto(number, pb_enum, prefix, kind, field=field)


def application_to_proto(view: ApplicationView) -> pb.Application:
    """The API resource for an application, with budget figures computed now."""
    a, c, s = view.application, view.application.content, view.summary
    return pb.Application(
        name=application_name(a.id),
        id=a.id,
        call=call_name(a.call_id),
        applicant_organisation=org_name(a.applicant_org_id),
        title=c.title,
        summary=c.summary,
        jurisdiction=optional_name(JURISDICTIONS, c.jurisdiction_id),
        prevention_levels=[call_enum_to_pb(p) for p in c.prevention_levels],
        budget_lines=[
            pb.BudgetLine(
                category=to_pb(b.category),
                description=b.description,
                amount=money_to_proto(b.amount),
            )
            for b in c.budget_lines
        ],
        requested_amount=money_to_proto(c.requested_amount),
        match_commitments=[commitment_to_proto(m) for m in c.match_commitments],
        state=to_pb(a.state),
        submit_time=to_timestamp(a.submit_time),
        budget_summary=pb.BudgetSummary(
            total_cost=money_to_proto(s.total_cost),
            monitoring_evaluation=money_to_proto(s.monitoring_evaluation),
            monitoring_evaluation_bps=s.monitoring_evaluation_bps,
            match_total=money_to_proto(s.match_total),
            match_bps=s.match_bps,
            in_kind_match=money_to_proto(s.in_kind_match),
        ),
        audit=audit_info(view),
        etag=view.etag,
    )


def commitment_to_proto(m: MatchCommitment) -> pb.MatchCommitment:
    return pb.MatchCommitment(
        id=m.id,
        source_organisation=org_name(m.source_org_id),
        source_name=m.source_name,
        kind=call_enum_to_pb(m.kind),
        amount=money_to_proto(m.amount),
        state=to_pb(m.state),
        evidence_reference=m.evidence_reference,
        commitment_reference=m.commitment_reference,
    )


def application_changed(view: ApplicationView) -> events_pb2.ApplicationChanged:
    """Event for nlc.grants.application.<submitted|withdrawn>."""
    return events_pb2.ApplicationChanged(application=application_to_proto(view))


def match_confirmed(view: ApplicationView, m: MatchCommitment) -> events_pb2.MatchConfirmed:
    """Event for nlc.grants.match.confirmed."""
    return events_pb2.MatchConfirmed(
        application=application_name(view.id), commitment=commitment_to_proto(m)
    )


def _money(parse: FieldParser, message: Any, field: str) -> Money | None:
    return parse(money_from_proto, message, field=field)


def _commitments(parse: FieldParser, a: pb.Application) -> tuple[MatchCommitment, ...]:
    out = []
    for i, m in enumerate(a.match_commitments):
        path = f"application.match_commitments[{i}]"
        amount = _money(parse, m.amount, f"{path}.amount")
        source = parse(
            parse_optional_name, m.source_organisation, ORGANISATIONS, field=f"{path}.source"
        )
        kind = parse(call_enum_from_pb, MatchKind, m.kind, field=f"{path}.kind")
        if amount is not None:
            # State and evidence change only through ChangeMatchState; new ones start pledged.
            out.append(
                MatchCommitment(
                    id=m.id,
                    source_org_id=source,
                    source_name=m.source_name.strip(),
                    kind=kind,
                    amount=amount,
                    commitment_reference=m.commitment_reference.strip(),
                )
            )
    return tuple(out)


def content_from_proto(parse: FieldParser, a: pb.Application) -> Content:
    """Content from a request's application; bad fields are collected by parse."""
    lines = []
    for i, b in enumerate(a.budget_lines):
        path = f"application.budget_lines[{i}]"
        amount = _money(parse, b.amount, f"{path}.amount")
        category = parse(from_pb, BudgetCategory, b.category, field=f"{path}.category")
        if amount is not None:
            lines.append(BudgetLine(category, b.description, amount))
    requested = (
        _money(parse, a.requested_amount, "application.requested_amount")
        if a.HasField("requested_amount")
        else None
    )
    return Content(
        title=a.title.strip(),
        summary=a.summary,
        jurisdiction_id=parse(
            parse_optional_name, a.jurisdiction, JURISDICTIONS, field="application.jurisdiction"
        ),
        prevention_levels=parse(
            required_enums,
            PreventionLevel,
            a.prevention_levels,
            field="application.prevention_levels",
        )
        or (),
        budget_lines=tuple(lines),
        requested_amount=requested,
        match_commitments=_commitments(parse, a),
    )
