"""Disclosure decisions are taken again: withheld places must not add up to a small number.

The sibling rule (``ecm.disclosure.rules``) now also withholds further places, smallest first,
while the places withheld under one total have pupils or denominators adding up to 1 to
``min_count - 1`` (the sum would confine each of them). Decisions stored under the old rule
are forgotten, so that reads decide at request time until the next load or ``python -m ecm
init`` takes them again under the new one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM disclosure_state")


def downgrade() -> None:
    # Forgetting decisions loses nothing: they are taken again under whichever rule runs.
    op.execute("DELETE FROM disclosure_state")
