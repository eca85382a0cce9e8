"""Schools marked state-funded or not; similar-school pools say how many schools they leave out.

``school.state_funded`` is filled from the stored type with the rule of
``ecm.store.school_types`` (independent and non-maintained special schools are not
state-funded; an unknown type stays unknown). ``school_benchmark.left_out`` counts the schools of
a pool whose counts are not known. The stored pools are emptied, so that they are computed again
under the new rules (over state-funded schools with both counts known) the next time the store
starts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state_funded", sa.Boolean(), nullable=True))
    with op.batch_alter_table("school_benchmark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_out", sa.Integer(), nullable=True))
    # The rule of ecm.store.school_types.is_state_funded, in SQL (a migration does not import
    # the code it migrates for).
    op.execute(
        "UPDATE school SET state_funded = CASE"
        " WHEN school_type IS NULL OR TRIM(school_type) = '' THEN NULL"
        " WHEN UPPER(TRIM(school_type)) IN ('IND', 'INDSPEC', 'NMSS') THEN false"
        " WHEN LOWER(school_type) LIKE '%independent%' THEN false"
        " WHEN LOWER(school_type) LIKE '%non-maintained%' THEN false"
        " ELSE true END"
    )
    op.execute("DELETE FROM school_benchmark")


def downgrade() -> None:
    with op.batch_alter_table("school_benchmark", schema=None) as batch_op:
        batch_op.drop_column("left_out")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("state_funded")
    op.execute("DELETE FROM school_benchmark")
