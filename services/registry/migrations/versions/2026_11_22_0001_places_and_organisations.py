"""Kit tables, jurisdictions and organisations.

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


def _audit_columns() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
    ]


def upgrade() -> None:
    create_kit_tables(op)
    op.create_table(
        "jurisdictions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("predecessors", sa.JSON, nullable=False),
        sa.Column("successors", sa.JSON, nullable=False),
        *_audit_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_jurisdictions"),
        sa.UniqueConstraint("code", name="uq_jurisdictions_code"),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["jurisdictions.id"], name="fk_jurisdictions_parent_id_jurisdictions"
        ),
    )
    op.create_index("ix_jurisdictions_parent_id", "jurisdictions", ["parent_id"])
    op.create_index("ix_jurisdictions_level", "jurisdictions", ["level"])
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sector", sa.String(32), nullable=True),
        sa.Column("jurisdiction_id", sa.String(36), nullable=True),
        sa.Column("registration_numbers", sa.JSON, nullable=False),
        sa.Column("website", sa.String(2048), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("verification_state", sa.String(16), nullable=False),
        sa.Column("verification_reason", sa.Text, nullable=False),
        sa.Column("verification_time", UtcDateTime, nullable=True),
        *_audit_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.ForeignKeyConstraint(
            ["jurisdiction_id"],
            ["jurisdictions.id"],
            name="fk_organisations_jurisdiction_id_jurisdictions",
        ),
    )
    op.create_index("ix_organisations_jurisdiction_id", "organisations", ["jurisdiction_id"])
    op.create_index("ix_organisations_kind", "organisations", ["kind"])
    op.create_index("ix_organisations_verification_state", "organisations", ["verification_state"])


def downgrade() -> None:
    op.drop_table("organisations")
    op.drop_table("jurisdictions")
    drop_kit_tables(op)
