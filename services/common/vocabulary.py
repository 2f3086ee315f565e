"""Words every service shares with the registry: kinds of organisation, verification, prevention."""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    NATIONAL_AGENCY = "national_agency"
    LOCAL_GOVERNMENT = "local_government"
    CSO = "cso"
    POLICE = "police"
    SERVICE_PROVIDER = "service_provider"
    FAITH_COMMUNITY_GROUP = "faith_community_group"
    PRIVATE_SECTOR = "private_sector"
    INTERNATIONAL_DONOR = "international_donor"
    RESEARCH = "research"


class VerificationState(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class PreventionLevel(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"


class ReportingPeriodicity(StrEnum):
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"
