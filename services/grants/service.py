"""The grants service as a runnable service: its spec for the common bootstrap."""

from __future__ import annotations

from pathlib import Path

from services.common.app import ServiceSpec, Wiring
from services.grants.api import POLICIES, SERVICE_NAME, register
from services.grants.consumers import build_consumers
from services.grants.demo import seed_demo
from services.grants.deps import GrantsDeps
from services.grants.scheduler import background_jobs


def build_deps(wiring: Wiring) -> GrantsDeps:
    return GrantsDeps(sessions=wiring.read_sessions, uow=wiring.uow, clock=wiring.clock)


SPEC = ServiceSpec(
    name="grants",
    grpc_service_names=[SERVICE_NAME],
    migrations=Path(__file__).parent / "migrations",
    policies=POLICIES,
    build_deps=build_deps,
    register=register,
    consumers=build_consumers,
    background=background_jobs,
    seed_demo=seed_demo,
)
