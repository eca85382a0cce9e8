"""Whether each import's figures were published openly by their publisher.

A figure its publisher released openly (DfE performance tables, Fingertips, LAIT, DfE open
data) keeps the publisher's own suppression and is not withheld again by the dashboard's
threshold; figures not published openly (the fictional demo, which stands in for a partner's
unpublished data) are. Existing imports of real files were all published openly; the demo's
batches were not. The stored disclosure decisions are forgotten, so that they are taken again
under the new rule the next time the store starts or ``python -m ecm init`` runs.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute("UPDATE import_batch SET published = false WHERE format = 'demo'")
    op.execute("DELETE FROM disclosure_state")


def downgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("published")
    op.execute("DELETE FROM disclosure_state")
