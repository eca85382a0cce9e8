"""Schools' close dates and the register's links between a school and its predecessors and
successors.

GIAS names, for a school that closed and reopened (an academy conversion, an amalgamation),
the URN it became and, for the new school, the URN it was: ``school_link`` keeps those pairs
as the register states them, one row per school and linked URN. The linked URN is not a
foreign key: the register links schools outside the extract that was loaded.
``school.closed_on`` is the register's close date.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    op.create_table(
        "school_link",
        sa.Column("urn", sa.String(length=8), nullable=False),
        sa.Column("linked_urn", sa.String(length=8), nullable=False),
        sa.Column("link_type", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("urn", "linked_urn"),
    )
    op.create_index("ix_school_link_linked_urn", "school_link", ["linked_urn"])


def downgrade() -> None:
    op.drop_index("ix_school_link_linked_urn", table_name="school_link")
    op.drop_table("school_link")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("closed_on")
