"""RPCs of plans (being built)."""

from __future__ import annotations

from typing import Any

from services.reporting.deps import ReportingDeps

POLICIES: dict[str, Any] = {}


class PlansApi:
    """plans RPCs."""

    deps: ReportingDeps
