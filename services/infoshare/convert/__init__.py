"""Infoshare views to protobuf resources, and API fields to domain values."""

from __future__ import annotations

from services.common.resource_names import make_name

# Collections of the resource names infoshare speaks of (its own and other services').
PURPOSES = "purposes"
RECORD_TYPES = "recordTypes"
AGREEMENTS = "agreements"
VERSIONS = "versions"
SHARES = "shares"
ORGANISATIONS = "organisations"


def agreement_version_name(agreement_id: str, version: int) -> str:
    """`agreements/{id}/versions/{n}`."""
    return f"{make_name(AGREEMENTS, agreement_id)}/{VERSIONS}/{version}"
