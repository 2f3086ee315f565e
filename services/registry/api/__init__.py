"""The registry's gRPC servicer, composed from one module per aggregate, and its access policies."""

from __future__ import annotations

from nlc.registry.v1 import registry_pb2_grpc
from services.registry.api import audit, bodies, frameworks, jurisdictions, mandates, organisations
from services.registry.deps import RegistryDeps

SERVICE_NAME = "nlc.registry.v1.RegistryService"

POLICIES = {
    **jurisdictions.POLICIES,
    **organisations.POLICIES,
    **mandates.POLICIES,
    **frameworks.POLICIES,
    **bodies.POLICIES,
    **audit.POLICIES,
}


class RegistryServicer(
    jurisdictions.JurisdictionsApi,
    organisations.OrganisationsApi,
    mandates.MandatesApi,
    frameworks.FrameworksApi,
    bodies.CoordinationBodiesApi,
    audit.AuditApi,
    registry_pb2_grpc.RegistryServiceServicer,
):
    """Request → command → handler → reply; rules live in domain and handlers."""

    def __init__(self, deps: RegistryDeps) -> None:
        self.deps = deps


def register(server, deps: RegistryDeps) -> None:
    """Add the registry servicer to a grpc.aio server."""
    registry_pb2_grpc.add_RegistryServiceServicer_to_server(RegistryServicer(deps), server)
