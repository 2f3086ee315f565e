"""Mandates with their history, national frameworks, comments, distributions, coordination bodies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.db import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _stamps(*, versioned: bool = True) -> list[sa.Column]:
    version = [sa.Column("version", sa.Integer, nullable=False)] if versioned else []
    return [
        *version,
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(255), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def _mandates() -> None:
    op.create_table(
        "mandates",
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        *_stamps(versioned=False),
        sa.PrimaryKeyConstraint("organisation_id", name="pk_mandates"),
        _fk("mandates", "organisation_id", "organisations"),
    )
    op.create_table(
        "mandate_versions",
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("source_reference", sa.Text, nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("specific_forms", sa.JSON, nullable=False),
        sa.Column("prevention_levels", sa.JSON, nullable=False),
        sa.Column("institutional_model", sa.String(32), nullable=False),
        sa.Column("lead_entity", sa.String(200), nullable=False),
        sa.Column("focal_point", sa.JSON, nullable=False),
        sa.Column("overseeing_body_id", sa.String(36), nullable=False),
        sa.Column("periodicity", sa.String(16), nullable=False),
        sa.Column("fiscal_start_month", sa.Integer, nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("change_note", sa.Text, nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.Column("recorded_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "version", name="pk_mandate_versions"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["mandates.organisation_id"],
            name="fk_mandate_versions_organisation_id_mandates",
        ),
        _fk("mandate_versions", "overseeing_body_id", "organisations"),
    )


def _frameworks() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issuing_organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("pillars", sa.JSON, nullable=False),
        sa.Column("indicators", sa.JSON, nullable=False),
        sa.Column("document_url", sa.String(2048), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("consultation_closes", sa.Date, nullable=True),
        sa.Column("adopted_at", UtcDateTime, nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_frameworks"),
        _fk("frameworks", "issuing_organisation_id", "organisations"),
        _fk("frameworks", "jurisdiction_id", "jurisdictions"),
    )
    op.create_index("ix_frameworks_state", "frameworks", ["state"])
    op.create_table(
        "framework_comments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("framework_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        sa.Column("anchor_code", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_sub", sa.String(255), nullable=False),
        sa.Column("author_username", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_framework_comments"),
        _fk("framework_comments", "framework_id", "frameworks"),
    )
    op.create_index("ix_framework_comments_framework_id", "framework_comments", ["framework_id"])
    op.create_table(
        "framework_distributions",
        sa.Column("framework_id", sa.String(36), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("organisation_display_name", sa.String(200), nullable=False),
        sa.Column("distributed_at", UtcDateTime, nullable=False),
        sa.Column("acknowledged_at", UtcDateTime, nullable=True),
        sa.Column("acknowledged_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint(
            "framework_id", "organisation_id", name="pk_framework_distributions"
        ),
        _fk("framework_distributions", "framework_id", "frameworks"),
        _fk("framework_distributions", "organisation_id", "organisations"),
    )


def _bodies() -> None:
    op.create_table(
        "coordination_bodies",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("owner_organisation_id", sa.String(36), nullable=False),
        sa.Column("jurisdiction_id", sa.String(36), nullable=False),
        sa.Column("mandate_items", sa.JSON, nullable=False),
        sa.Column("decision_making", sa.Text, nullable=False),
        sa.Column("communication", sa.Text, nullable=False),
        sa.Column("chairs", sa.JSON, nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("meeting_cadence", sa.String(16), nullable=False),
        sa.Column("established_on", sa.Date, nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_coordination_bodies"),
        _fk("coordination_bodies", "owner_organisation_id", "organisations"),
        _fk("coordination_bodies", "jurisdiction_id", "jurisdictions"),
    )
    op.create_index(
        "ix_coordination_bodies_owner_organisation_id",
        "coordination_bodies",
        ["owner_organisation_id"],
    )
    op.create_index(
        "ix_coordination_bodies_jurisdiction_id", "coordination_bodies", ["jurisdiction_id"]
    )
    op.create_index("ix_coordination_bodies_kind", "coordination_bodies", ["kind"])


def upgrade() -> None:
    _mandates()
    _frameworks()
    _bodies()


def downgrade() -> None:
    op.drop_table("coordination_bodies")
    op.drop_table("framework_distributions")
    op.drop_table("framework_comments")
    op.drop_table("frameworks")
    op.drop_table("mandate_versions")
    op.drop_table("mandates")
