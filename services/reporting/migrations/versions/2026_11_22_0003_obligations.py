"""Cycles, obligations, expected reports and reminder digests.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _cycles() -> None:
    op.create_table(
        "reporting_cycles",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("periodicity", sa.String(16), nullable=False),
        sa.Column("fiscal_start_month", sa.Integer, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("open_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("grace_days", sa.Integer, nullable=False),
        sa.Column("lock_on", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_reporting_cycles"),
    )
    op.create_index(
        "ix_reporting_cycles_series",
        "reporting_cycles",
        ["periodicity", "fiscal_start_month", "period_end"],
    )


def _obligations() -> None:
    op.create_table(
        "obligations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("plan_id", sa.String(36), nullable=True),
        sa.Column("award_id", sa.String(36), nullable=True),
        sa.Column("call_id", sa.String(36), nullable=True),
        sa.Column("periodicity", sa.String(16), nullable=False),
        sa.Column("fiscal_start_month", sa.Integer, nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=True),
        sa.Column("final_evaluation_required", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_obligations"),
        sa.UniqueConstraint("plan_id", name="uq_obligations_plan_id"),
        sa.UniqueConstraint("award_id", name="uq_obligations_award_id"),
    )
    op.create_index("ix_obligations_organisation_id", "obligations", ["organisation_id"])
    op.create_index("ix_obligations_jurisdiction_id", "obligations", ["jurisdiction_id"])
    op.create_index("ix_obligations_reviewing_org_id", "obligations", ["reviewing_org_id"])


def _expected_reports() -> None:
    op.create_table(
        "expected_reports",
        sa.Column("obligation_id", sa.String(36), nullable=False),
        sa.Column("cycle_code", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("reviewing_org_id", sa.String(36), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("lock_on", sa.Date, nullable=False),
        sa.Column("report_id", sa.String(36), nullable=True),
        sa.Column("report_state", sa.String(16), nullable=False),
        sa.Column("submitted_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("obligation_id", "cycle_code", name="pk_expected_reports"),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligations.id"],
            name="fk_expected_reports_obligation_id_obligations",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_code"],
            ["reporting_cycles.code"],
            name="fk_expected_reports_cycle_code_reporting_cycles",
        ),
    )
    op.create_index("ix_expected_reports_organisation_id", "expected_reports", ["organisation_id"])
    op.create_index(
        "ix_expected_reports_reviewing_org_id", "expected_reports", ["reviewing_org_id"]
    )
    op.create_index(
        "ix_expected_reports_place_cycle", "expected_reports", ["jurisdiction_id", "cycle_code"]
    )
    op.create_index(
        "ix_expected_reports_cycle_state", "expected_reports", ["cycle_code", "report_state"]
    )


def _reminder_digests() -> None:
    op.create_table(
        "reminder_digests",
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("reminders", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "day", name="pk_reminder_digests"),
    )


def upgrade() -> None:
    _cycles()
    _obligations()
    _expected_reports()
    _reminder_digests()


def downgrade() -> None:
    op.drop_table("reminder_digests")
    op.drop_table("expected_reports")
    op.drop_table("obligations")
    op.drop_table("reporting_cycles")
