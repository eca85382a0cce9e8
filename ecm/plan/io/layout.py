"""The plan file's layout: its sheets and columns, the one-file CSV form (its columns and record
types; text that looks like a formula is quoted by :mod:`ecm.safe_text`), the records a checked
file becomes, and the reference lists (outcomes, partners, indicators, pupil groups) that say
which values a file may use. Everything else in :mod:`ecm.plan.io` is built on these."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from ecm.catalogue import load_catalogue
from ecm.config import DATA_DIR
from ecm.store.models import Indicator, PupilGroup

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
               "...); Targets and Spend name the action by it. Kept with the action: loading "
               "the plan again updates the action with the same ref.", 8, example="A1"),
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
    updated: int = 0  # actions already in the plan (same ref) that the file changed
    unchanged: int = 0  # actions already in the plan that the file leaves as they were
    added: int = 0  # actions new to the plan
    removed: int = 0  # actions of the plan the file no longer lists

    def describe(self) -> str:
        """One line for people: what was loaded for whom, and what became of the plan's
        actions (kept by their ref with their notes and history, added, removed)."""
        replaced = (
            f"; updated the {self.period_label} plan in place: {self.updated} actions changed, "
            f"{self.unchanged} unchanged (notes and history kept), {self.added} added, "
            f"{self.removed} removed"
            if self.replaced
            else ""
        )
        return (
            f"plan {self.period_label} for {self.la_name} ({self.la_code}) imported from "
            f"{self.file_name}: {self.actions} actions, {self.targets} targets, "
            f"{self.spend_lines} spend lines, total spend £{self.total_spend:,.2f}{replaced}"
        )


class NoPlan(LookupError):
    """Raised when an LA has no plan to export."""


# --- reference lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The values a plan file may use: from the store when there is one, else ``data/``."""

    outcomes: dict[str, str]  # code -> title
    partners: dict[str, str]  # name -> sector
    indicators: dict[str, str]  # code -> title
    groups: dict[str, tuple[str, str | None]]  # code -> (title, comparator)


def reference_lists(engine: Engine | None = None) -> Reference:
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
    return Reference(catalogue.outcome_titles, partners, indicators, groups)


def target_groups(reference: Reference) -> list[str]:
    """Groups a target may name: ``all`` and the focus groups (those with a comparator)."""
    return [
        code for code, (_, comparator) in reference.groups.items() if code == "all" or comparator
    ]
