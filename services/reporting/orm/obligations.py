"""Reporting cycles, obligations, the reports they expect, and reminder digests."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from services.common.db import UtcDateTime
from services.reporting.orm import METADATA

reporting_cycles = Table(
    "reporting_cycles",
    METADATA,
    Column("code", String(32), primary_key=True),
    Column("periodicity", String(16), nullable=False),
    Column("fiscal_start_month", Integer, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("open_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("lock_on", Date, nullable=False),
    Index("ix_reporting_cycles_series", "periodicity", "fiscal_start_month", "period_end"),
)

obligations = Table(
    "obligations",
    METADATA,
    Column("id", String(36), primary_key=True),
    # "action_plan" or "grant"
    Column("kind", String(16), nullable=False),
    Column("organisation_id", String(36), nullable=False, index=True),
    Column("jurisdiction_id", String(36), nullable=True, index=True),
    Column("reviewing_org_id", String(36), nullable=False, index=True),
    Column("plan_id", String(36), nullable=True),
    Column("award_id", String(36), nullable=True),
    Column("call_id", String(36), nullable=True),
    Column("periodicity", String(16), nullable=False),
    Column("fiscal_start_month", Integer, nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=True),
    Column("final_evaluation_required", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # One obligation per plan and per award.
    UniqueConstraint("plan_id", name="uq_obligations_plan_id"),
    UniqueConstraint("award_id", name="uq_obligations_award_id"),
)

# One row per obligation and cycle. `report_state` mirrors the report ("none" before one is
# started); status late/missing/not-yet-due follows from it, due_on/lock_on and today.
expected_reports = Table(
    "expected_reports",
    METADATA,
    Column("obligation_id", String(36), ForeignKey("obligations.id"), primary_key=True),
    Column("cycle_code", String(32), ForeignKey("reporting_cycles.code"), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("organisation_id", String(36), nullable=False, index=True),
    Column("jurisdiction_id", String(36), nullable=True),
    Column("reviewing_org_id", String(36), nullable=False, index=True),
    Column("due_on", Date, nullable=False),
    Column("lock_on", Date, nullable=False),
    Column("report_id", String(36), nullable=True),
    Column("report_state", String(16), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Index("ix_expected_reports_place_cycle", "jurisdiction_id", "cycle_code"),
    Index("ix_expected_reports_cycle_state", "cycle_code", "report_state"),
)

reminder_digests = Table(
    "reminder_digests",
    METADATA,
    Column("organisation_id", String(36), primary_key=True),
    Column("day", Date, primary_key=True),
    # [{"obligation_id", "cycle_code", "due_on", "kind", "days_to_due"}]
    Column("reminders", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
