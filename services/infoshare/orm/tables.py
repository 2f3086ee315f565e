"""Purposes, agreements and their versions, training attestations, shares (metadata, sealed
content, wrapped keys, deliveries) and the audit chain. No column ever holds share content or a
subject reference in clear."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from services.common.db import UtcDateTime
from services.common.versioned import version_columns
from services.infoshare.orm import METADATA

purposes = Table(
    "purposes",
    METADATA,
    Column("code", String(64), primary_key=True),
    Column("description", Text, nullable=False),
    Column("lawful_basis", String(32), nullable=False),
    # list of DataCategory values
    Column("categories", JSON, nullable=False),
    Column("retention_days", Integer, nullable=False),
    Column("consent_required", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
)

agreements = Table(
    "agreements",
    METADATA,
    Column("id", String(36), primary_key=True),
    # proposed | active | suspended | terminated
    Column("state", String(16), nullable=False),
    Column("version_in_force", Integer, nullable=False),
    Column("latest_version", Integer, nullable=False),
    Column("review_date", Date, nullable=True),
    Column("last_reviewed_by", String(255), nullable=False),
    Column("last_reviewed_at", UtcDateTime, nullable=True),
    Column("state_reason", Text, nullable=False),
    # The review date a review_due event was last emitted for (at most one per review date).
    Column("review_due_announced_for", Date, nullable=True),
    *version_columns(),
)

agreement_versions = Table(
    "agreement_versions",
    METADATA,
    Column("agreement_id", String(36), ForeignKey("agreements.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    # AgreementTerms.to_record(): title, parties, purposes, flows, validity, review interval
    Column("terms", JSON, nullable=False),
    # proposed | in_force | superseded
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("activated_at", UtcDateTime, nullable=True),
)

agreement_parties = Table(
    "agreement_parties",
    METADATA,
    Column("agreement_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("organisation_id", String(36), primary_key=True),
    # provider | recipient | provider_and_recipient
    Column("role", String(32), nullable=False),
    Column("signed_by", String(255), nullable=False),
    Column("signed_at", UtcDateTime, nullable=True),
    Index("ix_agreement_parties_org", "organisation_id", "agreement_id"),
)

training_attestations = Table(
    "training_attestations",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("user_sub", String(255), nullable=False),
    Column("username", String(255), nullable=False),
    Column("organisation_id", String(36), nullable=True),
    Column("course", String(200), nullable=False),
    Column("completed_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_training_user_completed", "user_sub", "completed_on"),
)

shares = Table(
    "shares",
    METADATA,
    Column("id", String(36), primary_key=True),
    Column("sender_org_id", String(36), nullable=False, index=True),
    Column("sender_sub", String(255), nullable=False),
    Column("purpose_code", String(64), nullable=False),
    Column("record_type", String(64), nullable=False),
    # active | revoked | erased
    Column("state", String(16), nullable=False),
    Column("content_version", Integer, nullable=False),
    # Keyed blind index of the subject reference, for subject access and erasure requests.
    Column("subject_index", String(64), nullable=False, index=True),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("state_reason", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# AES-GCM sealed JSON {"subject_reference": ..., "fields": {...}} per content version.
share_contents = Table(
    "share_contents",
    METADATA,
    Column("share_id", String(36), ForeignKey("shares.id"), primary_key=True),
    Column("content_version", Integer, primary_key=True),
    Column("nonce", LargeBinary, nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# The share's data key wrapped by the key-encryption key; deleting it crypto-shreds the share.
share_keys = Table(
    "share_keys",
    METADATA,
    Column("share_id", String(36), ForeignKey("shares.id"), primary_key=True),
    Column("kek_id", String(64), nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
)

deliveries = Table(
    "deliveries",
    METADATA,
    Column("share_id", String(36), ForeignKey("shares.id"), primary_key=True),
    Column("recipient_org_id", String(36), primary_key=True),
    # delivered | minimised | denied
    Column("outcome", String(16), nullable=False),
    Column("denial_reason", String(32), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("allowed_fields", JSON, nullable=False),
    Column("dropped_fields", JSON, nullable=False),
    Column("agreement_id", String(36), nullable=True),
    Column("agreement_version", Integer, nullable=True),
    # Keyed pseudonym of the subject under this delivery's agreement.
    Column("pseudonym", String(64), nullable=False),
    Column("acknowledged_version", Integer, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("acknowledged_by", String(255), nullable=False),
    Index("ix_deliveries_recipient", "recipient_org_id", "share_id"),
)

audit_chain = Table(
    "audit_chain",
    METADATA,
    Column("sequence", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("actor_sub", String(255), nullable=False),
    Column("actor_username", String(255), nullable=False),
    Column("actor_org_id", String(36), nullable=False),
    Column("token_id", String(255), nullable=False),
    Column("action", String(48), nullable=False),
    Column("resource", String(255), nullable=False, index=True),
    Column("purpose", String(64), nullable=False),
    Column("agreement_version", String(128), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# One row (id 1): the last sequence and hash, locked by each append so links never fork and a
# truncated tail is detected; seal is an HMAC of both under the chain key, so the head cannot be
# wound back to an earlier entry ("" only on the genesis row the migration writes).
audit_chain_head = Table(
    "audit_chain_head",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("sequence", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("seal", String(64), nullable=False),
)
