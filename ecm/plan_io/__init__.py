"""Children and Young People's Plans in and out: an Excel workbook or one CSV file, checked as
strictly as the data importers (every problem listed with its sheet, row and column) and loaded
all or nothing.

The workbook (:func:`plan_template` gives an empty one with an ``Instructions`` sheet) has four
sheets, each with its header in row 1 and one record per row below it:

- ``Plan``: one row: title, period (``2008-2011``), start_date, end_date, status (draft, agreed).
- ``Actions``: ref (the author's own short label, e.g. ``A1``), priority, outcome, title,
  description, lead_partner, contributing_partners (``;``-separated), status, start_date,
  due_date, scope (whole_area, locality, schools), scope_detail, schools (URNs, ``;``-separated).
- ``Targets``: action_ref, indicator, group, baseline_period, baseline_gap, target_gap,
  baseline_value, target_value, target_period.
- ``Spend``: action_ref, partner, financial_year (``2008-09``), amount (pounds).

The CSV form is one file holding the same records, one per line: a ``record`` column (plan,
action, target, spend) and the union of the sheets' columns (:data:`CSV_COLUMNS`)::

    record, ref, action_ref, title, period, start_date, end_date, status, priority, outcome,
    description, lead_partner, contributing_partners, due_date, scope, scope_detail, schools,
    indicator, group, baseline_period, baseline_gap, target_gap, baseline_value, target_value,
    target_period, partner, financial_year, amount

Each record fills its own sheet's columns and leaves the others empty (a value in another
kind's column is an error). Dates are ``yyyy-mm-dd``. Files are written as UTF-8 with a
byte-order mark so that spreadsheets open them as such.

Importing replaces the LA's plan for the same period: its priorities, actions, targets, spend,
school lists and progress notes go, the plan row itself is kept (so its history stays in one
place), and one audit-log row (table ``plan``, change ``import``) records who loaded which file
(name and SHA-256) over what. Export writes the layout the importer reads, so a plan round-trips.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update

from ecm import queries
from ecm.catalogue import load_catalogue
from ecm.config import DATA_DIR
from ecm.errors import DataError, DataProblem
from ecm.importers.reader import parse_table
from ecm.models import (
    ACTION_STATUSES,
    Action,
    ActionNote,
    ActionSchool,
    ActionSpend,
    ActionTarget,
    AuditLog,
    Indicator,
    Plan,
    Priority,
    PupilGroup,
    School,
)
from ecm.profile import period_start

PARTNERS_FILE = DATA_DIR / "partners.csv"
PLAN_STATUSES = ("draft", "agreed")
SCOPES = ("whole_area", "locality", "schools")
SHEETS = ("Plan", "Actions", "Targets", "Spend")
#: The CSV ``record`` value of each sheet's rows.
RECORDS = {"plan": "Plan", "action": "Actions", "target": "Targets", "spend": "Spend"}
#: Rows of the workbook's data sheets that get drop-down lists and text formats.
FORMATTED_ROWS = 500
MAX_AMOUNT = 9_999_999_999.99  # action_spend.amount is NUMERIC(12, 2)


@dataclass(frozen=True)
class Column:
    """A column of a plan sheet: its header, whether it must be filled, and what it means."""

    name: str
    required: bool
    meaning: str
    width: int = 14
    kind: str = "text"  # text (kept as typed), date, number, long (wrapped text)
    example: object = None


COLUMNS: dict[str, tuple[Column, ...]] = {
    "Plan": (
        Column("title", True, "The plan's title.", 50, "long",
               "Northshire Children and Young People's Plan 2008-2011"),
        Column("period", True, "The years the plan runs, first and last, as YYYY-YYYY. "
               "Importing replaces the LA's plan with the same period.", 12, example="2008-2011"),
        Column("start_date", True, "The day the plan starts.", 12, "date", dt.date(2008, 4, 1)),
        Column("end_date", True, "The day the plan ends (not before it starts).", 12, "date",
               dt.date(2011, 3, 31)),
        Column("status", True, "draft or agreed.", 10, example="agreed"),
    ),
    "Actions": (
        Column("ref", True, "Your own short label for the action, unique in the file (A1, A2, "
               "...); Targets and Spend name the action by it. Not stored.", 8, example="A1"),
        Column("priority", False, "The priority the action serves, in your words; actions with "
               "the same outcome and priority share it.", 40, "long",
               "Raise attainment and narrow the gap for disadvantaged pupils"),
        Column("outcome", True, "The Every Child Matters outcome (code or title).", 20,
               example="enjoy_achieve"),
        Column("title", True, "What is being done, in a few words.", 40, "long",
               "Every Child a Reader"),
        Column("description", False, "What is done, for whom, where.", 50, "long",
               "Reading Recovery teachers give daily one-to-one lessons to the lowest-attaining "
               "Year 1 readers."),
        Column("lead_partner", True, "The partner accountable for the action.", 24,
               example="LA children's services"),
        Column("contributing_partners", False, "Other partners taking part, separated by ';'.",
               30, example="Schools;Voluntary and community sector"),
        Column("status", True, "Where the action stands.", 12, example="on_track"),
        Column("start_date", False, "The day work starts.", 12, "date", dt.date(2008, 9, 1)),
        Column("due_date", False, "The day it is due (not before it starts).", 12, "date",
               dt.date(2011, 3, 31)),
        Column("scope", False, "whole_area (the default when empty), locality, or schools.", 12,
               example="schools"),
        Column("scope_detail", False, "Which locality or group of schools, in words.", 24,
               example="Primary schools in the North locality"),
        Column("schools", False, "For scope schools: the schools' URNs, separated by ';'. They "
               "must be schools of this LA held in the store.", 24, example="100001;100002"),
    ),
    "Targets": (
        Column("action_ref", True, "The ref of the action on the Actions sheet.", 10,
               example="A1"),
        Column("indicator", True, "The indicator's code (list below).", 14, example="ni_102a"),
        Column("group", True, "all, or a focus group whose gap the action narrows (list "
               "below).", 14, example="disadvantaged"),
        Column("baseline_period", False, "The period of the baseline, in the indicator's own "
               "style: 2007/08, 2007-08 or 2008.", 12, example="2007/08"),
        Column("baseline_gap", False, "Focus groups: the gap at the baseline, in the "
               "indicator's unit, signed so that positive means the focus group is worse off "
               "(24.5: disadvantaged pupils are 24.5 points behind the others).",
               12, "number", 24.5),
        Column("target_gap", False, "Focus groups: the gap aimed for by the target period "
               "(same sign rule).", 12, "number", 18.0),
        Column("baseline_value", False, "Group all: the LA's value at the baseline.", 12,
               "number"),
        Column("target_value", False, "Group all: the value aimed for.", 12, "number"),
        Column("target_period", False, "The period the target is for (after the baseline).",
               12, example="2010/11"),
    ),
    "Spend": (
        Column("action_ref", True, "The ref of the action on the Actions sheet.", 10,
               example="A1"),
        Column("partner", True, "The partner spending.", 24, example="LA children's services"),
        Column("financial_year", True, "April to March, written YYYY-YY (2008-09).", 12,
               example="2008-09"),
        Column("amount", True, "Pounds spent or committed that year (0 or more, at most 2 "
               "decimal places); one line per action, partner and year.", 12, "number", 120000),
    ),
}  # fmt: skip
#: The CSV header: ``record``, the refs, then the sheets' other columns, each name once (a plan
#: row's title and status share the columns of an action's).
CSV_COLUMNS: tuple[str, ...] = (
    "record", "ref", "action_ref", "title", "period", "start_date", "end_date", "status",
    "priority", "outcome", "description", "lead_partner", "contributing_partners", "due_date",
    "scope", "scope_detail", "schools", "indicator", "group", "baseline_period", "baseline_gap",
    "target_gap", "baseline_value", "target_value", "target_period", "partner", "financial_year",
    "amount",
)  # fmt: skip

ACTION_FIELDS = (
    "ref", "priority", "outcome_code", "title", "description", "lead_partner",
    "contributing_partners", "status", "start_date", "due_date", "scope", "scope_detail",
)  # fmt: skip
TARGET_FIELDS = (
    "ref", "indicator_code", "group_code", "baseline_period", "baseline_gap", "target_gap",
    "baseline_value", "target_value", "target_period",
)  # fmt: skip
SPEND_FIELDS = ("ref", "partner", "financial_year", "amount")


@dataclass
class ParsedPlan:
    """A checked plan file: the plan's fields and its records as plain frames, in file order.

    ``plan`` has title, period_label, start_date, end_date, status; ``actions`` has
    :data:`ACTION_FIELDS`; ``schools`` has ref, urn; ``targets`` :data:`TARGET_FIELDS` (``ref``
    is the action's); ``spend`` :data:`SPEND_FIELDS`. Codes are canonical (``on_track``, the
    partner list's spelling), dates are :class:`datetime.date`, missing values None.
    """

    file_name: str
    format: str  # xlsx or csv
    checksum: str  # SHA-256 of the file's bytes
    plan: dict
    actions: pd.DataFrame
    schools: pd.DataFrame
    targets: pd.DataFrame
    spend: pd.DataFrame


@dataclass(frozen=True)
class PlanImportSummary:
    """What an import loaded, and whether it replaced an earlier plan for the period."""

    la_code: str
    la_name: str
    plan_id: int
    title: str
    period_label: str
    replaced: bool
    priorities: int
    actions: int
    targets: int
    spend_lines: int
    total_spend: float
    schools: int
    file_name: str
    checksum: str

    def describe(self) -> str:
        """One line for people: what was loaded for whom."""
        replaced = f"; replaced the earlier {self.period_label} plan" if self.replaced else ""
        return (
            f"plan {self.period_label} for {self.la_name} ({self.la_code}) imported from "
            f"{self.file_name}: {self.actions} actions, {self.targets} targets, "
            f"{self.spend_lines} spend lines, total spend £{self.total_spend:,.2f}{replaced}"
        )


class NoPlan(LookupError):
    """Raised when an LA has no plan to export."""


# --- reference lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    """The values a plan file may use: from the store when there is one, else ``data/``."""

    outcomes: dict[str, str]  # code -> title
    partners: dict[str, str]  # name -> sector
    indicators: dict[str, str]  # code -> title
    groups: dict[str, tuple[str, str | None]]  # code -> (title, comparator)


def _reference(engine: Engine | None = None) -> _Reference:
    """The allowed outcomes, partners, indicators and pupil groups."""
    catalogue = load_catalogue()
    with PARTNERS_FILE.open(encoding="utf-8-sig") as handle:
        partners = {row["name"].strip(): row["sector"].strip() for row in csv.DictReader(handle)}
    if engine is None:
        indicators = {row["code"]: row["title"] for row in catalogue.indicators}
        groups = {r["code"]: (r["title"], r["comparator"] or None) for r in catalogue.groups}
    else:
        with engine.connect() as connection:
            indicators = dict(connection.execute(select(Indicator.code, Indicator.title)).all())
            groups = {
                code: (title, comparator)
                for code, title, comparator in connection.execute(
                    select(PupilGroup.code, PupilGroup.title, PupilGroup.comparator_code)
                )
            }
    return _Reference(catalogue.outcome_titles, partners, indicators, groups)


def _target_groups(reference: _Reference) -> list[str]:
    """Groups a target may name: ``all`` and the focus groups (those with a comparator)."""
    return [
        code for code, (_, comparator) in reference.groups.items() if code == "all" or comparator
    ]


# --- template and instructions -----------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADING_FONT = Font(bold=True, size=12)
_WRAP = Alignment(wrap_text=True, vertical="top")


def plan_template() -> bytes:
    """An empty plan workbook: the four data sheets with styled headers, drop-down lists for
    the fixed values, and an ``Instructions`` sheet saying what each column means, which values
    are allowed, and how gaps, financial years and dates are written (with a worked example)."""
    return _workbook(_reference(), None)


def _workbook(reference: _Reference, content: dict[str, list[dict]] | None) -> bytes:
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
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = _number_format(column)
        if column.name in lists:
            strict = column.name in ("status", "scope", "outcome")
            check = DataValidation(
                type="list",
                formula1=lists[column.name if name != "Plan" else "plan_status"],
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if strict else "warning",
                errorTitle=f"Not a known {column.name.replace('_', ' ')}",
                error="Choose from the list; the Instructions sheet lists every allowed value.",
            )
            check.add(f"{letter}2:{letter}{FORMATTED_ROWS}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([row.get(c.name) for c in columns])
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
                cell.data_type = "s"
            cell.number_format = _number_format(column)
            if column.kind == "long":
                cell.alignment = _WRAP


def _number_format(column: Column) -> str:
    """Dates as yyyy-mm-dd; everything but numbers as text, so that Excel cannot turn a
    financial year (2008-09) or a period (2007/08) into a date as it is typed."""
    return {"date": "yyyy-mm-dd", "number": "General"}.get(column.kind, "@")


def _write_lists(sheet: Worksheet, reference: _Reference) -> dict[str, str]:
    """A hidden sheet of allowed values; returns the drop-down range for each column name."""
    values = {
        "outcome": list(reference.outcomes),
        "status": list(ACTION_STATUSES),
        "scope": list(SCOPES),
        "lead_partner": list(reference.partners),
        "group": _target_groups(reference),
        "indicator": list(reference.indicators),
        "plan_status": list(PLAN_STATUSES),
    }
    ranges = {}
    for index, (name, items) in enumerate(values.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, item in enumerate(items, start=2):
            sheet.cell(row=row, column=index, value=item)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    ranges["partner"] = ranges["lead_partner"]
    sheet.sheet_state = "hidden"
    return ranges


def _write_instructions(sheet: Worksheet, reference: _Reference) -> None:
    """What the workbook is for, what each column means, the allowed values and the rules."""
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 12
    sheet.column_dimensions["D"].width = 90

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

    def table(header: list[str], rows: list[list]) -> None:
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.alignment = _WRAP
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"

    sheet.append(["Children and Young People's Plan: import workbook"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        "Fill in the sheets Plan (one row), Actions, Targets and Spend: row 1 of each is the "
        "header (keep the column names; their order does not matter), then one record per row.",
        "The data sheets start empty on purpose: the examples are on this sheet, so none can "
        "be imported by mistake.",
        "Import with: python -m ecm plan import FILE --la CODE (the LA's ONS code or number).",
        "The whole file is checked first. If anything is wrong nothing is loaded, and every "
        "problem is listed with its sheet, row and column.",
        "Importing replaces the LA's plan for the same period: its actions, targets, spend, "
        "school lists and progress notes. The audit log records who loaded which file.",
    ):
        paragraph(line)
    heading("Rules")
    for line in (
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
    ):
        paragraph(line)
    for name in SHEETS:
        heading(f"Sheet {name}")
        table(
            ["column", "example", "required", "meaning"],
            [[c.name, c.example, "yes" if c.required else "", c.meaning] for c in COLUMNS[name]],
        )
    heading("Outcomes (outcome)")
    table(["code", "title"], [[code, title] for code, title in reference.outcomes.items()])
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
    table(["name", "sector"], [[name, sector] for name, sector in reference.partners.items()])
    heading("Pupil groups for targets (group)")
    table(
        ["code", "title", "compared with"],
        [
            [code, reference.groups[code][0], reference.groups[code][1] or ""]
            for code in _target_groups(reference)
        ],
    )
    heading("Indicators (indicator)")
    table(["code", "title"], [[code, title] for code, title in reference.indicators.items()])
    heading("The same plan as one CSV file")
    paragraph(
        "One row per record, with a record column (plan, action, target or spend) and then "
        "these columns, each record filling its own sheet's columns and leaving the others "
        "empty: " + ", ".join(CSV_COLUMNS[1:]) + "."
    )


# --- reading ------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One record as typed: where it is (file, or file and sheet), its row, and its cells."""

    where: str
    line: int
    cells: dict[str, object]


class _Checks:
    """Every problem found so far, and the cell readers that find them."""

    def __init__(self) -> None:
        self.problems: list[DataProblem] = []

    def add(self, row: _Row, column: str | None, message: str) -> None:
        self.problems.append(DataProblem(row.where, row.line, column, message))

    def text(self, row: _Row, column: str, required: bool = False, limit: int = 0) -> str | None:
        """A cell as text (numbers without a trailing .0); None when empty."""
        text = _as_text(row.cells.get(column))
        if text is None:
            if required:
                self.add(row, column, "required, but empty")
            return None
        if limit and len(text) > limit:
            self.add(row, column, f"{len(text)} characters long; at most {limit}")
        return text

    def choice(
        self, row: _Row, column: str, allowed: dict[str, str], what: str, required: bool = False
    ) -> str | None:
        """A code from ``allowed`` (normalised key -> canonical value), matched loosely."""
        text = self.text(row, column, required)
        if text is None:
            return None
        value = allowed.get(_key(text))
        if value is None:
            self.add(row, column, f"{text!r} is not {what}")
        return value

    def date(self, row: _Row, column: str, required: bool = False) -> dt.date | None:
        """A real spreadsheet date, or text written yyyy-mm-dd."""
        value = row.cells.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = self.text(row, column, required)
        if text is None:
            return None
        if isinstance(value, int | float):
            self.add(row, column, f"{text} is a number: format the cell as a date or type "
                     "the date as yyyy-mm-dd")  # fmt: skip
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.add(row, column, f"write dates as yyyy-mm-dd, e.g. 2008-04-01 (found {text!r})")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.add(row, column, f"{text} is not a date of the calendar")
            return None

    def number(self, row: _Row, column: str, required: bool = False) -> float | None:
        """A finite number; text may carry a £ sign and thousands commas."""
        value = row.cells.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            text = self.text(row, column, required)
            if text is None:
                return None
            try:
                number = float(text.replace("£", "").replace(",", "").replace(" ", ""))
            except ValueError:
                self.add(row, column, f"{text!r} is not a number")
                return None
        if not math.isfinite(number):
            self.add(row, column, "not a finite number")
            return None
        return number

    def period(self, row: _Row, column: str) -> str | None:
        """An indicator period: 2007/08, 2007-08 or 2008."""
        value = row.cells.get(column)
        if isinstance(value, dt.date):
            self.add(row, column, f"the spreadsheet has turned this period into a date "
                     f"({value:%d %b %Y}); format the column as Text and type it again, "
                     "e.g. 2007/08")  # fmt: skip
            return None
        text = self.text(row, column, limit=20)
        if text is not None and not re.fullmatch(r"\d{4}([/-]\d{2})?", text):
            self.add(row, column, f"write a period as 2007/08, 2007-08 or 2008 (found {text!r})")
            return None
        return text

    def financial_year(self, row: _Row, column: str) -> str | None:
        """A financial year YYYY-YY; a spreadsheet's date made of one (Sep 2008) is read back."""
        value = row.cells.get(column)
        if isinstance(value, dt.date) and value.month == (value.year + 1) % 100:
            return f"{value.year}-{value.month:02d}"
        text = self.text(row, column, required=True)
        if text is None:
            return None
        match = re.fullmatch(r"(\d{4})[-/](\d{2})", text)
        if not match or int(match[2]) != (int(match[1]) + 1) % 100:
            self.add(row, column, "write a financial year as YYYY-YY with consecutive years, "
                     f"e.g. 2008-09 (found {text!r})")  # fmt: skip
            return None
        return f"{match[1]}-{match[2]}"


def _as_text(value: object) -> str | None:
    """A cell's value as stripped text; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _key(text: str) -> str:
    """A loose match key: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def _allowed(values: dict[str, str] | list[str] | tuple[str, ...]) -> dict[str, str]:
    """Match keys for codes (and, for a dict, their titles too) to the canonical code."""
    if isinstance(values, dict):
        return {**{_key(t): c for c, t in values.items()}, **{_key(c): c for c in values}}
    return {_key(v): v for v in values}


def _listed(values: list[str] | tuple[str, ...], most: int = 5) -> str:
    """A few values for a message, saying how many there are in all."""
    shown = ", ".join(values[:most])
    return shown if len(values) <= most else f"{shown}, ... ({len(values)} in all)"


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
    raw = bytes(source) if isinstance(source, bytes | bytearray) else Path(source).read_bytes()
    name = file_name or (Path(source).name if not isinstance(source, bytes | bytearray) else "plan")
    # Bytes with no file name: a workbook is a zip file (PK...), anything else is read as CSV.
    suffix = Path(name).suffix.lower() or (".xlsx" if raw[:2] == b"PK" else ".csv")
    if suffix not in (".xlsx", ".csv"):
        hint = " (save it as an Excel workbook, .xlsx)" if suffix in (".xls", ".ods") else ""
        raise DataError([DataProblem(name, None, None, f"not an .xlsx or .csv file{hint}")])
    checks = _Checks()
    rows = _workbook_rows(raw, name, checks) if suffix == ".xlsx" else _csv_rows(raw, name, checks)
    reference = _reference(engine)
    # A missing sheet is one problem, not also "no plan row" or one per unknown ref.
    plan = _check_plan(checks, rows["Plan"], name) if "Plan" in rows else None
    actions, school_lists = _check_actions(checks, rows.get("Actions", []), reference)
    if "Actions" not in rows:
        actions = [{"ref": r.cells.get("action_ref")} for s in ("Targets", "Spend")
                   for r in rows.get(s, [])]  # fmt: skip
    targets = _check_targets(checks, rows.get("Targets", []), reference, actions)
    spend = _check_spend(checks, rows.get("Spend", []), reference, actions)
    _check_schools(checks, school_lists, engine, la_code)
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


def _frame(records: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    """Records as a frame of plain Python values (None for missing)."""
    return pd.DataFrame([[r.get(c) for c in columns] for r in records], columns=list(columns),
                        dtype=object)  # fmt: skip


def _header(
    checks: _Checks, where: str, cells: list[object], known: list[str], required: list[str]
) -> dict[int, str] | None:
    """Map column positions to column names; None when a required column is missing."""
    mapping: dict[int, str] = {}
    header = _Row(where, 1, {})
    for index, cell in enumerate(cells):
        text = _as_text(cell)
        if text is None:
            continue
        name = _key(text)
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


def _workbook_rows(raw: bytes, name: str, checks: _Checks) -> dict[str, list[_Row]]:
    """Each data sheet's non-empty rows, numbered as the spreadsheet shows them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and key errors alike
        raise DataError(
            [
                DataProblem(
                    name, None, None, f"not a readable .xlsx workbook ({type(error).__name__})"
                )
            ]
        ) from None
    by_name = {sheet.title.strip().casefold(): sheet for sheet in book.worksheets}
    rows: dict[str, list[_Row]] = {}  # only the sheets that can be read
    for sheet_name in SHEETS:
        sheet = by_name.get(sheet_name.casefold())
        if sheet is None:
            checks.problems.append(
                DataProblem(name, None, None, f"no sheet {sheet_name}: a plan workbook has "
                            "sheets Plan, Actions, Targets and Spend (see the template)")
            )  # fmt: skip
            continue
        where = f"{name} sheet {sheet_name}"
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
            continue
        rows[sheet_name] = []
        for line, cells in enumerate(values[1:], start=2):
            if all(_as_text(cell) is None for cell in cells):
                continue
            row = _Row(where, line, {mapping[i]: v for i, v in enumerate(cells) if i in mapping})
            for index, cell in enumerate(cells):
                if index not in mapping and _as_text(cell) is not None:
                    checks.add(row, get_column_letter(index + 1), "a value under no heading")
            rows[sheet_name].append(row)
    return rows


def _csv_rows(raw: bytes, name: str, checks: _Checks) -> dict[str, list[_Row]]:
    """The CSV's records by the sheet they belong to, each with its line number."""
    table = parse_table(name, raw)
    mapping = _header(checks, name, list(table.header), list(CSV_COLUMNS), ["record"])
    if mapping is None:
        raise DataError(checks.problems)
    rows: dict[str, list[_Row]] = {sheet: [] for sheet in SHEETS}
    record_index = next(i for i, column in mapping.items() if column == "record")
    for line, fields in table.rows:
        row = _Row(name, line, {})
        if any(f.strip() for f in fields[len(table.header) :]):
            checks.add(row, None, "more fields than the header has columns")
        typed = fields[record_index].strip() if record_index < len(fields) else ""
        kind = _key(typed)
        sheet = RECORDS.get(kind.removesuffix("s"))
        if sheet is None:
            checks.add(row, "record", f"{typed!r} is not a record type; use plan, action, "
                       "target or spend")  # fmt: skip
            continue
        own = {c.name for c in COLUMNS[sheet]}
        for index, column in mapping.items():
            value = fields[index] if index < len(fields) else ""
            if column in own:
                row.cells[column] = _csv_unquoted(value)
            elif column != "record" and value.strip():
                checks.add(row, column, f"not used on {kind.removesuffix('s')} rows; leave "
                           "it empty")  # fmt: skip
        rows[sheet].append(row)
    present = set(mapping.values())
    for sheet, records in list(rows.items()):
        missing = [c.name for c in COLUMNS[sheet] if c.required and c.name not in present]
        for column in missing if records else []:
            record = next(k for k, v in RECORDS.items() if v == sheet)
            checks.problems.append(
                DataProblem(name, 1, column, f"column missing from the header ({record} "
                            "rows need it)")
            )  # fmt: skip
        if missing and records:
            del rows[sheet]  # its rows would only repeat the missing column's problem
    return rows


def _check_plan(checks: _Checks, rows: list[_Row], name: str) -> dict | None:
    """The plan's one row."""
    if not rows:
        checks.problems.append(
            DataProblem(name, None, None, "no plan row: give the plan's title, period, start "
                        "and end dates and status (sheet Plan, row 2)")
        )  # fmt: skip
        return None
    for extra in rows[1:]:
        checks.add(extra, None, f"a second plan row (the first is on line {rows[0].line}); "
                   "a file holds one plan")  # fmt: skip
    row = rows[0]
    plan = {
        "title": checks.text(row, "title", required=True, limit=200),
        "period_label": checks.text(row, "period", required=True, limit=20),
        "start_date": checks.date(row, "start_date", required=True),
        "end_date": checks.date(row, "end_date", required=True),
        "status": checks.choice(
            row, "status", _allowed(PLAN_STATUSES), "draft or agreed", required=True
        ),
    }
    period = plan["period_label"]
    if period and not (
        (match := re.fullmatch(r"(\d{4})-(\d{4})", period)) and int(match[2]) > int(match[1])
    ):
        checks.add(row, "period", f"write the period as its first and last years, e.g. "
                   f"2008-2011 (found {period!r})")  # fmt: skip
    if plan["start_date"] and plan["end_date"] and plan["end_date"] < plan["start_date"]:
        checks.add(row, "end_date", "the plan ends before it starts")
    return plan


def _partners(
    checks: _Checks, row: _Row, column: str, reference: _Reference, many: bool = False
) -> list[str]:
    """Partners named in a cell (``;``-separated when ``many``), in the partner list's spelling."""
    text = checks.text(row, column, required=not many)
    if text is None:
        return []
    allowed = _allowed(list(reference.partners))
    names = [part.strip() for part in text.split(";")] if many else [text]
    found: list[str] = []
    for part in filter(None, names):
        partner = allowed.get(_key(part))
        if partner is None:
            checks.add(row, column, f"{part!r} is not a Children's Trust partner; use a name "
                       f"from the list, e.g. {_listed(list(reference.partners), 4)}")  # fmt: skip
        elif partner not in found:
            found.append(partner)
    return found


def _check_actions(
    checks: _Checks, rows: list[_Row], reference: _Reference
) -> tuple[list[dict], list[tuple[_Row, list[str]]]]:
    """The actions, and each one's row with its school URNs."""
    actions, school_lists, seen = [], [], {}
    outcomes = _allowed(reference.outcomes)
    for row in rows:
        ref = checks.text(row, "ref", required=True, limit=40)
        if ref is not None and ref in seen:
            checks.add(row, "ref", f"ref {ref} is used again (first on line {seen[ref]})")
        elif ref is not None:
            seen[ref] = row.line
        lead = _partners(checks, row, "lead_partner", reference)
        contributing = _partners(checks, row, "contributing_partners", reference, many=True)
        action = {
            "ref": ref,
            "priority": checks.text(row, "priority", limit=300),
            "outcome_code": checks.choice(
                row, "outcome", outcomes,
                f"an outcome; use one of {', '.join(reference.outcomes)}", required=True,
            ),
            "title": checks.text(row, "title", required=True, limit=300),
            "description": checks.text(row, "description"),
            "lead_partner": lead[0] if lead else None,
            "contributing_partners": ";".join(contributing) or None,
            "status": checks.choice(
                row, "status", _allowed(ACTION_STATUSES),
                f"an action status; use one of {', '.join(ACTION_STATUSES)}", required=True,
            ),
            "start_date": checks.date(row, "start_date"),
            "due_date": checks.date(row, "due_date"),
            "scope": checks.choice(
                row, "scope", _allowed(SCOPES), f"a scope; use one of {', '.join(SCOPES)}"
            ) or "whole_area",
            "scope_detail": checks.text(row, "scope_detail", limit=200),
        }  # fmt: skip
        if (
            action["start_date"]
            and action["due_date"]
            and action["due_date"] < action["start_date"]
        ):
            checks.add(row, "due_date", "due before it starts")
        urns = _urns(checks, row)
        if urns and action["scope"] != "schools" and _as_text(row.cells.get("scope")):
            checks.add(row, "schools", f"schools are listed but the scope is {action['scope']}; "
                       "set the scope to schools or clear the list")  # fmt: skip
        elif urns and action["scope"] == "whole_area":
            action["scope"] = "schools"  # a list of schools with no scope given means those
        actions.append(action)
        school_lists.append((row, urns))
    return actions, school_lists


def _urns(checks: _Checks, row: _Row) -> list[str]:
    """The URNs of a ``schools`` cell, in order, each once."""
    text = checks.text(row, "schools")
    urns: list[str] = []
    for part in re.split(r"[;,\s]+", text or ""):
        if not part:
            continue
        if not re.fullmatch(r"\d{5,8}", part):
            checks.add(row, "schools", f"{part!r} is not a URN (a school's 6-digit number)")
        elif part not in urns:
            urns.append(part)
    return urns


def _check_schools(
    checks: _Checks,
    school_lists: list[tuple[_Row, list[str]]],
    engine: Engine | None,
    la_code: str | None,
) -> None:
    """Every listed school is in the store and, when the LA is known, one of the LA's."""
    wanted = sorted({urn for _, urns in school_lists for urn in urns})
    if engine is None or not wanted:
        return
    with engine.connect() as connection:
        held = dict(
            connection.execute(
                select(School.urn, School.la_code).where(School.urn.in_(wanted))
            ).all()
        )
    for row, urns in school_lists:
        for urn in urns:
            if urn not in held:
                checks.add(row, "schools", f"no school with URN {urn} in the store")
            elif la_code and held[urn] != la_code:
                checks.add(row, "schools", f"school {urn} belongs to another LA ({held[urn]})")


def _known_ref(checks: _Checks, row: _Row, actions: list[dict]) -> str | None:
    """The action a target or spend line names by ref."""
    ref = checks.text(row, "action_ref", required=True)
    if ref is not None and ref not in {a["ref"] for a in actions}:
        checks.add(row, "action_ref", f"no action has ref {ref} (refs are set on the Actions "
                   "sheet or action rows)")  # fmt: skip
    return ref


def _check_targets(
    checks: _Checks, rows: list[_Row], reference: _Reference, actions: list[dict]
) -> list[dict]:
    """The targets: known indicator and group, and the pair of numbers the group calls for."""
    groups = _target_groups(reference)
    targets = []
    for row in rows:
        indicator = checks.text(row, "indicator", required=True)
        if indicator is not None and indicator not in reference.indicators:
            found = {_key(code): code for code in reference.indicators}.get(_key(indicator))
            if found is None:
                checks.add(row, "indicator", f"no indicator with code {indicator!r} (the "
                           "template's Instructions sheet lists them)")  # fmt: skip
            indicator = found
        group = checks.text(row, "group", required=True)
        if group is not None:
            code = _allowed(groups).get(_key(group))
            if code is None:
                comparator_of = [c for c, (_, comp) in reference.groups.items() if comp == group]
                why = (
                    f"{group} is the comparator of {comparator_of[0]}: a target names the focus "
                    "group whose gap it narrows, or all"
                    if comparator_of
                    else f"{group!r} is not a pupil group"
                )
                checks.add(row, "group", f"{why}; use one of {_listed(groups, 8)}")
            group = code
        target = {
            "ref": _known_ref(checks, row, actions),
            "indicator_code": indicator,
            "group_code": group,
            "baseline_period": checks.period(row, "baseline_period"),
            "target_period": checks.period(row, "target_period"),
            **{name: checks.number(row, name) for name in TARGET_FIELDS[4:8]},
        }
        if group is not None:
            used, unused = ("value", "gap") if group == "all" else ("gap", "value")
            for name in (f"baseline_{unused}", f"target_{unused}"):
                if _as_text(row.cells.get(name)) is not None:
                    whom = "all pupils" if group == "all" else "a focus group"
                    checks.add(row, name, f"a target for {whom} is a {used}: use "
                               f"baseline_{used} and target_{used}")  # fmt: skip
            given = [
                _as_text(row.cells.get(f"{end}_{used}")) is not None
                for end in ("baseline", "target")
            ]
            if given == [True, False]:
                checks.add(row, f"target_{used}", f"a baseline {used} needs a target {used}")
            elif given == [False, True]:
                checks.add(row, f"baseline_{used}", f"a target {used} needs a baseline {used}")
        start, end = target["baseline_period"], target["target_period"]
        if start and end and period_start(end) <= period_start(start):
            checks.add(row, "target_period", f"{end} is not after the baseline period {start}")
        targets.append(target)
    return targets


def _check_spend(
    checks: _Checks, rows: list[_Row], reference: _Reference, actions: list[dict]
) -> list[dict]:
    """Spend lines: known action and partner, a financial year, a non-negative amount in
    pounds and pence, one line per action, partner and year."""
    lines, seen = [], {}
    for row in rows:
        ref = _known_ref(checks, row, actions)
        partners = _partners(checks, row, "partner", reference)
        year = checks.financial_year(row, "financial_year")
        amount = checks.number(row, "amount", required=True)
        if amount is not None and amount < 0:
            checks.add(row, "amount", f"{amount:,.2f} is negative; amounts are 0 or more")
        elif amount is not None and amount > MAX_AMOUNT:
            checks.add(row, "amount", f"{amount:,.2f} is more than the store holds")
        elif amount is not None and round(amount, 2) != amount:
            checks.add(row, "amount", f"{amount!r} has more than 2 decimal places")
        partner = partners[0] if partners else None
        key = (ref, partner, year)
        if None not in key and key in seen:
            checks.add(row, None, f"a second line for {ref}, {partner}, {year} (first on line "
                       f"{seen[key]}): put the year's total on one line")  # fmt: skip
        elif None not in key:
            seen[key] = row.line
        lines.append({"ref": ref, "partner": partner, "financial_year": year, "amount": amount})
    return lines


# --- import ---------------------------------------------------------------------------------------


def import_plan(
    engine: Engine,
    source: str | Path | bytes,
    la_code: str,
    user: str,
    file_name: str | None = None,
) -> PlanImportSummary:
    """Check a plan file and load it for an LA (ONS code or number), all or nothing.

    A rejected file (:class:`DataError`, every problem listed) changes nothing. A good one
    replaces the LA's plan with the same period label in one transaction: the plan row is
    updated in place and its priorities, actions, targets, spend, school lists and progress
    notes are replaced by the file's. Priorities are made from the distinct (outcome, priority)
    pairs of the actions, numbered in the order they first appear. One audit-log row (table
    ``plan``, change ``import``) names the user and holds a summary of the plan replaced (or
    null) and of the plan loaded, with the file's name and SHA-256 checksum. Raises
    :class:`ecm.queries.UnknownArea` for an LA the store does not hold.
    """
    la = queries.resolve_area(engine, "la", la_code)
    parsed = read_plan(source, file_name, engine=engine, la_code=la["code"])
    now = dt.datetime.now(dt.UTC)
    replaced = _replaced_record(engine, la["code"], parsed.plan["period_label"])
    with engine.begin() as connection:
        plan_id = connection.scalar(
            select(Plan.id).where(
                Plan.la_code == la["code"], Plan.period_label == parsed.plan["period_label"]
            )
        )
        before = _plan_summary(connection, plan_id) if plan_id is not None else None
        if before is not None and replaced is not None:
            # The whole plan replaced, with its progress notes, so the record keeps it all.
            before["replaced"] = replaced
        old_actions = list(connection.scalars(select(Action.id).where(Action.plan_id == plan_id)))
        old_priorities = list(
            connection.scalars(select(Priority.id).where(Priority.plan_id == plan_id))
        )
        if plan_id is None:
            plan_id = connection.execute(
                insert(Plan).values(la_code=la["code"], **parsed.plan).returning(Plan.id)
            ).scalar_one()
        else:
            connection.execute(update(Plan).where(Plan.id == plan_id).values(**parsed.plan))
        # The new records go in before the old ones go, so no new action takes the id (and
        # with it the audit history) of one that is being removed.
        _insert_records(connection, int(plan_id), parsed, user, now)
        _delete_records(connection, old_actions, old_priorities)
        after = _plan_summary(connection, plan_id)
        after.update(file_name=parsed.file_name, format=parsed.format, checksum=parsed.checksum)
        connection.execute(
            insert(AuditLog).values(
                changed_at=now,
                user_name=user,
                table_name="plan",
                record_id=str(plan_id),
                change="import",
                before=json.dumps(before, default=str) if before is not None else None,
                after=json.dumps(after),
            )
        )
    return PlanImportSummary(
        la_code=la["code"],
        la_name=la["name"],
        plan_id=int(plan_id),
        title=parsed.plan["title"],
        period_label=parsed.plan["period_label"],
        replaced=before is not None,
        priorities=after["priorities"],
        actions=after["actions"],
        targets=after["targets"],
        spend_lines=after["spend_lines"],
        total_spend=after["total_spend"],
        schools=after["schools"],
        file_name=parsed.file_name,
        checksum=parsed.checksum,
    )


def _replaced_record(engine: Engine, la_code: str, period_label: str) -> dict | None:
    """The LA's plan for ``period_label`` as it stands (its rows as the file layout writes
    them, and every progress note with its action's title), or None when there is none."""
    try:
        rows = plan_rows(engine, la_code, period_label)
    except NoPlan:
        return None
    with engine.connect() as connection:
        notes = connection.execute(
            select(Action.title, ActionNote.written_at, ActionNote.author, ActionNote.note)
            .join(Action, Action.id == ActionNote.action_id)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.la_code == la_code, Plan.period_label == period_label)
            .order_by(ActionNote.id)
        ).all()
    return {
        "rows": rows,
        "notes": [
            {"action": n.title, "written_at": str(n.written_at), "author": n.author,
             "note": n.note}
            for n in notes
        ],
    }  # fmt: skip


def _insert_records(
    connection: Connection, plan_id: int, parsed: ParsedPlan, user: str, now: dt.datetime
) -> None:
    """The file's priorities, actions, school lists, targets and spend under ``plan_id``."""
    priorities: dict[tuple[str, str], int] = {}
    rows = []
    for action in parsed.actions.to_dict("records"):
        key = (action["outcome_code"], action["priority"])
        if action["priority"] and key not in priorities:
            priorities[key] = connection.execute(
                insert(Priority)
                .values(plan_id=plan_id, outcome_code=key[0], title=key[1],
                        position=len(priorities) + 1)
                .returning(Priority.id)
            ).scalar_one()  # fmt: skip
        fields = {k: v for k, v in action.items() if k not in ("ref", "priority")}
        rows.append(
            {
                **fields,
                "plan_id": plan_id,
                "priority_id": priorities.get(key),
                "version": 1,
                "updated_at": now,
                "updated_by": user,
            }
        )
    if not rows:
        return
    ids = connection.execute(
        insert(Action).returning(Action.id, sort_by_parameter_order=True), rows
    ).scalars()
    action_ids = dict(zip(parsed.actions["ref"], ids, strict=True))
    for model, frame in (
        (ActionSchool, parsed.schools),
        (ActionTarget, parsed.targets),
        (ActionSpend, parsed.spend),
    ):
        records = [{"action_id": action_ids[r.pop("ref")], **r} for r in frame.to_dict("records")]
        if records:
            connection.execute(insert(model), records)


def _delete_records(connection: Connection, actions: list[int], priorities: list[int]) -> None:
    """Remove a replaced plan's actions (with everything hanging off them) and priorities."""
    if actions:
        for model in (ActionNote, ActionTarget, ActionSpend, ActionSchool):
            connection.execute(delete(model).where(model.action_id.in_(actions)))
        connection.execute(delete(Action).where(Action.id.in_(actions)))
    if priorities:
        connection.execute(delete(Priority).where(Priority.id.in_(priorities)))


def _plan_summary(connection: Connection, plan_id: int) -> dict:
    """A plan in a few numbers, for the audit log: what it was, how big, how much spend."""
    plan = connection.execute(select(Plan).where(Plan.id == plan_id)).one()
    actions = select(Action.id).where(Action.plan_id == plan_id)

    def count(model: type, *where: object) -> int:
        return int(connection.scalar(select(func.count()).select_from(model).where(*where)))

    total = connection.scalar(
        select(func.coalesce(func.sum(ActionSpend.amount), 0)).where(
            ActionSpend.action_id.in_(actions)
        )
    )
    return {
        "plan_id": int(plan_id),
        "title": plan.title,
        "period": plan.period_label,
        "status": plan.status,
        "start_date": plan.start_date.isoformat(),
        "end_date": plan.end_date.isoformat(),
        "priorities": count(Priority, Priority.plan_id == plan_id),
        "actions": count(Action, Action.plan_id == plan_id),
        "targets": count(ActionTarget, ActionTarget.action_id.in_(actions)),
        "spend_lines": count(ActionSpend, ActionSpend.action_id.in_(actions)),
        "total_spend": float(total),
        "schools": count(ActionSchool, ActionSchool.action_id.in_(actions)),
        "notes": count(ActionNote, ActionNote.action_id.in_(actions)),
    }


# --- export ---------------------------------------------------------------------------------------


def plan_rows(engine: Engine, la_code: str, period_label: str | None = None) -> dict[str, list]:
    """An LA's plan as the rows of each sheet (by column name), in the importer's layout.

    The plan is the one with ``period_label``, else the LA's latest (by start date). Actions
    are ordered by their priority's position, then as stored, and given refs A1, A2, ...;
    school URNs are sorted. Raises :class:`NoPlan` when there is none, and
    :class:`ecm.queries.UnknownArea` for an unknown LA.
    """
    la = queries.resolve_area(engine, "la", la_code)
    statement = select(Plan).where(Plan.la_code == la["code"])
    if period_label:
        statement = statement.where(Plan.period_label == period_label)
    with engine.connect() as connection:
        plan = connection.execute(
            statement.order_by(Plan.start_date.desc(), Plan.id.desc()).limit(1)
        ).first()
        if plan is None:
            which = f" for {period_label}" if period_label else ""
            raise NoPlan(f"{la['name']} ({la['code']}) has no plan{which} to export")
        priorities = {
            row.id: row
            for row in connection.execute(select(Priority).where(Priority.plan_id == plan.id))
        }
        actions = connection.execute(select(Action).where(Action.plan_id == plan.id)).all()
        ids = [a.id for a in actions]
        schools = connection.execute(
            select(ActionSchool.action_id, ActionSchool.urn)
            .where(ActionSchool.action_id.in_(ids))
            .order_by(ActionSchool.urn)
        ).all()
        targets = connection.execute(
            select(ActionTarget).where(ActionTarget.action_id.in_(ids)).order_by(ActionTarget.id)
        ).all()
        spend = connection.execute(
            select(ActionSpend).where(ActionSpend.action_id.in_(ids)).order_by(ActionSpend.id)
        ).all()

    def order(action: Row) -> tuple[int, int, int, int]:
        priority = priorities.get(action.priority_id)
        if priority is None:
            return (1, 0, 0, action.id)
        return (0, priority.position, priority.id, action.id)

    actions = sorted(actions, key=order)
    refs = {action.id: f"A{number}" for number, action in enumerate(actions, start=1)}
    urns: dict[int, list[str]] = {}
    for action_id, urn in schools:
        urns.setdefault(action_id, []).append(urn)
    rank = {action_id: position for position, action_id in enumerate(refs)}
    return {
        "Plan": [
            {"title": plan.title, "period": plan.period_label, "start_date": plan.start_date,
             "end_date": plan.end_date, "status": plan.status}
        ],
        "Actions": [
            {
                "ref": refs[a.id],
                "priority": getattr(priorities.get(a.priority_id), "title", None),
                "outcome": a.outcome_code,
                **{name: getattr(a, name) for name in ACTION_FIELDS[3:]},
                "schools": ";".join(urns.get(a.id, [])) or None,
            }
            for a in actions
        ],
        "Targets": [
            {"action_ref": refs[t.action_id], "indicator": t.indicator_code, "group": t.group_code,
             **{name: getattr(t, name) for name in TARGET_FIELDS[3:]}}
            for t in sorted(targets, key=lambda t: (rank[t.action_id], t.id))
        ],
        "Spend": [
            {"action_ref": refs[s.action_id], "partner": s.partner,
             "financial_year": s.financial_year, "amount": _amount(s.amount)}
            for s in sorted(spend, key=lambda s: (rank[s.action_id], s.id))
        ],
    }  # fmt: skip


def _amount(value: object) -> int | float:
    """Pounds as the spreadsheet should show them: whole pounds as integers."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def export_plan(
    engine: Engine, la_code: str, fmt: str = "xlsx", period_label: str | None = None
) -> bytes:
    """An LA's plan (see :func:`plan_rows`) as an .xlsx workbook, with the template's
    instructions and drop-downs, or as one CSV file (UTF-8 with a byte-order mark, so that
    spreadsheets open it as such); both re-import as they are."""
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown plan format {fmt!r}: use xlsx or csv")
    rows = plan_rows(engine, la_code, period_label)
    return _workbook(_reference(engine), rows) if fmt == "xlsx" else plan_csv(rows)


#: Characters a spreadsheet takes as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def _csv_safe(text: str) -> str:
    """Text a spreadsheet would run as a formula, quoted with a leading apostrophe (numbers
    such as -2.5 are left alone); :func:`_csv_unquoted` undoes it on import."""
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _csv_unquoted(text: str) -> str:
    """Undo :func:`_csv_safe`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def plan_csv(rows: dict[str, list]) -> bytes:
    """Sheet rows (as :func:`plan_rows` gives them) as the one-file CSV layout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record, sheet in RECORDS.items():
        for row in rows.get(sheet, []):
            writer.writerow(
                [record, *(_csv_safe(_as_text(row.get(c)) or "") for c in CSV_COLUMNS[1:])]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
