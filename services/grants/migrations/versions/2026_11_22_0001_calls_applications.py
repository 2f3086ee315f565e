"""Kit tables, the eligibility read model, calls with their funders, applications and match.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime
from services.common.kit_tables import create_kit_tables, drop_kit_tables
from services.common.versioned import version_columns

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _read_model() -> None:
    op.create_table(
        "registry_organisations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("verification_state", sa.String(16), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("as_of", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_organisations"),
    )
    op.create_table(
        "registry_jurisdictions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("as_of", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_jurisdictions"),
    )
    op.create_index("ix_registry_jurisdictions_parent_id", "registry_jurisdictions", ["parent_id"])


def _calls() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("managing_org_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("min_award", sa.BigInteger, nullable=True),
        sa.Column("max_award", sa.BigInteger, nullable=True),
        sa.Column("eligibility", sa.JSON, nullable=False),
        sa.Column("match_rule", sa.JSON, nullable=False),
        sa.Column("min_monitoring_evaluation_bps", sa.Integer, nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("reviews_per_application", sa.Integer, nullable=False),
        sa.Column("opens_at", UtcDateTime, nullable=True),
        sa.Column("closes_at", UtcDateTime, nullable=True),
        sa.Column("decision_date", sa.Date, nullable=True),
        sa.Column("reporting_duty", sa.JSON, nullable=False),
        sa.Column("tranche_plan", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
    )
    op.create_index("ix_calls_managing_org_id", "calls", ["managing_org_id"])
    op.create_index("ix_calls_state", "calls", ["state"])
    op.create_table(
        "call_funders",
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("pledge", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("call_id", "position", name="pk_call_funders"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name="fk_call_funders_call_id_calls"),
    )
    op.create_index("ix_call_funders_organisation_id", "call_funders", ["organisation_id"])


def _applications() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("applicant_org_id", sa.String(36), nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("prevention_levels", sa.JSON, nullable=False),
        sa.Column("budget_lines", sa.JSON, nullable=False),
        sa.Column("requested_amount", sa.BigInteger, nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("submit_time", UtcDateTime, nullable=True),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name="fk_applications_call_id_calls"),
    )
    op.create_index("ix_applications_call_id", "applications", ["call_id"])
    op.create_index("ix_applications_applicant_org_id", "applications", ["applicant_org_id"])
    op.create_index("ix_applications_state", "applications", ["state"])
    op.create_table(
        "match_commitments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source_org_id", sa.String(36), nullable=True),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("evidence_reference", sa.String(500), nullable=False),
        sa.Column("commitment_reference", sa.String(120), nullable=False),
        sa.Column("claim_key", sa.String(700), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_match_commitments"),
        sa.UniqueConstraint("claim_key", name="uq_match_commitments_claim_key"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_match_commitments_application_id_applications",
        ),
    )
    op.create_index("ix_match_commitments_application_id", "match_commitments", ["application_id"])


def upgrade() -> None:
    create_kit_tables(op)
    _read_model()
    _calls()
    _applications()


def downgrade() -> None:
    op.drop_table("match_commitments")
    op.drop_table("applications")
    op.drop_table("call_funders")
    op.drop_table("calls")
    op.drop_table("registry_jurisdictions")
    op.drop_table("registry_organisations")
    drop_kit_tables(op)
