"""Action plans, their versions (content frozen once approved) and review transitions."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text

from services.common.db import UtcDateTime
from services.common.versioned import version_columns
from services.reporting.orm import METADATA

# One row per plan; `version` (from version_columns) is the etag, `current_version` the number of
# the version being worked on, `approved_version` the one in force (0 when none).
action_plans = Table(
    "action_plans",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("owner_org_id", String(36), nullable=False, index=True),
    Column("jurisdiction_id", String(36), nullable=False, index=True),
    Column("reviewing_org_id", String(36), nullable=True, index=True),
    Column("current_version", Integer, nullable=False),
    Column("approved_version", Integer, nullable=False),
    Column("state", String(24), nullable=False, index=True),
    *version_columns(),
)

# Content of each version as PlanContent.to_record(); immutable once approved.
plan_versions = Table(
    "plan_versions",
    METADATA,
    Column("plan_id", String(36), ForeignKey("action_plans.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("state", String(24), nullable=False),
    Column("content", JSON, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("approved_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
)

plan_transitions = Table(
    "plan_transitions",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("plan_id", String(36), ForeignKey("action_plans.id"), nullable=False, index=True),
    Column("version_number", Integer, nullable=False),
    Column("from_state", String(24), nullable=False),
    Column("to_state", String(24), nullable=False),
    Column("actor_sub", String(255), nullable=False),
    Column("actor_username", String(255), nullable=False),
    Column("actor_org_id", String(36), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    # [{"anchor_kind", "anchor_code", "text"}]
    Column("comments", JSON, nullable=False),
)
