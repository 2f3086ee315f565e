"""Progress reports, indicator values and roll-ups, support requests.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime
from services.common.versioned import version_columns

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _progress_reports() -> None:
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("obligation_id", sa.String(36), nullable=False),
        sa.Column("cycle_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("plan_id", sa.String(36), nullable=True),
        sa.Column("plan_version", sa.Integer, nullable=True),
        sa.Column("award_id", sa.String(36), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("lock_on", sa.Date, nullable=False),
        sa.Column("submitted_at", UtcDateTime, nullable=True),
        sa.Column("on_time", sa.Boolean, nullable=True),
        sa.Column("accepted_at", UtcDateTime, nullable=True),
        sa.Column("return_reason", sa.Text, nullable=False),
        sa.Column("comments", sa.JSON, nullable=False),
        sa.Column("reopen_reason", sa.Text, nullable=False),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_progress_reports"),
        sa.UniqueConstraint(
            "obligation_id", "cycle_code", "kind", name="uq_progress_reports_expected"
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name="fk_progress_reports_obligation_id_obligations",
        ),
    )
    for column in ("organisation_id", "reviewing_org_id", "award_id", "state"):
        op.create_index(f"ix_progress_reports_{column}", "progress_reports", [column])


def _indicator_values() -> None:
    op.create_table(
        "indicator_values",
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("indicator_code", sa.String(32), nullable=False),
        sa.Column("standard_code", sa.String(32), nullable=False),
        sa.Column("cycle_code", sa.String(32), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=False),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("aggregation", sa.String(8), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("baseline", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("report_id", "indicator_code", name="pk_indicator_values"),
    )
    op.create_index(
        "ix_indicator_values_cycle_standard", "indicator_values", ["cycle_code", "standard_code"]
    )


def _indicator_rollups() -> None:
    op.create_table(
        "indicator_rollups",
        sa.Column("jurisdiction_id", sa.String(36), nullable=False),
        sa.Column("cycle_code", sa.String(32), nullable=False),
        sa.Column("standard_code", sa.String(32), nullable=False),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("aggregation", sa.String(8), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("sum_value", sa.Float, nullable=False),
        sa.Column("sum_target", sa.Float, nullable=False),
        sa.Column("sum_baseline", sa.Float, nullable=False),
        sa.Column("places", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(
            "jurisdiction_id",
            "cycle_code",
            "standard_code",
            "reviewing_org_id",
            name="pk_indicator_rollups",
        ),
    )


def _support_requests() -> None:
    op.create_table(
        "support_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("cycle_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=True),
        sa.Column("amount", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_support_requests"),
    )
    op.create_index("ix_support_requests_report_id", "support_requests", ["report_id"])
    op.create_index("ix_support_requests_cycle_kind", "support_requests", ["cycle_code", "kind"])


def upgrade() -> None:
    _progress_reports()
    _indicator_values()
    _indicator_rollups()
    _support_requests()


def downgrade() -> None:
    for table in ("support_requests", "indicator_rollups", "indicator_values", "progress_reports"):
        op.drop_table(table)
