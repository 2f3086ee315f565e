"""Kit tables and the read model of registry and grants facts.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime
from services.common.kit_tables import create_kit_tables, drop_kit_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

READ_MODEL = (
    "known_awards",
    "known_calls",
    "known_frameworks",
    "known_mandates",
    "known_organisations",
    "known_jurisdictions",
)


def upgrade() -> None:
    create_kit_tables(op)
    op.create_table(
        "known_jurisdictions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("parent_id", sa.String(36), nullable=True, index=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )
    op.create_index("ix_known_jurisdictions_path", "known_jurisdictions", ["path"])
    op.create_table(
        "known_organisations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("verification_state", sa.String(16), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True, index=True),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )
    op.create_table(
        "known_mandates",
        sa.Column("organisation_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("overseeing_org_id", sa.String(36), nullable=True, index=True),
        sa.Column("periodicity", sa.String(16), nullable=True),
        sa.Column("fiscal_start_month", sa.Integer, nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )
    op.create_table(
        "known_frameworks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pillars", sa.JSON, nullable=False),
        sa.Column("indicators", sa.JSON, nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )
    op.create_table(
        "known_calls",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("managing_org_id", sa.String(36), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )
    op.create_table(
        "known_awards",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("call_id", sa.String(36), nullable=False, index=True),
        sa.Column("grantee_org_id", sa.String(36), nullable=False, index=True),
        sa.Column("funder_org_ids", sa.JSON, nullable=False),
        sa.Column("periodicity", sa.String(16), nullable=True),
        sa.Column("final_evaluation_required", sa.Boolean, nullable=False),
        sa.Column("award_time", UtcDateTime, nullable=False),
        sa.Column("as_of", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in READ_MODEL:
        op.drop_table(table)
    drop_kit_tables(op)
