"""Action plans, versions and review transitions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime
from services.common.versioned import version_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _action_plans() -> None:
    op.create_table(
        "action_plans",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner_org_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=False),
        sa.Column("reviewing_org_id", sa.String(36), nullable=True),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("approved_version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_action_plans"),
    )
    for column in ("owner_org_id", "jurisdiction_id", "reviewing_org_id", "state"):
        op.create_index(f"ix_action_plans_{column}", "action_plans", [column])


def _plan_versions() -> None:
    op.create_table(
        "plan_versions",
        sa.Column("plan_id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("submitted_at", UtcDateTime, nullable=True),
        sa.Column("approved_at", UtcDateTime, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "number", name="pk_plan_versions"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name="fk_plan_versions_plan_id_action_plans"
        ),
    )


def _plan_transitions() -> None:
    op.create_table(
        "plan_transitions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("plan_id", sa.String(36), nullable=False),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("from_state", sa.String(24), nullable=False),
        sa.Column("to_state", sa.String(24), nullable=False),
        sa.Column("actor_sub", sa.String(255), nullable=False),
        sa.Column("actor_username", sa.String(255), nullable=False),
        sa.Column("actor_org_id", sa.String(36), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        # [{"anchor_kind", "anchor_code", "text"}]
        sa.Column("comments", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_transitions"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name="fk_plan_transitions_plan_id_action_plans"
        ),
    )
    op.create_index("ix_plan_transitions_plan_id", "plan_transitions", ["plan_id"])


def upgrade() -> None:
    _action_plans()
    _plan_versions()
    _plan_transitions()


def downgrade() -> None:
    op.drop_table("plan_transitions")
    op.drop_table("plan_versions")
    op.drop_table("action_plans")
