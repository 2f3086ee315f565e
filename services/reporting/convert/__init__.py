"""Reporting views to protobuf resources and events, and API fields to domain values."""

from __future__ import annotations

# Collections of the resource names reporting speaks of (its own and other services').
ACTION_PLANS = "actionPlans"
CYCLES = "reportingCycles"
OBLIGATIONS = "reportingObligations"
PROGRESS_REPORTS = "progressReports"
ORGANISATIONS = "organisations"
JURISDICTIONS = "jurisdictions"
FRAMEWORKS = "frameworks"
AWARDS = "awards"
CALLS = "calls"
