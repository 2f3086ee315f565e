"""The infoshare gRPC servicer, composed from one module per area, and its access policies."""

from __future__ import annotations

from nlc.infoshare.v1 import infoshare_pb2_grpc
from services.infoshare.api import agreements, audit, purposes, shares, subjects, training
from services.infoshare.deps import InfoshareDeps

SERVICE_NAME = "nlc.infoshare.v1.InfoshareService"

POLICIES = {
    **purposes.POLICIES,
    **agreements.POLICIES,
    **training.POLICIES,
    **shares.POLICIES,
    **subjects.POLICIES,
    **audit.POLICIES,
}


class InfoshareServicer(
    purposes.PurposesApi,
    agreements.AgreementsApi,
    training.TrainingApi,
    shares.SharesApi,
    subjects.SubjectsApi,
    audit.AuditApi,
    infoshare_pb2_grpc.InfoshareServiceServicer,
):
    """Request → command → handler → reply; rules live in domain and handlers."""

    def __init__(self, deps: InfoshareDeps) -> None:
        self.deps = deps


def register(server, deps: InfoshareDeps) -> None:
    """Add the infoshare servicer to a grpc.aio server."""
    infoshare_pb2_grpc.add_InfoshareServiceServicer_to_server(InfoshareServicer(deps), server)
