"""Agreements between protobuf and domain: terms, the agreement resource, versions, events."""

from __future__ import annotations

from nlc.infoshare.v1 import agreements_pb2 as pb
from nlc.infoshare.v1 import events_pb2
from services.common.enums import ProtoEnum
from services.common.field_parser import FieldParser
from services.common.resource_names import (
    format_date,
    make_name,
    parse_date,
    parse_name,
    to_timestamp,
)
from services.infoshare.convert import AGREEMENTS, ORGANISATIONS, agreement_version_name
from services.infoshare.convert.purposes import (
    CATEGORY,
    categories_from_proto,
    parse_purpose_name,
    purpose_name,
)
from services.infoshare.domain.agreement_workflow import Agreement, AgreementVersion
from services.infoshare.domain.agreements import (
    AgreementState,
    AgreementTerms,
    DataFlow,
    Party,
    PartyRole,
    SharingStatus,
)
from services.infoshare.queries.agreements import AgreementView

PARTY_ROLE = ProtoEnum(pb.PartyRole, "PARTY_ROLE_", PartyRole)
AGREEMENT_STATE = ProtoEnum(pb.AgreementState, "AGREEMENT_STATE_", AgreementState)
SHARING_STATUS = ProtoEnum(pb.SharingStatus, "SHARING_STATUS_", SharingStatus)
DEFAULT_REVIEW_INTERVAL_MONTHS = 12


def agreement_name(agreement_id: str) -> str:
    return make_name(AGREEMENTS, agreement_id)


def parse_agreement_name(name: str, *, field: str = "name") -> str:
    """The id of `agreements/{id}`."""
    return parse_name(name, AGREEMENTS, field=field)


def organisation_name(organisation_id: str) -> str:
    return make_name(ORGANISATIONS, organisation_id)


# From the API ------------------------------------------------------------------------------


def _party(parse: FieldParser, p: pb.Party, path: str) -> Party | None:
    org = parse(parse_name, p.organisation, ORGANISATIONS, field=f"{path}.organisation")
    role = parse(PARTY_ROLE.from_proto, p.role, field=f"{path}.role")
    if role is None and p.role == 0:
        parse.add(f"{path}.role", "is required: provider, recipient or provider and recipient")
    return Party(org, role) if org and role else None


def _flow(parse: FieldParser, f: pb.DataFlow, path: str) -> DataFlow | None:
    provider = parse(parse_name, f.provider, ORGANISATIONS, field=f"{path}.provider")
    recipient = parse(parse_name, f.recipient, ORGANISATIONS, field=f"{path}.recipient")
    categories = categories_from_proto(parse, f.categories, f"{path}.categories")
    return DataFlow(provider, recipient, categories) if provider and recipient else None


def terms_from_proto(t: pb.AgreementTerms, field: str = "terms") -> AgreementTerms:
    """The terms a request states; InvalidArgument naming every field that cannot be read
    (the rules on the whole run in the handler)."""
    parse = FieldParser()
    parties = [_party(parse, p, f"{field}.parties[{i}]") for i, p in enumerate(t.parties)]
    purposes = [
        parse(parse_purpose_name, name, field=f"{field}.purposes[{i}]")
        for i, name in enumerate(t.purposes)
    ]
    flows = [_flow(parse, f, f"{field}.flows[{i}]") for i, f in enumerate(t.flows)]
    valid_from = parse(parse_date, t.valid_from, field=f"{field}.valid_from")
    valid_until = parse(parse_date, t.valid_until, field=f"{field}.valid_until")
    parse.check()
    assert valid_from is not None and valid_until is not None
    return AgreementTerms(
        title=t.title.strip(),
        parties=tuple(p for p in parties if p is not None),
        purposes=tuple(p for p in purposes if p is not None),
        flows=tuple(f for f in flows if f is not None),
        valid_from=valid_from,
        valid_until=valid_until,
        review_interval_months=t.review_interval_months or DEFAULT_REVIEW_INTERVAL_MONTHS,
    )


# To the API --------------------------------------------------------------------------------


def terms_to_proto(terms: AgreementTerms) -> pb.AgreementTerms:
    return pb.AgreementTerms(
        title=terms.title,
        parties=[
            pb.Party(
                organisation=organisation_name(p.organisation_id),
                role=PARTY_ROLE.to_proto(p.role),
                signed_by=p.signed_by,
                sign_time=to_timestamp(p.signed_at),
            )
            for p in terms.parties
        ],
        purposes=[purpose_name(c) for c in terms.purposes],
        flows=[
            pb.DataFlow(
                provider=organisation_name(f.provider_id),
                recipient=organisation_name(f.recipient_id),
                categories=sorted(CATEGORY.to_proto(c) for c in f.categories),
            )
            for f in terms.flows
        ],
        valid_from=format_date(terms.valid_from),
        valid_until=format_date(terms.valid_until),
        review_interval_months=terms.review_interval_months,
    )


def agreement_to_proto(view: AgreementView) -> pb.Agreement:
    """The agreement, showing the terms of its governing version."""
    a = view.agreement
    return pb.Agreement(
        name=agreement_name(a.id),
        terms=terms_to_proto(view.shown.terms),
        state=AGREEMENT_STATE.to_proto(a.state),
        sharing_status=SHARING_STATUS.to_proto(view.sharing),
        version_in_force=a.version_in_force,
        latest_version=a.latest_version,
        review_date=format_date(a.review_date),
        last_reviewed_by=a.last_reviewed_by,
        last_review_time=to_timestamp(a.last_reviewed_at),
        state_reason=a.state_reason,
        create_time=to_timestamp(view.stamps.created_at),
        created_by=view.stamps.created_by,
        update_time=to_timestamp(view.stamps.updated_at),
        etag=view.stamps.etag,
    )


def version_to_proto(agreement_id: str, v: AgreementVersion) -> pb.AgreementVersion:
    return pb.AgreementVersion(
        name=agreement_version_name(agreement_id, v.number),
        version=v.number,
        terms=terms_to_proto(v.terms),
        status=v.status.value,
        create_time=to_timestamp(v.created_at),
        created_by=v.created_by,
        activate_time=to_timestamp(v.activated_at),
    )


def agreement_changed(
    agreement: Agreement, terms: AgreementTerms, reason: str = ""
) -> events_pb2.AgreementChanged:
    """Event for nlc.infoshare.agreement.<activated|suspended|terminated|review_due>."""
    return events_pb2.AgreementChanged(
        agreement=agreement_name(agreement.id),
        version=agreement.governing_version,
        parties=[organisation_name(p.organisation_id) for p in terms.parties],
        review_date=format_date(agreement.review_date),
        reason=reason,
    )
