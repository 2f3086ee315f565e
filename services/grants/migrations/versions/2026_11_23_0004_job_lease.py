"""The job_lease table: scheduled jobs run on one replica at a time.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

from services.common.leases import create_lease_table, drop_lease_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_lease_table(op)


def downgrade() -> None:
    drop_lease_table(op)
