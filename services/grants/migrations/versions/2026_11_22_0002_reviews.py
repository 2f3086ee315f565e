"""Review panels (reviewers and their declared conflicts) and reviews with per-criterion scores.

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


def _reviewers() -> None:
    op.create_table(
        "reviewers",
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("registered_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("call_id", "user_id", name="pk_reviewers"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name="fk_reviewers_call_id_calls"),
    )
    op.create_table(
        "reviewer_conflicts",
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("declared_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint(
            "call_id", "user_id", "organisation_id", name="pk_reviewer_conflicts"
        ),
        sa.ForeignKeyConstraint(
            ["call_id", "user_id"],
            ["reviewers.call_id", "reviewers.user_id"],
            name="fk_reviewer_conflicts_call_id_reviewers",
        ),
    )


def _reviews() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("call_id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("reviewer_user_id", sa.String(255), nullable=False),
        sa.Column("reviewer_username", sa.String(255), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        # [{criterion_code, score, comment, moderated, original_score, moderation_reason,
        #   moderated_by}]
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("overall_comment", sa.Text, nullable=False),
        sa.Column("submit_time", UtcDateTime, nullable=True),
        sa.Column("recusal_reason", sa.Text, nullable=False),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.UniqueConstraint(
            "application_id", "reviewer_user_id", name="uq_reviews_application_id_reviewer_user_id"
        ),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name="fk_reviews_call_id_calls"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_reviews_application_id_applications"
        ),
        sa.ForeignKeyConstraint(
            ["call_id", "reviewer_user_id"],
            ["reviewers.call_id", "reviewers.user_id"],
            name="fk_reviews_call_id_reviewers",
        ),
    )
    op.create_index("ix_reviews_call_id", "reviews", ["call_id"])
    op.create_index("ix_reviews_reviewer_user_id", "reviews", ["reviewer_user_id"])


def upgrade() -> None:
    _reviewers()
    _reviews()


def downgrade() -> None:
    op.drop_table("reviews")
    op.drop_table("reviewer_conflicts")
    op.drop_table("reviewers")
