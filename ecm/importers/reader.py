"""Reading delimited text files the way the field publishes them, with line numbers.

DfE files come with or without a byte-order mark, with CRLF or LF line ends, and with ragged
rows (a new or closed school has only its first ~25 fields). Anything that is not a readable
comma-separated table is rejected here with the file, line and problem.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ecm.errors import DataError, DataProblem

#: Larger files are refused before reading (the largest DfE school file is about 60 MB).
MAX_BYTES = 500 * 2**20


@dataclass
class Table:
    """A file's header and its rows, each row with the line it starts on."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    raw: bytes
    path: str = ""  # where it was read from (its folder may name the year)

    def column(self, name: str) -> int | None:
        """The position of a column, matched without regard to case; None if absent."""
        wanted = name.lower()
        for index, column in enumerate(self.header):
            if column.lower() == wanted:
                return index
        return None


def read_table(path: Path) -> Table:
    """Read a comma-separated file; DataError for anything that is not one."""
    name = path.name
    if path.stat().st_size > MAX_BYTES:
        raise DataError([DataProblem(name, None, None, f"larger than {MAX_BYTES // 2**20} MB")])
    raw = path.read_bytes()
    table = parse_table(name, raw)
    table.path = str(path)
    return table


def parse_table(name: str, raw: bytes) -> Table:
    """Parse bytes as a CSV table (see :func:`read_table`)."""
    if not raw.strip():
        raise DataError([DataProblem(name, None, None, "the file is empty")])
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]:
        raise DataError(
            [
                DataProblem(
                    name,
                    None,
                    None,
                    "not UTF-8 text (it looks like UTF-16 or binary); save it as CSV UTF-8",
                )
            ]
        )
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise DataError(
            [
                DataProblem(
                    name,
                    line,
                    None,
                    f"not UTF-8 text (byte 0x{body[error.start]:02x}); save it as CSV UTF-8",
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else None
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else delimiter
    hint = f" (it seems to use {delimiter!r} between fields, not commas)" if delimiter else ""
    try:
        header = next(reader)
    except csv.Error as error:
        raise DataError([DataProblem(name, 1, None, f"not a CSV table ({error}){hint}")]) from None
    header = [h.strip() for h in header]
    if len(header) < 2:
        raise DataError([DataProblem(name, 1, None, f"only one column in the header{hint}")])
    rows: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            [DataProblem(name, line, None, f"the file is cut off or malformed here ({error})")]
        ) from None
    if not rows:
        raise DataError([DataProblem(name, 2, None, "the file has a header but no rows")])
    last_line, last = rows[-1]
    # Real files end without a line end and have ragged rows, so a short last row is cut off
    # only when no other row has its length.
    lengths = {len(fields) for _, fields in rows[:-1]} | {len(header)}
    if not text.endswith(("\n", "\r")) and len(last) not in lengths:
        raise DataError(
            [
                DataProblem(
                    name,
                    last_line,
                    None,
                    f"the last row is cut off: {len(last)} of {len(header)} fields and no line end",
                )
            ]
        )
    return Table(name, header, rows, raw)


def read_workbook(raw: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet as text cells, without openpyxl's warnings about Excel extensions it skips
    (data validation and the like, which do not affect the cells)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return pd.read_excel(io.BytesIO(raw), header=None, sheet_name=None, dtype=str)
