"""Background jobs of the reporting service (being built)."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from services.common.app import Wiring
from services.reporting.deps import ReportingDeps


def background_jobs(wiring: Wiring, deps: ReportingDeps) -> list[Coroutine[Any, Any, None]]:
    """The reporting service's long-running jobs."""
    return []
