"""Kit tables, purposes, agreements, training, shares and the audit chain with its head.

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

GENESIS_HASH = "0" * 64


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def _purposes_and_agreements() -> None:
    op.create_table(
        "purposes",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("lawful_basis", sa.String(32), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("retention_days", sa.Integer, nullable=False),
        sa.Column("consent_required", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_purposes"),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version_in_force", sa.Integer, nullable=False),
        sa.Column("latest_version", sa.Integer, nullable=False),
        sa.Column("review_date", sa.Date, nullable=True),
        sa.Column("last_reviewed_by", sa.String(255), nullable=False),
        sa.Column("last_reviewed_at", UtcDateTime, nullable=True),
        sa.Column("state_reason", sa.Text, nullable=False),
        sa.Column("review_due_announced_for", sa.Date, nullable=True),
        *version_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_agreements"),
    )
    op.create_table(
        "agreement_versions",
        sa.Column("agreement_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("activated_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint("agreement_id", "version", name="pk_agreement_versions"),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name="fk_agreement_versions_agreement_id_agreements",
        ),
    )
    op.create_table(
        "agreement_parties",
        sa.Column("agreement_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("signed_by", sa.String(255), nullable=False),
        sa.Column("signed_at", UtcDateTime, nullable=True),
        sa.PrimaryKeyConstraint(
            "agreement_id", "version", "organisation_id", name="pk_agreement_parties"
        ),
    )
    op.create_index(
        "ix_agreement_parties_org", "agreement_parties", ["organisation_id", "agreement_id"]
    )


def _training() -> None:
    op.create_table(
        "training_attestations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_sub", sa.String(255), nullable=False),
        sa.Column("username", sa.String(255), nullable=False),
        sa.Column("organisation_id", sa.String(36), nullable=True),
        sa.Column("course", sa.String(200), nullable=False),
        sa.Column("completed_on", sa.Date, nullable=False),
        sa.Column("recorded_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_training_attestations"),
    )
    op.create_index(
        "ix_training_user_completed", "training_attestations", ["user_sub", "completed_on"]
    )


def _shares() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sender_org_id", sa.String(36), nullable=False),
        sa.Column("sender_sub", sa.String(255), nullable=False),
        sa.Column("purpose_code", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("content_version", sa.Integer, nullable=False),
        sa.Column("subject_index", sa.String(64), nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("state_reason", sa.Text, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shares"),
    )
    for column in ("sender_org_id", "subject_index", "expires_at"):
        op.create_index(f"ix_shares_{column}", "shares", [column])
    op.create_table(
        "share_contents",
        sa.Column("share_id", sa.String(36), nullable=False),
        sa.Column("content_version", sa.Integer, nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("share_id", "content_version", name="pk_share_contents"),
        _fk("share_contents", "share_id", "shares"),
    )
    op.create_table(
        "share_keys",
        sa.Column("share_id", sa.String(36), nullable=False),
        sa.Column("kek_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("share_id", name="pk_share_keys"),
        _fk("share_keys", "share_id", "shares"),
    )
    op.create_table(
        "deliveries",
        sa.Column("share_id", sa.String(36), nullable=False),
        sa.Column("recipient_org_id", sa.String(36), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("denial_reason", sa.String(32), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("allowed_fields", sa.JSON, nullable=False),
        sa.Column("dropped_fields", sa.JSON, nullable=False),
        sa.Column("agreement_id", sa.String(36), nullable=True),
        sa.Column("agreement_version", sa.Integer, nullable=True),
        sa.Column("pseudonym", sa.String(64), nullable=False),
        sa.Column("acknowledged_version", sa.Integer, nullable=False),
        sa.Column("acknowledged_at", UtcDateTime, nullable=True),
        sa.Column("acknowledged_by", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("share_id", "recipient_org_id", name="pk_deliveries"),
        _fk("deliveries", "share_id", "shares"),
    )
    op.create_index("ix_deliveries_recipient", "deliveries", ["recipient_org_id", "share_id"])


def _audit_chain() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("sequence", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("occurred_at", UtcDateTime, nullable=False),
        sa.Column("actor_sub", sa.String(255), nullable=False),
        sa.Column("actor_username", sa.String(255), nullable=False),
        sa.Column("actor_org_id", sa.String(36), nullable=False),
        sa.Column("token_id", sa.String(255), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("resource", sa.String(255), nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
        sa.Column("agreement_version", sa.String(128), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name="pk_audit_chain"),
    )
    op.create_index("ix_audit_chain_resource", "audit_chain", ["resource"])
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("seal", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_chain_head"),
    )
    # The genesis head is unsealed (the migration has no key); the first append seals the head.
    op.bulk_insert(head, [{"id": 1, "sequence": 0, "hash": GENESIS_HASH, "seal": ""}])


def upgrade() -> None:
    create_kit_tables(op)
    _purposes_and_agreements()
    _training()
    _shares()
    _audit_chain()


def downgrade() -> None:
    for table in (
        "audit_chain_head",
        "audit_chain",
        "deliveries",
        "share_keys",
        "share_contents",
        "shares",
        "training_attestations",
        "agreement_parties",
        "agreement_versions",
        "agreements",
        "purposes",
    ):
        op.drop_table(table)
    drop_kit_tables(op)
