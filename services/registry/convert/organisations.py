"""Organisation views to protobuf resources and events."""

from __future__ import annotations

from nlc.registry.v1 import events_pb2, organisations_pb2
from services.common.resource_names import make_name
from services.registry.convert import (
    audit_info,
    enum_from_proto,
    enum_to_proto,
    timestamp_or_none,
)
from services.registry.convert.jurisdictions import jurisdiction_name
from services.registry.domain.organisations import OrganisationKind, Sector, VerificationState
from services.registry.queries.organisations import OrganisationView

COLLECTION = "organisations"
KIND_PREFIX = "ORGANISATION_KIND_"
SECTOR_PREFIX = "SECTOR_"
STATE_PREFIX = "VERIFICATION_STATE_"


def organisation_name(org_id: str) -> str:
    return make_name(COLLECTION, org_id)


def kind_from_proto(number: int, *, field: str) -> OrganisationKind | None:
    pb = organisations_pb2.OrganisationKind
    return enum_from_proto(number, pb, KIND_PREFIX, OrganisationKind, field=field)


def sector_from_proto(number: int, *, field: str) -> Sector | None:
    return enum_from_proto(number, organisations_pb2.Sector, SECTOR_PREFIX, Sector, field=field)


def sector_to_proto(sector: Sector | None) -> int:
    return enum_to_proto(sector, organisations_pb2.Sector, SECTOR_PREFIX)


def state_from_proto(number: int, *, field: str) -> VerificationState | None:
    pb = organisations_pb2.VerificationState
    return enum_from_proto(number, pb, STATE_PREFIX, VerificationState, field=field)


def state_to_proto(state: VerificationState) -> int:
    return enum_to_proto(state, organisations_pb2.VerificationState, STATE_PREFIX)


def organisation_to_proto(view: OrganisationView) -> organisations_pb2.Organisation:
    """The API resource for an organisation."""
    d = view.details
    return organisations_pb2.Organisation(
        name=organisation_name(view.id),
        id=view.id,
        display_name=d.display_name,
        kind=enum_to_proto(d.kind, organisations_pb2.OrganisationKind, KIND_PREFIX),
        sector=sector_to_proto(d.sector),
        jurisdiction=jurisdiction_name(d.jurisdiction_id) if d.jurisdiction_id else "",
        registration_numbers=[
            organisations_pb2.RegistrationNumber(scheme=n.scheme, value=n.value)
            for n in d.registration_numbers
        ],
        website=d.website,
        contact_email=d.contact_email,
        verification_state=state_to_proto(view.verification_state),
        verification_reason=view.verification_reason,
        verification_time=timestamp_or_none(view.verification_time),
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
