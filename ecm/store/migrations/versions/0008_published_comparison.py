"""The publisher's own comparison with England, kept with each figure it came with.

Fingertips publishes, beside figures that come without counts or intervals, its test of each
against England (better, similar, worse, or higher and lower where neither is better). Kept,
it lets such figures be compared rather than read "not compared".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_vs_england", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_column("published_vs_england")
