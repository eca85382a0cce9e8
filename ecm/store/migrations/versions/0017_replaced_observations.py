"""Figures an import replaced, kept so that the import can be undone; "undone" batches; which
batches kept them (imports made before this revision did not, so cannot be undone).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "replaced_observation",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("replaced_by", BigId, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("batch_id", BigId, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("indicator_code", sa.String(40), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("area_code", sa.String(12), nullable=False),
        sa.Column("group_code", sa.String(40), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("numerator", sa.Float()),
        sa.Column("numerator_low", sa.Float()),
        sa.Column("numerator_high", sa.Float()),
        sa.Column("denominator", sa.Float()),
        sa.Column("lower_ci", sa.Float()),
        sa.Column("upper_ci", sa.Float()),
        sa.Column("marker", sa.String(12)),
        sa.Column("pupils", sa.Float()),
        sa.Column("published_vs_england", sa.String(12)),
    )
    op.create_index("ix_replaced_observation_replaced_by", "replaced_observation", ["replaced_by"])
    op.create_index("ix_replaced_observation_batch_id", "replaced_observation", ["batch_id"])
    with op.batch_alter_table("import_batch") as table:
        table.add_column(
            sa.Column("keeps_replaced", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batch") as table:
        table.drop_column("keeps_replaced")
    op.drop_index("ix_replaced_observation_batch_id", table_name="replaced_observation")
    op.drop_index("ix_replaced_observation_replaced_by", table_name="replaced_observation")
    op.drop_table("replaced_observation")
