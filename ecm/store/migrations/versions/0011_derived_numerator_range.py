"""The range of whole numerators a rounded percentage allows, where the numerator was derived.

``observation.numerator_low`` and ``numerator_high``: where an importer derived a figure's
numerator as percentage x size / 100 (DfE performance tables publish whole percents), the least
and greatest whole numerators that percentage allows; NULL where the numerator was published as
a count. Figures stored before this revision keep NULL (treated as exact) until their file is
imported again: the published percentage's rounding is not stored, so it cannot be recovered
here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("numerator_low", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("numerator_high", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_column("numerator_high")
        batch_op.drop_column("numerator_low")
