"""Special schools take the phase "special" whatever phase a results file gave them.

The rule of ``ecm.store.school_types.is_special``: a school whose type is a special school's
(an ``NFTYPE`` code CYS, FDS, ACS, ACCS, FS, INDSPEC or NMSS, or a name with "special" in it)
is compared with special schools only, so its phase becomes "special". The stored
similar-school pools and quartiles are emptied, so that they are computed again (the next time
the store starts) without special schools among mainstream ones.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The rule in SQL (a migration does not import the code it migrates for).
    op.execute(
        "UPDATE school SET phase = 'special'"
        " WHERE (phase IS NULL OR phase <> 'special')"
        " AND (UPPER(TRIM(school_type)) IN ('CYS', 'FDS', 'ACS', 'ACCS', 'FS', 'INDSPEC', 'NMSS')"
        " OR LOWER(school_type) LIKE '%special%')"
    )
    op.execute("DELETE FROM school_benchmark")


def downgrade() -> None:
    # The phase a file gave a special school is not kept; it stays "special".
    pass
