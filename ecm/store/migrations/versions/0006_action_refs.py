"""Each plan action keeps the ref its plan file gives it, so a re-imported file updates the
actions it names in place (their notes and history kept) instead of replacing them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=40), nullable=True))
    # Existing actions get the refs an export gave them until now: A1, A2, ... by their
    # priority's position, then as stored (actions without a priority last).
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT a.id, a.plan_id FROM action a LEFT JOIN priority p ON p.id = a.priority_id "
            "ORDER BY a.plan_id, CASE WHEN p.id IS NULL THEN 1 ELSE 0 END, p.position, p.id, a.id"
        )
    ).all()
    numbers: dict[int, int] = {}
    for action_id, plan_id in rows:
        numbers[plan_id] = numbers.get(plan_id, 0) + 1
        connection.execute(
            sa.text("UPDATE action SET ref = :ref WHERE id = :id"),
            {"ref": f"A{numbers[plan_id]}", "id": action_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_column("ref")
