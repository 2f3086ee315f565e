"""The infoshare service as a runnable service: its spec for the common bootstrap."""

from __future__ import annotations

from pathlib import Path

from services.common.app import ServiceSpec, Wiring
from services.infoshare.api import POLICIES, SERVICE_NAME, register
from services.infoshare.crypto.keyring import load_keyring
from services.infoshare.demo import seed_demo
from services.infoshare.deps import InfoshareDeps
from services.infoshare.scheduler import background_jobs


def build_deps(wiring: Wiring) -> InfoshareDeps:
    return InfoshareDeps(
        sessions=wiring.read_sessions,
        uow=wiring.uow,
        clock=wiring.clock,
        keyring=load_keyring(wiring.settings),
    )


SPEC = ServiceSpec(
    name="infoshare",
    grpc_service_names=[SERVICE_NAME],
    migrations=Path(__file__).parent / "migrations",
    policies=POLICIES,
    build_deps=build_deps,
    register=register,
    background=background_jobs,
    seed_demo=seed_demo,
)
