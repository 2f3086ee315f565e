"""Awards with their funder shares and tranches (each tranche split across funders).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime
from services.common.versioned import version_columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _awards() -> None:
    op.create_table(
        "awards",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("grantee_org_id", sa.String(36), nullable=False),
        sa.Column("currency_code", sa.String(3), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("withhold_grantee_name", sa.Boolean, nullable=False),
        sa.Column("reporting_duty", sa.JSON, nullable=False),
        sa.Column("award_time", UtcDateTime, nullable=False),
        sa.Column("sign_time", UtcDateTime, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_awards"),
        sa.UniqueConstraint("application_id", name="uq_awards_application_id"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name="fk_awards_call_id_calls"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_awards_application_id_applications"
        ),
    )
    op.create_index("ix_awards_call_id", "awards", ["call_id"])
    op.create_index("ix_awards_grantee_org_id", "awards", ["grantee_org_id"])


def _shares() -> None:
    op.create_table(
        "award_funder_shares",
        sa.Column("award_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("funder_org_id", sa.String(36), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("award_id", "funder_org_id", name="pk_award_funder_shares"),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name="fk_award_funder_shares_award_id_awards"
        ),
        sa.CheckConstraint("amount >= 0", name="ck_award_funder_shares_amount_not_negative"),
    )
    op.create_index("ix_award_funder_shares_call_id", "award_funder_shares", ["call_id"])


def _tranches() -> None:
    op.create_table(
        "award_tranches",
        sa.Column("award_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("triggered_at", UtcDateTime, nullable=True),
        sa.Column("release_time", UtcDateTime, nullable=True),
        sa.Column("hold_reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("award_id", "code", name="pk_award_tranches"),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name="fk_award_tranches_award_id_awards"
        ),
    )
    op.create_index("ix_award_tranches_call_id", "award_tranches", ["call_id"])
    op.create_table(
        "award_tranche_shares",
        sa.Column("award_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("funder_org_id", sa.String(36), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint(
            "award_id", "code", "funder_org_id", name="pk_award_tranche_shares"
        ),
        sa.ForeignKeyConstraint(
            ["award_id", "code"],
            ["award_tranches.award_id", "award_tranches.code"],
            name="fk_award_tranche_shares_award_id_award_tranches",
        ),
        sa.CheckConstraint("amount >= 0", name="ck_award_tranche_shares_amount_not_negative"),
    )


def upgrade() -> None:
    _awards()
    _shares()
    _tranches()


def downgrade() -> None:
    op.drop_table("award_tranche_shares")
    op.drop_table("award_tranches")
    op.drop_table("award_funder_shares")
    op.drop_table("awards")
