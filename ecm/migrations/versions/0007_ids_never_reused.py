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

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("plan", "action")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Rebuilt by copying (batch mode); ecm.store.upgrade_schema runs SQLite migrations with
    # foreign keys off, as SQLite requires for rebuilding a table that others refer to.
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
