"""What reporting knows of other services, kept from their events: places, organisations,
mandates, frameworks (registry) and calls and awards (grants)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, String, Table

from services.common.db import UtcDateTime
from services.reporting.orm import METADATA

known_jurisdictions = Table(
    "known_jurisdictions",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("parent_id", String(36), nullable=True, index=True),
    Column("code", String(32), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("level", String(16), nullable=True),
    # Ids from the root down to this unit, each followed by "/": "/root/region/this/".
    # A subtree is every row whose path starts with its root's path.
    Column("path", String(1000), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    # Occurred-at of the event the row reflects; older events never overwrite newer ones.
    Column("as_of", UtcDateTime, nullable=False),
    Index("ix_known_jurisdictions_path", "path"),
)

known_organisations = Table(
    "known_organisations",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("kind", String(32), nullable=True),
    Column("verification_state", String(16), nullable=False),
    Column("jurisdiction_id", String(36), nullable=True, index=True),
    Column("as_of", UtcDateTime, nullable=False),
)

# The reporting obligation in a local government's current mandate.
known_mandates = Table(
    "known_mandates",
    METADATA,
    Column("organisation_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("overseeing_org_id", String(36), nullable=True, index=True),
    Column("periodicity", String(16), nullable=True),
    Column("fiscal_start_month", Integer, nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
)

known_frameworks = Table(
    "known_frameworks",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("state", String(16), nullable=False),
    # [{"code", "title"}]
    Column("pillars", JSON, nullable=False),
    # [{"code", "title", "pillar_code", "level", "unit", "direction", "disaggregations"}]
    Column("indicators", JSON, nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
)

known_calls = Table(
    "known_calls",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("managing_org_id", String(36), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
)

known_awards = Table(
    "known_awards",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("call_id", String(36), nullable=False, index=True),
    Column("grantee_org_id", String(36), nullable=False, index=True),
    # Organisation ids of the co-funders with a share of the award.
    Column("funder_org_ids", JSON, nullable=False),
    Column("periodicity", String(16), nullable=True),
    Column("final_evaluation_required", Boolean, nullable=False),
    Column("award_time", UtcDateTime, nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
)
