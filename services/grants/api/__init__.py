"""The grants gRPC servicer, composed from one module per area, and its access policies."""

from __future__ import annotations

from nlc.grants.v1 import grants_pb2_grpc
from services.grants.api import applications, audit, awards, calls, reviews
from services.grants.deps import GrantsDeps

SERVICE_NAME = "nlc.grants.v1.GrantsService"

POLICIES = {
    **calls.POLICIES,
    **applications.POLICIES,
    **reviews.POLICIES,
    **awards.POLICIES,
    **audit.POLICIES,
}


class GrantsServicer(
    calls.CallsApi,
    applications.ApplicationsApi,
    reviews.ReviewsApi,
    awards.AwardsApi,
    audit.AuditApi,
    grants_pb2_grpc.GrantsServiceServicer,
):
    """Request → command → handler → reply; rules live in domain and handlers."""

    def __init__(self, deps: GrantsDeps) -> None:
        self.deps = deps


def register(server, deps: GrantsDeps) -> None:
    """Add the grants servicer to a grpc.aio server."""
    grants_pb2_grpc.add_GrantsServiceServicer_to_server(GrantsServicer(deps), server)
