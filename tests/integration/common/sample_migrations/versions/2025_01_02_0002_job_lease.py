"""The job_lease table.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from services.common.leases import create_lease_table, drop_lease_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_lease_table(op)


def downgrade() -> None:
    drop_lease_table(op)
