"""Which short rows of a DfE performance table are published that way and which lost data.

DfE's school files are ragged. In the real KS2 and KS4 files (Hampshire 2016-17 to 2018-19)
every row shorter than its header is one of two kinds:

- **a school with no results**: the row stops at the end of the school's details, before the
  first results column, and its last field is the pupil count saying why: ``TOTPUPS`` reads
  ``NEW`` (the school opened this year: 23-26 fields) or, in KS2 files, ``TPUPYEAR`` (pupils
  aged 11) reads ``0`` (an all-through or infant-age school with no one at the end of KS2);
- **trailing columns left off**: the row stops after the last column the import reads (KS2
  2016-17 rows of 271-289 of 290 fields, KS4 rows of 405-495 of 416-496), so nothing read is
  missing.

Any other short row stops in the middle of the data: a row cut to 10 fields would otherwise
load as a school without results and silently drop its figures. Such a row is refused.
Tidy files (DfE open data, Fingertips) have no short rows at all, so any short row is refused.
"""

from __future__ import annotations

from ecm.errors import DataProblem
from ecm.importers.reader import Table

#: The last field of a school with no results: column -> the values that say so.
NO_RESULTS_ENDINGS = {"TOTPUPS": {"NEW"}, "TPUPYEAR": {"0"}}


def read_positions(table: Table, names: set[str]) -> list[int]:
    """Positions of the ``names`` columns the table has, in order."""
    return sorted({i for i in (table.column(n) for n in names) if i is not None})


def short_row_problem(
    table: Table, line: int, fields: list[str], positions: list[int]
) -> DataProblem | None:
    """The problem with a row that ends before columns the import reads, or None.

    ``positions``: :func:`read_positions` of the columns read (not empty). A row as long as its
    header, a row that ends after the last column read, and a school with no results (see the
    module) pass.
    """
    length = len(fields)
    if length >= len(table.header) or length > positions[-1]:
        return None
    ending = table.header[length - 1].upper() if length else ""
    says_why = NO_RESULTS_ENDINGS.get(ending, set())
    if length <= positions[0] and fields[-1].strip().upper() in says_why:
        return None
    return _cut(
        table,
        line,
        length,
        table.header[next(p for p in positions if p >= length)],
        "; only a school with no results may stop early, at TOTPUPS reading NEW or TPUPYEAR "
        "reading 0",
    )


def cut_row_problem(table: Table, line: int, fields: list[str]) -> DataProblem | None:
    """A row of a tidy file (DfE open data, Fingertips) shorter than its header, or None.

    Tidy files publish every field of every row (no real one has a short row), so a short row
    has lost data, whatever the columns it lacks.
    """
    length = len(fields)
    if length >= len(table.header):
        return None
    return _cut(table, line, length, table.header[length], "")


def _cut(table: Table, line: int, length: int, missing: str, rule: str) -> DataProblem:
    return DataProblem(
        table.name,
        line,
        missing,
        f"the row stops after {length} of {len(table.header)} fields"
        + (f" (at {table.header[length - 1]})" if length else "")
        + f", so {missing} and the columns after it are missing{rule}",
    )
