"""The registry as a runnable service: its spec for the common bootstrap."""

from __future__ import annotations

from pathlib import Path

from services.common.app import ServiceSpec, Wiring
from services.registry.api import POLICIES, SERVICE_NAME, register
from services.registry.demo import seed_demo
from services.registry.deps import RegistryDeps, organisation_cache


def build_deps(wiring: Wiring) -> RegistryDeps:
    return RegistryDeps(
        sessions=wiring.read_sessions,
        uow=wiring.uow,
        clock=wiring.clock,
        organisations=organisation_cache(wiring.caches, wiring.clock),
    )


SPEC = ServiceSpec(
    name="registry",
    grpc_service_names=[SERVICE_NAME],
    migrations=Path(__file__).parent / "migrations",
    policies=POLICIES,
    build_deps=build_deps,
    register=register,
    seed_demo=seed_demo,
)
