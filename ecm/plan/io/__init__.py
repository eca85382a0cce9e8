"""Children and Young People's Plans in and out: an Excel workbook or one CSV file, checked as
strictly as the data importers (every problem listed with its sheet, row and column) and loaded
all or nothing.

The workbook (:func:`plan_template` gives an empty one with an ``Instructions`` sheet, and
:func:`plan_template_for` the same pre-filled with an LA's gaps as a draft) has four
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

Import from here (``from ecm.plan.io import import_plan``); the modules hold one job each:

- :mod:`~ecm.plan.io.layout`: the sheets, columns, CSV columns and records, the records a
  checked file becomes, and the reference lists of allowed values
- :mod:`~ecm.plan.io.template`: the workbook writer (data sheets, drop-down lists and the
  ``Instructions`` sheet), for the empty template and for exports
- :mod:`~ecm.plan.io.cells`: reading one cell (text, codes, dates, numbers, periods, financial
  years), every problem collected
- :mod:`~ecm.plan.io.checks`: the checks of the plan row, actions, targets and spend lines
- :mod:`~ecm.plan.io.read`: reading an .xlsx or .csv file into a :class:`ParsedPlan`
- :mod:`~ecm.plan.io.load`: :func:`import_plan`, the all-or-nothing write and its audit row
- :mod:`~ecm.plan.io.export`: :func:`plan_rows`, :func:`export_plan` and :func:`plan_csv`
- :mod:`~ecm.plan.io.draft`: :func:`plan_template_for`, a draft plan started from an LA's gaps
"""

from ecm.plan.io.draft import DraftPlan, draft_plan, plan_template_for
from ecm.plan.io.export import export_plan, plan_csv, plan_rows
from ecm.plan.io.layout import (
    ACTION_FIELDS,
    COLUMNS,
    CSV_COLUMNS,
    FORMATTED_ROWS,
    MAX_AMOUNT,
    PARTNERS_FILE,
    PLAN_STATUSES,
    RECORDS,
    SCOPES,
    SHEETS,
    SPEND_FIELDS,
    TARGET_FIELDS,
    Column,
    NoPlan,
    ParsedPlan,
    PlanImportSummary,
)
from ecm.plan.io.load import import_plan
from ecm.plan.io.read import read_plan
from ecm.plan.io.template import plan_template

__all__ = [
    "ACTION_FIELDS",
    "COLUMNS",
    "CSV_COLUMNS",
    "FORMATTED_ROWS",
    "MAX_AMOUNT",
    "PARTNERS_FILE",
    "PLAN_STATUSES",
    "RECORDS",
    "SCOPES",
    "SHEETS",
    "SPEND_FIELDS",
    "TARGET_FIELDS",
    "Column",
    "DraftPlan",
    "NoPlan",
    "ParsedPlan",
    "PlanImportSummary",
    "draft_plan",
    "export_plan",
    "import_plan",
    "plan_csv",
    "plan_rows",
    "plan_template",
    "plan_template_for",
    "read_plan",
]
