"""Organisation views to protobuf resources and events."""

from __future__ import annotations

from nlc.registry.v1 import events_pb2, organisations_pb2
from services.common.enums import ProtoEnum
from services.common.proto_values import audit_info
from services.common.resource_names import make_name, to_timestamp
from services.registry.convert.jurisdictions import jurisdiction_name
from services.registry.domain.organisations import OrganisationKind, Sector, VerificationState
from services.registry.queries.organisations import OrganisationView

COLLECTION = "organisations"
pb = organisations_pb2
KIND = ProtoEnum(pb.OrganisationKind, "ORGANISATION_KIND_", OrganisationKind)
SECTOR = ProtoEnum(pb.Sector, "SECTOR_", Sector)
STATE = ProtoEnum(pb.VerificationState, "VERIFICATION_STATE_", VerificationState)
kind_from_proto = KIND.from_proto
sector_from_proto, sector_to_proto = SECTOR.from_proto, SECTOR.to_proto
state_from_proto, state_to_proto = STATE.from_proto, STATE.to_proto


def organisation_name(org_id: str) -> str:
    return make_name(COLLECTION, org_id)


def organisation_to_proto(view: OrganisationView) -> organisations_pb2.Organisation:
    """The API resource for an organisation."""
    d = view.details
    return pb.Organisation(
        name=organisation_name(view.id),
        id=view.id,
        display_name=d.display_name,
        kind=KIND.to_proto(d.kind),
        sector=sector_to_proto(d.sector),
        jurisdiction=jurisdiction_name(d.jurisdiction_id) if d.jurisdiction_id else "",
        registration_numbers=[
            pb.RegistrationNumber(scheme=n.scheme, value=n.value) for n in d.registration_numbers
        ],
        website=d.website,
        contact_email=d.contact_email,
        verification_state=state_to_proto(view.verification_state),
        verification_reason=view.verification_reason,
        verification_time=to_timestamp(view.verification_time),
        audit=audit_info(view),
        etag=view.etag,
    )


def organisation_changed(
    view: OrganisationView, previous_state: VerificationState
) -> events_pb2.OrganisationChanged:
    """Event for nlc.registry.organisation.<created|updated|verified|...>."""
    return events_pb2.OrganisationChanged(
        organisation=organisation_to_proto(view),
        previous_verification_state=state_to_proto(previous_state),
    )
