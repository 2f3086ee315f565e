"""Progress reports, the indicator values they carry, national roll-ups and support requests."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.db import UtcDateTime
from services.common.versioned import version_columns
from services.reporting.orm import METADATA

progress_reports = Table(
    "progress_reports",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("obligation_id", String(36), ForeignKey("obligations.id"), nullable=False),
    Column("cycle_code", String(32), nullable=False),
    # "progress" or "final_evaluation"
    Column("kind", String(24), nullable=False),
    Column("organisation_id", String(36), nullable=False, index=True),
    Column("jurisdiction_id", String(36), nullable=True),
    Column("reviewing_org_id", String(36), nullable=False, index=True),
    Column("plan_id", String(36), nullable=True),
    Column("plan_version", Integer, nullable=True),
    Column("award_id", String(36), nullable=True, index=True),
    Column("state", String(16), nullable=False, index=True),
    # ReportContent.to_record(): activities, indicators, narrative, support requests, evaluation_url
    Column("content", JSON, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("lock_on", Date, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("on_time", Boolean, nullable=True),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("return_reason", Text, nullable=False),
    Column("comments", JSON, nullable=False),
    Column("reopen_reason", Text, nullable=False),
    *version_columns(),
    UniqueConstraint("obligation_id", "cycle_code", "kind", name="uq_progress_reports_expected"),
)

# One row per submitted value of an indicator linked to a standard indicator (the national
# benchmark holds millions); written when a report is submitted, replaced on resubmission. It keeps
# the report's reviewing organisation as of the submission: the roll-up row it was added to.
indicator_values = Table(
    "indicator_values",
    METADATA,
    Column("report_id", String(36), primary_key=True),
    Column("indicator_code", String(32), primary_key=True),
    Column("standard_code", String(32), nullable=False),
    Column("cycle_code", String(32), nullable=False),
    Column("jurisdiction_id", String(36), nullable=False),
    Column("reviewing_org_id", String(36), nullable=False),
    Column("aggregation", String(8), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("value", Float, nullable=False),
    Column("target", Float, nullable=False),
    Column("baseline", Float, nullable=False),
    Index("ix_indicator_values_cycle_standard", "cycle_code", "standard_code"),
)

# Sums over each jurisdiction's whole subtree per reviewing organisation, kept up to date in the
# transaction that writes the values (one row per ancestor, the place itself included), so the
# national view reads a handful of rows instead of scanning millions: a national reviewer its
# body's rows, administrators the rows of every body summed.
indicator_rollups = Table(
    "indicator_rollups",
    METADATA,
    Column("jurisdiction_id", String(36), primary_key=True),
    Column("cycle_code", String(32), primary_key=True),
    Column("standard_code", String(32), primary_key=True),
    Column("reviewing_org_id", String(36), primary_key=True),
    Column("aggregation", String(8), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("sum_value", Float, nullable=False),
    Column("sum_target", Float, nullable=False),
    Column("sum_baseline", Float, nullable=False),
    Column("places", Integer, nullable=False),
)

support_requests = Table(
    "support_requests",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("report_id", String(36), nullable=False, index=True),
    Column("organisation_id", String(36), nullable=False),
    Column("jurisdiction_id", String(36), nullable=True),
    Column("reviewing_org_id", String(36), nullable=False),
    Column("cycle_code", String(32), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("currency_code", String(3), nullable=True),
    Column("amount", BigInteger, nullable=True),
    Index("ix_support_requests_cycle_kind", "cycle_code", "kind"),
)
