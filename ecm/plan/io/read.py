"""Reading a plan file: an .xlsx workbook or the one-file CSV, its headers matched to the
layout's columns and its records sorted by sheet, then every record checked
(:mod:`ecm.plan.io.checks`) into a :class:`~ecm.plan.io.layout.ParsedPlan`, or a
:class:`~ecm.errors.DataError` listing every problem in the order of the file."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from ecm.errors import DataError, DataProblem
from ecm.importers.reader import parse_table
from ecm.plan.io.cells import Checks, FileRow, as_text, match_key
from ecm.plan.io.checks import (
    check_actions,
    check_plan,
    check_schools,
    check_spend,
    check_targets,
)
from ecm.plan.io.layout import (
    ACTION_FIELDS,
    COLUMNS,
    CSV_COLUMNS,
    RECORDS,
    SHEETS,
    SPEND_FIELDS,
    TARGET_FIELDS,
    ParsedPlan,
    reference_lists,
)
from ecm.safe_text import restore_cell


def read_plan(
    source: str | Path | bytes,
    file_name: str | None = None,
    *,
    engine: Engine | None = None,
    la_code: str | None = None,
) -> ParsedPlan:
    """Read and check a plan workbook (.xlsx) or CSV file; :class:`DataError` with every
    problem found (sheet, row, column) when anything is wrong.

    ``file_name`` names the file in messages and picks the format (default: the path's name).
    With ``engine``, indicators, pupil groups and school URNs are checked against the store
    (URNs must be schools of ``la_code``, an ONS code); without, against the catalogue files,
    and URNs only for their form.
    """
    raw, name, suffix = _open(source, file_name)
    checks = Checks()
    rows = _workbook_rows(raw, name, checks) if suffix == ".xlsx" else _csv_rows(raw, name, checks)
    reference = reference_lists(engine)
    # A missing sheet is one problem, not also "no plan row" or one per unknown ref.
    plan = check_plan(checks, rows["Plan"], name) if "Plan" in rows else None
    actions, school_lists = check_actions(checks, rows.get("Actions", []), reference)
    if "Actions" not in rows:
        actions = [{"ref": r.cells.get("action_ref")} for s in ("Targets", "Spend")
                   for r in rows.get(s, [])]  # fmt: skip
    targets = check_targets(checks, rows.get("Targets", []), reference, actions)
    spend = check_spend(checks, rows.get("Spend", []), reference, actions)
    check_schools(checks, school_lists, engine, la_code)
    if checks.problems:
        # In the order of the file: file-wide problems, then sheet by sheet, row by row.
        order = {f"{name} sheet {sheet}": index for index, sheet in enumerate(SHEETS)}
        raise DataError(sorted(checks.problems, key=lambda p: (order.get(p.file, -1), p.line or 0)))
    schools = [
        {"ref": action["ref"], "urn": urn}
        for action, (_, urns) in zip(actions, school_lists, strict=True)
        for urn in urns
    ]
    return ParsedPlan(
        file_name=name,
        format=suffix.lstrip("."),
        checksum=hashlib.sha256(raw).hexdigest(),
        plan=plan or {},
        actions=_frame(actions, ACTION_FIELDS),
        schools=_frame(schools, ("ref", "urn")),
        targets=_frame(targets, TARGET_FIELDS),
        spend=_frame(spend, SPEND_FIELDS),
    )


def _open(source: str | Path | bytes, file_name: str | None) -> tuple[bytes, str, str]:
    """The file's bytes, its name for messages and its suffix (.xlsx or .csv); a
    :class:`DataError` for any other kind of file."""
    is_bytes = isinstance(source, bytes | bytearray)
    raw = bytes(source) if is_bytes else Path(source).read_bytes()
    name = file_name or ("plan" if is_bytes else Path(source).name)
    # Bytes with no file name: a workbook is a zip file (PK...), anything else is read as CSV.
    suffix = Path(name).suffix.lower() or (".xlsx" if raw[:2] == b"PK" else ".csv")
    if suffix not in (".xlsx", ".csv"):
        hint = " (save it as an Excel workbook, .xlsx)" if suffix in (".xls", ".ods") else ""
        raise _unreadable(name, f"not an .xlsx or .csv file{hint}")
    return raw, name, suffix


def _unreadable(name: str, message: str) -> DataError:
    """The error for a file that cannot be read at all."""
    return DataError([DataProblem(name, None, None, message)])


def _frame(records: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """Records as a frame of plain Python values (None for missing)."""
    return pd.DataFrame([[r.get(c) for c in columns] for r in records], columns=list(columns),
                        dtype=object)  # fmt: skip


def _header(
    checks: Checks, where: str, cells: list[object], known: list[str], required: list[str]
) -> dict[int, str] | None:
    """Map column positions to column names; None when a required column is missing."""
    mapping: dict[int, str] = {}
    header = FileRow(where, 1, {})
    for index, cell in enumerate(cells):
        text = as_text(cell)
        if text is None:
            continue
        name = match_key(text)
        if name not in known:
            checks.add(header, text, f"unknown column; the columns are {', '.join(known)}")
        elif name in mapping.values():
            checks.add(header, text, "the column appears twice")
        else:
            mapping[index] = name
    missing = [name for name in required if name not in mapping.values()]
    for name in missing:
        checks.add(header, name, "column missing from the header")
    return None if missing else mapping


def _workbook_rows(raw: bytes, name: str, checks: Checks) -> dict[str, list[FileRow]]:
    """Each data sheet's non-empty rows, numbered as the spreadsheet shows them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors alike
        raise _unreadable(name, f"not a readable .xlsx workbook ({type(error).__name__})") from None
    by_name = {sheet.title.strip().casefold(): sheet for sheet in book.worksheets}
    rows: dict[str, list[FileRow]] = {}  # only the sheets that can be read
    for sheet_name in SHEETS:
        sheet = by_name.get(sheet_name.casefold())
        if sheet is None:
            checks.add_to_file(name, f"no sheet {sheet_name}: a plan workbook has sheets Plan, "
                               "Actions, Targets and Spend (see the template)")  # fmt: skip
            continue
        records = _sheet_rows(checks, sheet, f"{name} sheet {sheet_name}", sheet_name)
        if records is not None:
            rows[sheet_name] = records
    return rows


def _sheet_rows(
    checks: Checks, sheet: Worksheet, where: str, sheet_name: str
) -> list[FileRow] | None:
    """One data sheet's non-empty rows; None when its header lacks a required column."""
    values = list(sheet.iter_rows(values_only=True))
    columns = COLUMNS[sheet_name]
    mapping = _header(
        checks,
        where,
        list(values[0]) if values else [],
        [c.name for c in columns],
        [c.name for c in columns if c.required],
    )
    if mapping is None:
        return None
    rows = []
    for line, cells in enumerate(values[1:], start=2):
        if all(as_text(cell) is None for cell in cells):
            continue
        # Text the product's export quoted against formulas reads back as it was stored.
        cells = [restore_cell(c) if isinstance(c, str) else c for c in cells]
        row = FileRow(where, line, {mapping[i]: v for i, v in enumerate(cells) if i in mapping})
        for index, cell in enumerate(cells):
            if index not in mapping and as_text(cell) is not None:
                checks.add(row, get_column_letter(index + 1), "a value under no heading")
        rows.append(row)
    return rows


def _csv_rows(raw: bytes, name: str, checks: Checks) -> dict[str, list[FileRow]]:
    """The CSV's records by the sheet they belong to, each with its line number."""
    table = parse_table(name, raw)
    mapping = _header(checks, name, list(table.header), list(CSV_COLUMNS), ["record"])
    if mapping is None:
        raise DataError(checks.problems)
    rows: dict[str, list[FileRow]] = {sheet: [] for sheet in SHEETS}
    record_index = next(i for i, column in mapping.items() if column == "record")
    for line, fields in table.rows:
        row = FileRow(name, line, {})
        if any(f.strip() for f in fields[len(table.header) :]):
            checks.add(row, None, "more fields than the header has columns")
        typed = fields[record_index].strip() if record_index < len(fields) else ""
        kind = match_key(typed).removesuffix("s")
        sheet = RECORDS.get(kind)
        if sheet is None:
            checks.add(row, "record", f"{typed!r} is not a record type; use plan, action, "
                       "target or spend")  # fmt: skip
            continue
        own = {c.name for c in COLUMNS[sheet]}
        for index, column in mapping.items():
            value = fields[index] if index < len(fields) else ""
            if column in own:
                row.cells[column] = restore_cell(value)
            elif column != "record" and value.strip():
                checks.add(row, column, f"not used on {kind} rows; leave it empty")
        rows[sheet].append(row)
    present = set(mapping.values())
    for record, sheet in RECORDS.items():
        missing = [c.name for c in COLUMNS[sheet] if c.required and c.name not in present]
        if missing and rows[sheet]:
            for column in missing:
                checks.add_to_file(name, f"column missing from the header ({record} rows need "
                                   "it)", 1, column)  # fmt: skip
            del rows[sheet]  # its rows would only repeat the missing column's problem
    return rows
