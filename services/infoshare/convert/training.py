"""Training attestations to protobuf."""

from __future__ import annotations

from nlc.infoshare.v1 import shares_pb2 as pb
from services.common.resource_names import format_date, optional_name, to_timestamp
from services.infoshare.convert import ORGANISATIONS
from services.infoshare.domain.training import TrainingAttestation


def attestation_to_proto(a: TrainingAttestation) -> pb.TrainingAttestation:
    return pb.TrainingAttestation(
        user=a.username,
        organisation=optional_name(ORGANISATIONS, a.organisation_id),
        course=a.course,
        completed_on=format_date(a.completed_on),
        valid_until=format_date(a.valid_until),
        record_time=to_timestamp(a.recorded_at),
    )
