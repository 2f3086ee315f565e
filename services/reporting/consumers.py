"""Read models fed by registry and grants events (being built)."""

from __future__ import annotations

from services.common.app import Wiring
from services.common.messaging import ConsumerRunner
from services.reporting.deps import ReportingDeps


def build_consumers(wiring: Wiring, deps: ReportingDeps) -> list[ConsumerRunner]:
    """The registry and grants read-model consumers."""
    return []
