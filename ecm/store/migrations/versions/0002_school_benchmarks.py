"""School benchmarks: similar-school totals and phase quartiles, derived after each load.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_benchmark",
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("phase", sa.String(length=30), nullable=False),
        sa.Column("fsm_band", sa.String(length=10), nullable=False),
        sa.Column("schools", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("q1", sa.Float(), nullable=True),
        sa.Column("median", sa.Float(), nullable=True),
        sa.Column("q3", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["pupil_group.code"],
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator.code"],
        ),
        sa.PrimaryKeyConstraint("indicator_code", "group_code", "period", "phase", "fsm_band"),
    )


def downgrade() -> None:
    op.drop_table("school_benchmark")
