"""The plan workbook as it is written: the four data sheets (styled headers, text and date
formats, drop-down lists from a hidden ``Lists`` sheet) and the ``Instructions`` sheet saying
what each column means, which values are allowed and how things are written. The empty
template and an exported plan are the same workbook, empty or filled."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ecm.plan.io.layout import (
    COLUMNS,
    CSV_COLUMNS,
    FORMATTED_ROWS,
    PLAN_STATUSES,
    SCOPES,
    SHEETS,
    Column,
    Reference,
    reference_lists,
    target_groups,
)
from ecm.safe_text import neutralise_cell
from ecm.store.models import ACTION_STATUSES

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADING_FONT = Font(bold=True, size=12)
_WRAP = Alignment(wrap_text=True, vertical="top")
#: Columns whose drop-down refuses other values (the others only warn).
_STRICT_LISTS = ("status", "scope", "outcome")

_INTRODUCTION = (
    "Fill in the sheets Plan (one row), Actions, Targets and Spend: row 1 of each is the "
    "header (keep the column names; their order does not matter), then one record per row.",
    "The data sheets start empty on purpose: the examples are on this sheet, so none can "
    "be imported by mistake.",
    "Import with: python -m ecm plan import FILE --la CODE (the LA's ONS code or number).",
    "The whole file is checked first. If anything is wrong nothing is loaded, and every "
    "problem is listed with its sheet, row and column.",
    "Importing loads the file over the LA's plan for the same period. An action whose ref "
    "the plan already has (export the plan to see them) is updated in place and keeps its "
    "progress notes and history; a new ref adds an action; an action the file leaves out is "
    "removed with its notes. The audit log records who loaded which file, and the plan as "
    "it was.",
)
_RULES = (
    "Dates: real Excel dates, or text written yyyy-mm-dd (2008-04-01).",
    "Financial years: April to March, written YYYY-YY with consecutive years (2008-09).",
    "Periods of indicators: 2007/08 (academic), 2007-08 (financial) or 2008 (calendar), "
    "as the indicator publishes them.",
    "Gaps are signed: positive means the focus group is worse off than its comparator, "
    "whichever way the indicator runs; a target gap nearer 0 than the baseline narrows it.",
    "A target on a focus group uses baseline_gap and target_gap; a target on group all "
    "uses baseline_value and target_value. Give both of the pair, or neither.",
    "Example of a value target: indicator ni_56 (obesity in Year 6), group all, "
    "baseline_value 19.2, target_value 17.3 (lower is better for this indicator).",
    "Lists within a cell (contributing partners, school URNs) are separated by ';'.",
    "Amounts are pounds, 0 or more, at most 2 decimal places; one line per action, "
    "partner and financial year.",
    "Codes may be typed with spaces for underscores (on track = on_track).",
)


def plan_template() -> bytes:
    """An empty plan workbook: the four data sheets with styled headers, drop-down lists for
    the fixed values, and an ``Instructions`` sheet saying what each column means, which values
    are allowed, and how gaps, financial years and dates are written (with a worked example)."""
    return plan_workbook(reference_lists(), None)


def plan_workbook(reference: Reference, content: dict[str, list[dict]] | None) -> bytes:
    """The plan workbook, empty or holding ``content`` (rows per sheet, by column name)."""
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    _write_instructions(instructions, reference)
    lists = _write_lists(book.create_sheet("Lists"), reference)
    for sheet in SHEETS:
        _write_sheet(book.create_sheet(sheet), sheet, (content or {}).get(sheet, []), lists)
    book.active = 1 + SHEETS.index("Plan")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Worksheet, name: str, rows: list[dict], lists: dict[str, str]) -> None:
    """A data sheet: header, formats and widths, drop-downs, then ``rows``."""
    columns = COLUMNS[name]
    sheet.append([c.name for c in columns])
    _style_header(sheet)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = _number_format(column)
        if column.name in lists:
            values = lists["plan_status" if name == "Plan" else column.name]
            sheet.add_data_validation(_drop_down(column.name, values, letter))
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([neutralise_cell(row.get(c.name)) for c in columns])
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = _number_format(column)
            if column.kind == "long":
                cell.alignment = _WRAP


def _style_header(sheet: Worksheet) -> None:
    """The sheet's last row, styled as a header."""
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL


def _drop_down(column: str, values: str, letter: str) -> DataValidation:
    """A drop-down list of ``values`` (a range of the Lists sheet) for the column's data rows."""
    check = DataValidation(
        type="list",
        formula1=values,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if column in _STRICT_LISTS else "warning",
        errorTitle=f"Not a known {column.replace('_', ' ')}",
        error="Choose from the list; the Instructions sheet lists every allowed value.",
    )
    check.add(f"{letter}2:{letter}{FORMATTED_ROWS}")
    return check


def _number_format(column: Column) -> str:
    """Dates as yyyy-mm-dd; everything but numbers as text, so that Excel cannot turn a
    financial year (2008-09) or a period (2007/08) into a date as it is typed."""
    return {"date": "yyyy-mm-dd", "number": "General"}.get(column.kind, "@")


def _write_lists(sheet: Worksheet, reference: Reference) -> dict[str, str]:
    """A hidden sheet of allowed values; returns the drop-down range for each column name."""
    values = {
        "outcome": list(reference.outcomes),
        "status": list(ACTION_STATUSES),
        "scope": list(SCOPES),
        "lead_partner": list(reference.partners),
        "group": target_groups(reference),
        "indicator": list(reference.indicators),
        "plan_status": list(PLAN_STATUSES),
    }
    ranges = {}
    for index, (name, items) in enumerate(values.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, item in enumerate(items, start=2):
            sheet.cell(row=row, column=index, value=neutralise_cell(item))
        ranges[name] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    ranges["partner"] = ranges["lead_partner"]
    sheet.sheet_state = "hidden"
    return ranges


def _write_instructions(sheet: Worksheet, reference: Reference) -> None:
    """What the workbook is for, what each column means, the allowed values and the rules."""
    for letter, width in zip("ABCD", (26, 30, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width

    def paragraph(text: str) -> None:
        sheet.append([text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.cell(row=row, column=1).alignment = _WRAP
        sheet.row_dimensions[row].height = 15 * (1 + len(text) // 150)

    def heading(text: str) -> None:
        sheet.append([])
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = _HEADING_FONT

    def table(header: list[str], rows: Iterable[Sequence]) -> None:
        sheet.append(header)
        _style_header(sheet)
        for row in rows:
            sheet.append([neutralise_cell(value) for value in row])
            for cell in sheet[sheet.max_row]:
                cell.alignment = _WRAP
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"

    sheet.append(["Children and Young People's Plan: import workbook"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in _INTRODUCTION:
        paragraph(line)
    heading("Rules")
    for line in _RULES:
        paragraph(line)
    for name in SHEETS:
        heading(f"Sheet {name}")
        table(
            ["column", "example", "required", "meaning"],
            [[c.name, c.example, "yes" if c.required else "", c.meaning] for c in COLUMNS[name]],
        )
    heading("Outcomes (outcome)")
    table(["code", "title"], reference.outcomes.items())
    heading("Statuses and scopes")
    table(
        ["column", "allowed values"],
        [
            ["Plan status", ", ".join(PLAN_STATUSES)],
            ["Actions status", ", ".join(ACTION_STATUSES)],
            ["Actions scope", ", ".join(SCOPES)],
        ],
    )
    heading("Children's Trust partners (lead_partner, contributing_partners, partner)")
    table(["name", "sector"], reference.partners.items())
    heading("Pupil groups for targets (group)")
    table(
        ["code", "title", "compared with"],
        [
            [code, reference.groups[code][0], reference.groups[code][1] or ""]
            for code in target_groups(reference)
        ],
    )
    heading("Indicators (indicator)")
    table(["code", "title"], reference.indicators.items())
    heading("The same plan as one CSV file")
    paragraph(
        "One row per record, with a record column (plan, action, target or spend) and then "
        "these columns, each record filling its own sheet's columns and leaving the others "
        "empty: " + ", ".join(CSV_COLUMNS[1:]) + "."
    )
