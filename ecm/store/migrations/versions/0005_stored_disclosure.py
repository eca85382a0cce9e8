"""Disclosure decisions stored with the figures, and the thresholds they were taken under.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing figures start undecided (NULL): reads fall back to deciding at request time
    # until ecm.disclosure.decisions.ensure_withholding has decided them.
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withheld", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("withheld_reason", sa.String(length=12), nullable=True))
    op.create_table(
        "disclosure_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("min_count", sa.Integer(), nullable=False),
        sa.Column("min_denominator", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("disclosure_state")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_column("withheld_reason")
        batch_op.drop_column("withheld")
