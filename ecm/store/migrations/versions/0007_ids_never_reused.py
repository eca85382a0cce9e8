"""Plan and action ids are never handed out twice on SQLite.

An audit row names its record by id (``record_id``), so a removed action's id given to a new
action would hand the new one the old one's history, and could make an edit conflict name
the wrong change. SQLite reuses the highest rowid after a delete unless the table is declared
AUTOINCREMENT; PostgreSQL's sequences never reuse a value, so nothing changes there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("plan", "action")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Rebuilt by copying (batch mode); ecm.store.engine.upgrade_schema runs SQLite migrations with
    # foreign keys off, as SQLite requires for rebuilding a table that others refer to.
    _rebuild(autoincrement=True)
    # AUTOINCREMENT goes on from the highest id it finds; an action removed before this
    # upgrade may have had a higher one, still named by its audit rows (``'12'`` for the
    # action, ``'12/3'`` for its notes and targets): go on from the highest of them all.
    connection = op.get_bind()
    for table, audited in (("plan", ("plan",)), ("action", ("action", "action_target",
                                                            "action_note"))):  # fmt: skip
        ids = [connection.scalar(sa.text(f'SELECT MAX(id) FROM "{table}"')) or 0]
        names = ", ".join(f"'{name}'" for name in audited)
        for (record,) in connection.execute(
            sa.text(f"SELECT record_id FROM audit_log WHERE table_name IN ({names})")
        ):
            head = str(record).split("/", 1)[0]
            if head.isdigit():
                ids.append(int(head))
        connection.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
        connection.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"),
            {"t": table, "seq": max(ids)},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(autoincrement=False)


def _rebuild(autoincrement: bool) -> None:
    """Copy each table into one declared with (or without) AUTOINCREMENT."""
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
