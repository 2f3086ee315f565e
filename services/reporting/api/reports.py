"""RPCs of reports (being built)."""

from __future__ import annotations

from typing import Any

from services.reporting.deps import ReportingDeps

POLICIES: dict[str, Any] = {}


class ReportsApi:
    """reports RPCs."""

    deps: ReportingDeps
