"""Kit tables and one sample table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from services.common.kit_tables import create_kit_tables, drop_kit_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables(op)
    op.create_table(
        "sample_item",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sample_item")
    drop_kit_tables(op)
