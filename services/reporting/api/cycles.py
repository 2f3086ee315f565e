"""RPCs of cycles (being built)."""

from __future__ import annotations

from typing import Any

from services.reporting.deps import ReportingDeps

POLICIES: dict[str, Any] = {}


class CyclesApi:
    """cycles RPCs."""

    deps: ReportingDeps
