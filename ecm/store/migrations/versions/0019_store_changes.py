"""Every change to the store's figures or plans leaves a row in store_change, so that each app
process can tell, with one cheap read, that another process changed the store since it cached
what it shows.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "store_change",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("store_change")
