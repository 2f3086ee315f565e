"""The reporting gRPC servicer, composed from one module per area, and its access policies."""

from __future__ import annotations

from nlc.reporting.v1 import reporting_pb2_grpc
from services.reporting.api import cycles, national, plans, reports
from services.reporting.deps import ReportingDeps

SERVICE_NAME = "nlc.reporting.v1.ReportingService"

POLICIES = {
    **plans.POLICIES,
    **cycles.POLICIES,
    **reports.POLICIES,
    **national.POLICIES,
}


class ReportingServicer(
    plans.PlansApi,
    cycles.CyclesApi,
    reports.ReportsApi,
    national.NationalApi,
    reporting_pb2_grpc.ReportingServiceServicer,
):
    """Request → command → handler → reply; rules live in domain and handlers."""

    def __init__(self, deps: ReportingDeps) -> None:
        self.deps = deps


def register(server, deps: ReportingDeps) -> None:
    """Add the reporting servicer to a grpc.aio server."""
    reporting_pb2_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(deps), server)
