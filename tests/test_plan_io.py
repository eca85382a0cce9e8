"""Plans in and out: the template, export and import round trips, a hand-written workbook,
malformed files rejected with sheet, row and column and the store left as it was, re-import,
the audit log, and the ``plan import`` and ``plan export`` commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, insert, select, text

from ecm.access.rights import operator
from ecm.cli.main import main
from ecm.demo.build import build_demo
from ecm.errors import DataError, DataProblem
from ecm.plan.edits import action_history
from ecm.plan.io import (
    COLUMNS,
    CSV_COLUMNS,
    SCOPES,
    SHEETS,
    export_plan,
    import_plan,
    plan_template,
    read_plan,
)
from ecm.store.models import (
    ACTION_STATUSES,
    Action,
    ActionNote,
    ActionSchool,
    ActionSpend,
    ActionTarget,
    AuditLog,
    Plan,
    Priority,
    School,
)
from ecm.views.plan_action import history_table

PLAN_TABLES = (
    "plan", "priority", "action", "action_school", "action_target", "action_spend",
    "action_note", "audit_log",
)  # fmt: skip
LA = "Z10000003"  # the tiny demo's third LA (number 003)

#: The plan's own entries in the audit log (the demo build also records its demo accounts).
PLAN_AUDIT = AuditLog.table_name != "app_user"


@pytest.fixture
def plan_engine(engine: Engine) -> Engine:
    """A writable store holding the tiny demo and its plans."""
    build_demo(engine, scale="tiny", seed=2008)
    return engine


def store_rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every plan table (and the audit log), in a fixed order."""
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))),
                key=repr,
            )
            for table in PLAN_TABLES
        }


def plan_content(engine: Engine, la_code: str) -> dict:
    """An LA's plan without its ids: what a round trip must keep."""
    with engine.connect() as connection:
        plan = connection.execute(
            select(Plan.title, Plan.period_label, Plan.start_date, Plan.end_date, Plan.status)
            .where(Plan.la_code == la_code)
        ).all()  # fmt: skip
        plan_ids = select(Plan.id).where(Plan.la_code == la_code)
        priorities = connection.execute(
            select(Priority.outcome_code, Priority.title, Priority.position)
            .where(Priority.plan_id.in_(plan_ids))
            .order_by(Priority.position)
        ).all()
        actions = []
        for action in connection.execute(
            select(Action, Priority.title.label("priority"))
            .outerjoin(Priority, Priority.id == Action.priority_id)
            .where(Action.plan_id.in_(plan_ids))
        ).all():
            fields = {
                k: v
                for k, v in action._mapping.items()
                if k not in ("id", "plan_id", "priority_id", "version", "updated_at", "updated_by")
            }
            schools = connection.scalars(
                select(ActionSchool.urn).where(ActionSchool.action_id == action.id)
            ).all()
            targets = connection.execute(
                select(ActionTarget.indicator_code, ActionTarget.group_code,
                       ActionTarget.baseline_period, ActionTarget.baseline_gap,
                       ActionTarget.target_gap, ActionTarget.baseline_value,
                       ActionTarget.target_value, ActionTarget.target_period)
                .where(ActionTarget.action_id == action.id)
                .order_by(ActionTarget.id)
            ).all()  # fmt: skip
            spend = connection.execute(
                select(ActionSpend.partner, ActionSpend.financial_year, ActionSpend.amount)
                .where(ActionSpend.action_id == action.id)
                .order_by(ActionSpend.id)
            ).all()
            actions.append(
                (fields, sorted(schools), [tuple(t) for t in targets], [tuple(s) for s in spend])
            )
    return {
        "plan": [tuple(p) for p in plan],
        "priorities": [tuple(p) for p in priorities],
        "actions": sorted(actions, key=repr),
    }


def la_urns(engine: Engine, la_code: str, count: int = 2) -> list[str]:
    """Some schools of an LA."""
    with engine.connect() as connection:
        return list(
            connection.scalars(
                select(School.urn).where(School.la_code == la_code).order_by(School.urn)
            ).all()[:count]
        )


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets, each a list of rows (the header first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_sheets(urns: list[str]) -> dict[str, list[list]]:
    """A plan as a person writes it: loose spellings, real and typed dates, headers in their
    own order and case, a financial year Excel turned into a date, pounds with a £ sign."""
    return {
        "Plan": [
            ["Title", "Period", "Start date", "End date", "Status"],
            ["Bramblecombe Children and Young People's Plan 2011-2014", "2011-2014",
             dt.datetime(2011, 4, 1), "2014-03-31", "Draft"],
        ],
        "Actions": [
            ["ref", "priority", "outcome", "title", "description", "lead_partner",
             "contributing_partners", "status", "start_date", "due_date", "scope",
             "scope_detail", "schools"],
            ["A1", "Narrow the gap at Key Stage 2", "enjoy_achieve", "Every Child a Reader",
             "Daily one-to-one reading lessons for the lowest-attaining Year 1 readers.",
             "LA children's services", "Schools; Voluntary and community sector", "on track",
             dt.datetime(2011, 9, 1), "2014-03-31", "schools", "Primary schools in the North",
             ";".join(urns)],
            ["A2", "Narrow the gap at Key Stage 2", "enjoy_achieve", "Every Child Counts", None,
             "Schools", None, "not_started", None, None, None, None, None],
            ["A3", "Reduce offending", "Make a positive contribution", "Youth crime prevention",
             "Youth inclusion projects in the two wards with most first-time entrants.",
             "youth offending team", "Police;Youth service", "at_risk", "2011-04-01",
             "2013-03-31", "locality", "East locality", None],
        ],
        "Targets": [
            ["action_ref", "indicator", "group", "baseline_period", "baseline_gap",
             "target_gap", "baseline_value", "target_value", "target_period"],
            ["A1", "ni_73", "disadvantaged", "2010/11", 21.5, 15, None, None, "2013/14"],
            ["A3", "ni_111", "all", "2010-11", None, None, 1250.5, "1000", "2013-14"],
        ],
        "Spend": [
            ["action_ref", "partner", "financial_year", "amount"],
            ["A1", "LA children's services", "2011-12", 150000],
            ["A1", "Schools", dt.datetime(2011, 12, 1), 40000.5],
            ["A3", "Youth offending team", "2012-13", "£75,000"],
        ],
    }  # fmt: skip


# --- template -------------------------------------------------------------------------------------


def test_the_template_has_empty_data_sheets_with_headers_and_full_instructions() -> None:
    book = load_workbook(io.BytesIO(plan_template()))
    assert book.sheetnames == ["Instructions", "Lists", "Plan", "Actions", "Targets", "Spend"]
    assert book["Lists"].sheet_state == "hidden"
    for name in SHEETS:
        sheet = book[name]
        assert [c.value for c in sheet[1]] == [c.name for c in COLUMNS[name]]
        assert sheet.max_row == 1, f"{name} must have no example rows"
        assert sheet["A1"].font.bold
        assert sheet.column_dimensions["A"].width == COLUMNS[name][0].width
    actions = book["Actions"]
    lists = {str(v.sqref): v.formula1 for v in actions.data_validations.dataValidation}
    assert lists["H2:H500"] == "Lists!$B$2:$B$6"  # status
    assert lists["K2:K500"] == "Lists!$C$2:$C$4"  # scope
    assert [book["Lists"].cell(row=r, column=2).value for r in range(2, 7)] == list(ACTION_STATUSES)
    assert actions.column_dimensions["I"].number_format == "yyyy-mm-dd"  # start_date
    assert book["Spend"].column_dimensions["C"].number_format == "@"  # financial_year as text
    words = " ".join(
        str(v) for row in book["Instructions"].iter_rows(values_only=True) for v in row if v
    )
    for expected in (
        *ACTION_STATUSES, *SCOPES, "draft", "agreed", "be_healthy", "economic_wellbeing",
        "Primary Care Trust", "Youth offending team", "Connexions", "disadvantaged",
        "looked_after", "ni_73", "positive means the focus group is worse off", "2008-09",
        "yyyy-mm-dd", "2007/08", "separated by ';'", ", ".join(CSV_COLUMNS[1:]),
    ):  # fmt: skip
        assert expected in words, expected
    # Comparator groups are not target groups; they appear only as what a group is compared with.
    groups = [row for row in book["Instructions"].iter_rows(values_only=True) if row[0] == "fsm"]
    assert groups == [("fsm", "Pupils eligible for FSM", "not_fsm", None)]


def test_the_empty_template_is_rejected_for_having_no_plan_row() -> None:
    with pytest.raises(DataError) as raised:
        read_plan(plan_template(), "template.xlsx")
    assert [p.message[:11] for p in raised.value.problems] == ["no plan row"]


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips_the_demo_plan_exactly(
    plan_engine: Engine, fmt: str
) -> None:
    before = plan_content(plan_engine, LA)
    assert len(before["actions"]) >= 15 and any(a[1] for a in before["actions"])
    with plan_engine.connect() as connection:
        plan_id = connection.scalar(select(Plan.id).where(Plan.la_code == LA))
        others = connection.scalar(select(func.count()).select_from(Action))
    exported = export_plan(plan_engine, "003", fmt)
    summary = import_plan(plan_engine, exported, "003", operator("Ann Analyst"), f"plan.{fmt}")
    assert summary.replaced and summary.plan_id == plan_id
    assert summary.actions == len(before["actions"])
    assert plan_content(plan_engine, LA) == before
    with plan_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Action)) == others
        assert connection.scalar(select(func.count()).select_from(Plan)) == 4
    again = export_plan(plan_engine, "003", fmt)
    if fmt == "csv":
        assert again == exported
    else:
        first, second = read_plan(exported, "a.xlsx"), read_plan(again, "b.xlsx")
        assert first.plan == second.plan
        for frame in ("actions", "schools", "targets", "spend"):
            assert getattr(first, frame).equals(getattr(second, frame)), frame


def test_the_csv_export_is_one_file_with_a_record_column(demo_engine: Engine) -> None:
    exported = export_plan(demo_engine, LA, "csv")
    assert exported.startswith("\ufeff".encode())
    lines = exported.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    kinds = [line.split(",", 1)[0] for line in lines[1:]]
    parsed = read_plan(exported, "plan.csv")
    assert kinds == (
        ["plan"] + ["action"] * len(parsed.actions) + ["target"] * len(parsed.targets)
        + ["spend"] * len(parsed.spend)
    )  # fmt: skip
    assert lines[1].startswith("plan,,,Bramblecombe Children and Young People's Plan 2008-2011,")
    assert list(parsed.actions["ref"]) == [f"A{n}" for n in range(1, len(parsed.actions) + 1)]


# --- a hand-written workbook ---------------------------------------------------------------------


def test_a_hand_written_workbook_imports_with_exact_counts_and_values(plan_engine: Engine) -> None:
    urns = la_urns(plan_engine, LA)
    raw = workbook(good_sheets(urns))
    summary = import_plan(plan_engine, raw, "003", operator("Ann Analyst"), "bramblecombe.xlsx")
    assert (summary.la_code, summary.period_label, summary.replaced) == (LA, "2011-2014", False)
    assert (summary.priorities, summary.actions, summary.targets) == (2, 3, 2)
    assert (summary.spend_lines, summary.schools, summary.total_spend) == (3, 2, 265000.5)
    assert summary.describe() == (
        "plan 2011-2014 for Bramblecombe (Z10000003) imported from bramblecombe.xlsx: "
        "3 actions, 2 targets, 3 spend lines, total spend £265,000.50"
    )
    with plan_engine.connect() as connection:
        plan = connection.execute(select(Plan).where(Plan.id == summary.plan_id)).one()
        assert (plan.la_code, plan.title, plan.start_date, plan.end_date, plan.status) == (
            LA, "Bramblecombe Children and Young People's Plan 2011-2014",
            dt.date(2011, 4, 1), dt.date(2014, 3, 31), "draft",
        )  # fmt: skip
        # The demo's own 2008-2011 plan for the LA is a different period and stays.
        assert connection.scalar(select(func.count()).where(Plan.la_code == LA)) == 2
        priorities = connection.execute(
            select(Priority.id, Priority.outcome_code, Priority.title, Priority.position)
            .where(Priority.plan_id == plan.id)
            .order_by(Priority.position)
        ).all()
        assert [tuple(p)[1:] for p in priorities] == [
            ("enjoy_achieve", "Narrow the gap at Key Stage 2", 1),
            ("positive_contribution", "Reduce offending", 2),
        ]
        actions = connection.execute(
            select(Action).where(Action.plan_id == plan.id).order_by(Action.id)
        ).all()
        assert [
            (a.priority_id, a.outcome_code, a.title, a.lead_partner, a.contributing_partners,
             a.status, a.start_date, a.due_date, a.scope, a.scope_detail, a.version, a.updated_by)
            for a in actions
        ] == [
            (priorities[0].id, "enjoy_achieve", "Every Child a Reader", "LA children's services",
             "Schools;Voluntary and community sector", "on_track", dt.date(2011, 9, 1),
             dt.date(2014, 3, 31), "schools", "Primary schools in the North", 1, "Ann Analyst"),
            (priorities[0].id, "enjoy_achieve", "Every Child Counts", "Schools", None,
             "not_started", None, None, "whole_area", None, 1, "Ann Analyst"),
            (priorities[1].id, "positive_contribution", "Youth crime prevention",
             "Youth offending team", "Police;Youth service", "at_risk", dt.date(2011, 4, 1),
             dt.date(2013, 3, 31), "locality", "East locality", 1, "Ann Analyst"),
        ]  # fmt: skip
        assert actions[1].description is None
        ids = [a.id for a in actions]
        assert connection.execute(
            select(ActionSchool.action_id, ActionSchool.urn)
            .where(ActionSchool.action_id.in_(ids))
            .order_by(ActionSchool.urn)
        ).all() == [(ids[0], urns[0]), (ids[0], urns[1])]
        targets = connection.execute(
            select(ActionTarget.action_id, ActionTarget.indicator_code, ActionTarget.group_code,
                   ActionTarget.baseline_period, ActionTarget.baseline_gap,
                   ActionTarget.target_gap, ActionTarget.baseline_value,
                   ActionTarget.target_value, ActionTarget.target_period)
            .where(ActionTarget.action_id.in_(ids))
            .order_by(ActionTarget.id)
        ).all()  # fmt: skip
        assert [tuple(t) for t in targets] == [
            (ids[0], "ni_73", "disadvantaged", "2010/11", 21.5, 15.0, None, None, "2013/14"),
            (ids[2], "ni_111", "all", "2010-11", None, None, 1250.5, 1000.0, "2013-14"),
        ]
        spend = connection.execute(
            select(ActionSpend.action_id, ActionSpend.partner, ActionSpend.financial_year,
                   ActionSpend.amount)
            .where(ActionSpend.action_id.in_(ids))
            .order_by(ActionSpend.id)
        ).all()  # fmt: skip
        assert [tuple(s) for s in spend] == [
            (ids[0], "LA children's services", "2011-12", Decimal("150000.00")),
            (ids[0], "Schools", "2011-12", Decimal("40000.50")),
            (ids[2], "Youth offending team", "2012-13", Decimal("75000.00")),
        ]


def test_the_import_is_audited_with_user_file_and_checksum(plan_engine: Engine) -> None:
    raw = workbook(good_sheets(la_urns(plan_engine, LA)))
    summary = import_plan(plan_engine, raw, LA, operator("Ann Analyst"), "bramblecombe.xlsx")
    with plan_engine.connect() as connection:
        rows = connection.execute(select(AuditLog).where(PLAN_AUDIT).order_by(AuditLog.id)).all()
    # Each action added has a row of its own history, then one row for the whole import.
    assert [(r.table_name, r.change) for r in rows] == [("action", "insert")] * 3 + [
        ("plan", "import")
    ]
    # A new action's row holds the whole action, so its history starts complete.
    first = json.loads(rows[0].after)
    assert (first["version"], first["title"], first["status"], first["priority"]) == (
        1, "Every Child a Reader", "on_track", "Narrow the gap at Key Stage 2",
    )  # fmt: skip
    assert first["spend"] == "2 lines, £190,000.50" and first["lead_partner"]
    row = rows[-1]
    assert (row.user_name, row.table_name, row.record_id, row.change, row.before) == (
        "Ann Analyst", "plan", str(summary.plan_id), "import", None,
    )  # fmt: skip
    assert json.loads(row.after) == {
        "plan_id": summary.plan_id,
        "title": "Bramblecombe Children and Young People's Plan 2011-2014",
        "period": "2011-2014",
        "status": "draft",
        "start_date": "2011-04-01",
        "end_date": "2014-03-31",
        "priorities": 2,
        "actions": 3,
        "targets": 2,
        "spend_lines": 3,
        "total_spend": 265000.5,
        "schools": 2,
        "notes": 0,
        "file_name": "bramblecombe.xlsx",
        "format": "xlsx",
        "checksum": hashlib.sha256(raw).hexdigest(),
    }


def test_reimporting_updates_the_actions_it_names_and_keeps_their_notes(
    plan_engine: Engine,
) -> None:
    sheets = good_sheets(la_urns(plan_engine, LA))
    first = import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "v1.xlsx")
    with plan_engine.begin() as connection:
        ids = dict(
            connection.execute(
                select(Action.ref, Action.id).where(Action.plan_id == first.plan_id)
            ).all()
        )
        connection.execute(
            insert(ActionNote).values(action_id=ids["A1"], written_at=dt.datetime.now(dt.UTC),
                                      author="Ann Analyst", note="Started in six schools")
        )  # fmt: skip
    sheets["Plan"][1][4] = "agreed"
    del sheets["Actions"][2]  # A2 goes
    sheets["Spend"][1][3] = 160000  # A1 spends more
    sheets["Actions"].append(
        ["A4", "Reduce offending", "Make a positive contribution", "Restorative justice in schools",
         None, "Police", None, "not_started", None, None, None, None, None]
    )  # fmt: skip
    second = import_plan(plan_engine, workbook(sheets), "003", operator("Bob Board"), "v2.xlsx")
    assert second.plan_id == first.plan_id and second.replaced
    assert (second.actions, second.priorities, second.total_spend) == (3, 2, 275000.5)
    assert (second.updated, second.unchanged, second.added, second.removed) == (1, 1, 1, 1)
    assert "1 actions changed, 1 unchanged (notes and history kept), 1 added, 1 removed" in (
        second.describe()
    )
    with plan_engine.connect() as connection:
        plans = connection.execute(
            select(Plan.status).where(Plan.la_code == LA, Plan.period_label == "2011-2014")
        ).all()
        assert plans == [("agreed",)]
        actions = connection.execute(
            select(Action.ref, Action.id, Action.version, Action.updated_by, Action.title)
            .where(Action.plan_id == first.plan_id)
            .order_by(Action.ref)
        ).all()
        assert [(a.ref, a.version, a.updated_by) for a in actions] == [
            ("A1", 2, "Bob Board"),  # changed by the file: a new version
            ("A3", 1, "Ann Analyst"),  # as it was
            ("A4", 1, "Bob Board"),  # new
        ]
        # The actions kept are the same records, with their notes; A2 is gone.
        assert actions[0].id == ids["A1"] and actions[1].id == ids["A3"]
        assert actions[2].id > max(ids.values())  # a new action never takes an old id
        notes = connection.execute(select(ActionNote.action_id, ActionNote.note)).all()
        assert notes == [(ids["A1"], "Started in six schools")]
        assert connection.scalar(select(func.count()).select_from(Action).where(
            Action.id == ids["A2"])) == 0  # fmt: skip
        assert (
            connection.scalar(
                select(func.count()).select_from(Priority).where(Priority.plan_id == first.plan_id)
            )
            == 2
        )
        spend = connection.scalar(
            select(func.sum(ActionSpend.amount)).where(ActionSpend.action_id == ids["A1"])
        )
        assert float(spend) == 200000.5
        audit = connection.execute(select(AuditLog).where(PLAN_AUDIT).order_by(AuditLog.id)).all()
    assert [(a.user_name, a.table_name, a.change) for a in audit] == [
        *[("Ann Analyst", "action", "insert")] * 3,
        ("Ann Analyst", "plan", "import"),
        ("Bob Board", "action", "import"),
        ("Bob Board", "action", "insert"),
        ("Bob Board", "plan", "import"),
    ]
    change = audit[4]
    assert change.record_id == str(ids["A1"])
    assert json.loads(change.before) == {"version": 1, "spend": "2 lines, £190,000.50"}
    assert json.loads(change.after) == {"version": 2, "spend": "2 lines, £200,000.50"}
    before, after = json.loads(audit[-1].before), json.loads(audit[-1].after)
    assert (before["actions"], before["notes"], before["status"], before["total_spend"]) == (
        3,
        1,
        "draft",
        265000.5,
    )
    assert (after["actions"], after["status"], after["file_name"]) == (3, "agreed", "v2.xlsx")
    # The action's page tells the change in words.
    history = history_table(action_history(plan_engine, ids["A1"]))
    assert list(history["What"]) == ["changed it by loading a plan file", "added the action"]
    assert history["After"].iloc[0] == "spend: 2 lines, £200,000.50"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_plan_loaded_again_changes_nothing(plan_engine: Engine, fmt: str) -> None:
    from ecm.plan.loaders import load_actions

    before = load_actions(plan_engine, "Z10000001")
    summary = import_plan(
        plan_engine,
        export_plan(plan_engine, "Z10000001", fmt),
        "Z10000001",
        operator("Bob"),
        f"p.{fmt}",
    )
    after = load_actions(plan_engine, "Z10000001")
    assert (summary.updated, summary.added, summary.removed) == (0, 0, 0)
    assert summary.unchanged == len(before) > 0
    columns = ["action_id", "title", "status", "version", "updated_by"]
    pd.testing.assert_frame_equal(
        before[columns].reset_index(drop=True), after[columns].reset_index(drop=True)
    )


# --- rejected files -------------------------------------------------------------------------------


def malformed_cases(engine: Engine) -> list[tuple[str, str, bytes, DataProblem]]:
    """(case, file name, file bytes, one problem the rejection must name exactly but for the
    message, of which the problem's message gives the start)."""
    urns = la_urns(engine, LA)
    other = la_urns(engine, "Z10000001", 1)[0]
    cases = []

    def case(name: str, change: Callable[[dict], object], problem: DataProblem) -> None:
        sheets = good_sheets(urns)
        change(sheets)
        cases.append((name, "plan.xlsx", workbook(sheets), problem))

    where = "plan.xlsx sheet {}".format
    case(
        "unknown status",
        lambda s: s["Actions"][1].__setitem__(7, "done"),
        DataProblem(
            where("Actions"),
            2,
            "status",
            "'done' is not an action status; use one of "
            "not_started, on_track, at_risk, off_track, complete",
        ),
    )
    case(
        "bad date",
        lambda s: s["Actions"][3].__setitem__(8, "01/04/2011"),
        DataProblem(where("Actions"), 4, "start_date", "write dates as yyyy-mm-dd"),
    )
    case(
        "due before start",
        lambda s: s["Actions"][3].__setitem__(9, "2010-03-31"),
        DataProblem(where("Actions"), 4, "due_date", "due before it starts"),
    )
    case(
        "unknown ref",
        lambda s: s["Targets"][2].__setitem__(0, "A9"),
        DataProblem(where("Targets"), 3, "action_ref", "no action has ref A9"),
    )
    case(
        "unknown indicator",
        lambda s: s["Targets"][1].__setitem__(1, "ni_999"),
        DataProblem(where("Targets"), 2, "indicator", "no indicator with code 'ni_999'"),
    )
    case(
        "value on a focus group",
        lambda s: s["Targets"][1].__setitem__(6, 40.0),
        DataProblem(where("Targets"), 2, "baseline_value", "a target for a focus group is a gap"),
    )
    case(
        "half a pair",
        lambda s: s["Targets"][2].__setitem__(7, None),
        DataProblem(where("Targets"), 3, "target_value", "a baseline value needs a target value"),
    )
    case(
        "negative spend",
        lambda s: s["Spend"][3].__setitem__(3, -75000),
        DataProblem(where("Spend"), 4, "amount", "-75,000.00 is negative"),
    )
    case(
        "financial year",
        lambda s: s["Spend"][1].__setitem__(2, "2011-13"),
        DataProblem(where("Spend"), 2, "financial_year", "write a financial year as YYYY-YY"),
    )
    case(
        "duplicate spend",
        lambda s: s["Spend"].append(["A1", "Schools", "2011-12", 5]),
        DataProblem(where("Spend"), 5, None, "a second line for A1, Schools, 2011-12"),
    )
    case(
        "unknown partner",
        lambda s: s["Spend"][1].__setitem__(1, "NHS"),
        DataProblem(
            where("Spend"),
            2,
            "partner",
            "'NHS' is not a Children's Trust partner; "
            "use a name from the list, e.g. LA children's services",
        ),
    )
    case(
        "URN of another LA",
        lambda s: s["Actions"][1].__setitem__(12, f"{urns[0]};{other}"),
        DataProblem(where("Actions"), 2, "schools", f"school {other} belongs to another LA"),
    )
    case(
        "duplicate ref",
        lambda s: s["Actions"][3].__setitem__(0, "A1"),
        DataProblem(where("Actions"), 4, "ref", "ref A1 is used again (first on line 2)"),
    )
    case(
        "missing sheet",
        lambda s: s.pop("Spend"),
        DataProblem("plan.xlsx", None, None, "no sheet Spend"),
    )
    case(
        "missing column",
        lambda s: [row.pop(5) for row in s["Actions"]],
        DataProblem(where("Actions"), 1, "lead_partner", "column missing from the header"),
    )
    csv_file = (
        b"record,ref,action_ref,title,period,start_date,end_date,status,outcome,lead_partner,"
        b"amount\n"
        b"plan,,,A plan,2011-2014,2011-04-01,2014-03-31,agreed,,,\n"
        b"action,A1,,Mentoring,,,,on_track,stay_safe,Police,500\n"
        b"budget,,,,,,,,,,\n"
    )
    cases.append(
        (
            "csv wrong column",
            "plan.csv",
            csv_file,
            DataProblem("plan.csv", 3, "amount", "not used on action rows; leave it empty"),
        )
    )
    cases.append(
        (
            "csv record",
            "plan.csv",
            csv_file,
            DataProblem("plan.csv", 4, "record", "'budget' is not a record type"),
        )
    )
    return cases


def test_malformed_files_are_rejected_naming_where_and_the_store_is_unchanged(
    plan_engine: Engine,
) -> None:
    before = store_rows(plan_engine)
    for name, file_name, raw, expected in malformed_cases(plan_engine):
        with pytest.raises(DataError) as raised:
            import_plan(plan_engine, raw, LA, operator("Ann Analyst"), file_name)
        found = [
            p for p in raised.value.problems
            if (p.file, p.line, p.column) == (expected.file, expected.line, expected.column)
        ]  # fmt: skip
        assert found, f"{name}: {raised.value.problems}"
        assert found[0].message.startswith(expected.message), f"{name}: {found[0].message}"
        assert store_rows(plan_engine) == before, name


def test_every_problem_is_listed_not_just_the_first(plan_engine: Engine) -> None:
    sheets = good_sheets(la_urns(plan_engine, LA))
    sheets["Plan"][1][2] = "2011-02-30"
    sheets["Actions"][2][7] = "finished"
    sheets["Targets"][1][2] = "not_fsm"
    sheets["Spend"][2][3] = "lots"
    with pytest.raises(DataError) as raised:
        import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "plan.xlsx")
    assert [str(p) for p in raised.value.problems] == [
        "plan.xlsx sheet Plan line 2 column start_date: 2011-02-30 is not a date of the calendar",
        "plan.xlsx sheet Actions line 3 column status: 'finished' is not an action status; use "
        "one of not_started, on_track, at_risk, off_track, complete",
        "plan.xlsx sheet Targets line 2 column group: not_fsm is the comparator of fsm: a target "
        "names the focus group whose gap it narrows, or all; use one of all, disadvantaged, fsm, "
        "sen, looked_after, boys, lowest_20pc, children_in_need, ... (9 in all)",
        "plan.xlsx sheet Spend line 3 column amount: 'lots' is not a number",
    ]


def test_a_period_excel_made_into_a_date_is_explained() -> None:
    sheets = good_sheets([])
    sheets["Actions"][1][12] = None
    sheets["Targets"][1][3] = dt.datetime(2010, 11, 1)
    with pytest.raises(DataError) as raised:
        read_plan(workbook(sheets), "plan.xlsx")
    assert [str(p) for p in raised.value.problems] == [
        "plan.xlsx sheet Targets line 2 column baseline_period: the spreadsheet has turned this "
        "period into a date (01 Nov 2010); format the column as Text and type it again, "
        "e.g. 2007/08"
    ]


# --- the command line -----------------------------------------------------------------------------


def test_plan_export_and_import_commands(
    plan_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ECM_DATABASE_URL", plan_engine.url.render_as_string(hide_password=False))
    before = plan_content(plan_engine, LA)
    out = tmp_path / "plan.csv"
    assert main(["plan", "export", "--la", "003", "--format", "csv", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    parsed = read_plan(out)
    total = float(parsed.spend["amount"].sum())
    assert printed == (
        f"plan 2008-2011 (Bramblecombe Children and Young People's Plan 2008-2011) written to "
        f"{out}: {len(parsed.actions)} actions, {len(parsed.targets)} targets, "
        f"{len(parsed.spend)} spend lines, total spend £{total:,.2f}\n"
    )
    assert main(["plan", "import", str(out), "--la", LA]) == 0
    assert capsys.readouterr().out.startswith(
        f"plan 2008-2011 for Bramblecombe (Z10000003) imported from plan.csv: "
        f"{len(parsed.actions)} actions, {len(parsed.targets)} targets,"
    )
    assert plan_content(plan_engine, LA) == before
    xlsx = tmp_path / "plan.xlsx"
    assert main(["plan", "export", "--la", LA, "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert main(["plan", "import", str(xlsx), "--la", "003", "--user", "Bob Board"]) == 0
    with plan_engine.connect() as connection:
        users = connection.scalars(
            select(AuditLog.user_name).where(PLAN_AUDIT).order_by(AuditLog.id)
        ).all()
    assert users == ["command line", "Bob Board"]
    capsys.readouterr()

    bad = tmp_path / "bad.xlsx"
    sheets = good_sheets([])
    sheets["Actions"][1][12] = None
    sheets["Actions"][1][7] = "done"
    bad.write_bytes(workbook(sheets))
    unchanged = store_rows(plan_engine)
    assert main(["plan", "import", str(bad), "--la", LA]) == 2
    assert capsys.readouterr().err == (
        "error: bad.xlsx sheet Actions line 2 column status: 'done' is not an action status; "
        "use one of not_started, on_track, at_risk, off_track, complete\n"
    )
    assert store_rows(plan_engine) == unchanged
    assert main(["plan", "import", str(tmp_path / "none.xlsx"), "--la", LA]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["plan", "import", str(xlsx), "--la", "999"]) == 2
    assert "no local authority with code or number '999'" in capsys.readouterr().err
    assert main(["plan", "export", "--la", "999", "-o", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_text_that_looks_like_a_formula_stays_text_both_ways(plan_engine: Engine) -> None:
    """OWASP's CSV-injection rule on the plan's workbook and CSV: a title a spreadsheet would
    run gets an apostrophe in front, a negative number stays a number, and the import takes
    the apostrophe off again, so every title comes back as stored."""
    import csv

    from ecm.plan.edits import save_action
    from ecm.plan.loaders import load_actions

    formula = '=HYPERLINK("http://example.org","Click")'
    titles = [formula, "-Fewer exclusions", "'=kept apostrophe", "+1", "@SUM(A1)", "'Tis well"]
    actions = load_actions(plan_engine, "Z10000001").head(len(titles))
    for (_, action), title in zip(actions.iterrows(), titles, strict=True):
        save_action(plan_engine, int(action["action_id"]), {"title": title}, 1, operator("Ann"))
    written = {
        formula: "'" + formula,
        "-Fewer exclusions": "'-Fewer exclusions",
        "'=kept apostrophe": "''=kept apostrophe",
        "+1": "+1",
        "@SUM(A1)": "'@SUM(A1)",
        "'Tis well": "'Tis well",
    }
    raw = export_plan(plan_engine, "Z10000001", "xlsx")
    sheet = load_workbook(io.BytesIO(raw))["Actions"]
    column = [c.value for c in sheet[1]].index("title")
    cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert all(cells[text].data_type == "s" for text in written.values())
    text = export_plan(plan_engine, "Z10000001", "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(written.values()) <= {row["title"] for row in rows}
    for fmt in ("xlsx", "csv"):
        summary = import_plan(plan_engine, export_plan(plan_engine, "Z10000001", fmt), "Z10000001",
                              operator("Ann"), f"plan.{fmt}")  # fmt: skip
        assert set(titles) <= set(load_actions(plan_engine, "Z10000001")["title"]), fmt
        assert summary.replaced


def test_the_workbooks_instructions_hold_a_formula_like_title_as_text(plan_engine: Engine) -> None:
    """The workbook's Instructions list the store's indicator titles: one named like a
    formula is written as quoted text there too, in the exported plan and in the draft."""
    from ecm.plan.io.draft import draft_plan
    from ecm.store.models import Indicator

    with plan_engine.begin() as connection:
        connection.execute(
            Indicator.__table__.update().where(Indicator.code == "ni_73").values(title="=1+2")
        )

    def texts(raw: bytes) -> list[object]:
        sheet = load_workbook(io.BytesIO(raw))["Instructions"]
        return [c.value for row in sheet.iter_rows() for c in row]

    for raw in (export_plan(plan_engine, "Z10000001", "xlsx"),
                draft_plan(plan_engine, "Z10000001", "2008/09").workbook()):  # fmt: skip
        assert "'=1+2" in texts(raw) and "=1+2" not in texts(raw)


def test_the_replaced_plan_is_kept_whole_in_the_audit_log(plan_engine: Engine) -> None:
    from ecm.plan.edits import add_note
    from ecm.plan.loaders import load_actions

    action = load_actions(plan_engine, "Z10000001").iloc[0]
    add_note(plan_engine, int(action["action_id"]), "Twelve schools signed up", operator("Ann"))
    exported = export_plan(plan_engine, "Z10000001", "csv")
    import_plan(plan_engine, exported, "Z10000001", operator("Bob"), "plan.csv")
    with plan_engine.connect() as connection:
        row = connection.execute(
            select(AuditLog).where(AuditLog.change == "import").order_by(AuditLog.id.desc())
        ).first()
    replaced = json.loads(row.before)["replaced"]
    assert replaced["notes"][0]["note"] == "Twelve schools signed up"
    assert replaced["notes"][0]["action"] == action["title"]
    assert len(replaced["rows"]["Actions"]) == len(load_actions(plan_engine, "Z10000001"))


def test_a_removed_actions_id_is_never_given_to_a_new_one(plan_engine: Engine) -> None:
    """Audit rows name their action by id: a new action given a removed one's id would show
    the removed action's history, and an edit conflict could name the wrong change."""
    from ecm.plan.edits import add_note, create_action, save_action

    sheets = good_sheets(la_urns(plan_engine, LA))
    first = import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "v1.xlsx")
    with plan_engine.connect() as connection:
        newest = connection.scalar(select(func.max(Action.id)))
        assert connection.scalar(select(Action.ref).where(Action.id == newest)) == "A3"
    save_action(plan_engine, newest, {"status": "off_track"}, 1, operator("Ann Analyst"))
    add_note(plan_engine, newest, "Funding withdrawn", operator("Ann Analyst"))
    sheets["Actions"] = [row for row in sheets["Actions"] if row[0] != "A3"]
    sheets["Targets"] = [row for row in sheets["Targets"] if row[0] != "A3"]
    sheets["Spend"] = [row for row in sheets["Spend"] if row[0] != "A3"]
    second = import_plan(plan_engine, workbook(sheets), LA, operator("Bob Board"), "v2.xlsx")
    assert second.removed == 1
    added = create_action(
        plan_engine,
        first.plan_id,
        {"title": "Mentoring", "outcome_code": "enjoy_achieve", "lead_partner": "Schools",
         "status": "not_started"},
        operator("Bob Board"),
    )  # fmt: skip
    assert added > newest
    history = action_history(plan_engine, added)
    assert list(history["change"]) == ["insert"] and set(history["user_name"]) == {"Bob Board"}


def test_an_edit_saved_while_a_file_loads_is_never_overwritten(plan_engine: Engine) -> None:
    """A Board member saves action A1 in the app after the import has read the plan and
    before it writes. SQLite: the save lands and the import is refused, rolled back whole.
    PostgreSQL: the import holds the plan's actions locked, so the save must wait (refused
    here after a second) and the import lands; no change is ever silently lost."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from ecm.plan.edits import save_action, unlink_target
    from ecm.store.engine import make_engine

    sheets = good_sheets(la_urns(plan_engine, LA))
    first = import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "v1.xlsx")
    with plan_engine.connect() as connection:
        a1 = connection.scalar(
            select(Action.id).where(Action.plan_id == first.plan_id, Action.ref == "A1")
        )
    with plan_engine.connect() as connection:
        target = connection.scalar(select(ActionTarget.id).where(ActionTarget.action_id == a1))
    other = make_engine(plan_engine.url.render_as_string(hide_password=False))
    if other.dialect.name == "postgresql":
        event.listen(other, "connect", wait_at_most_a_second)
    outcome: dict[str, object] = {}

    def save_meanwhile(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        # The import's first write: it has read the plan's actions by now.
        if "outcome" not in outcome and statement.startswith(('UPDATE "plan"', "UPDATE plan")):
            try:
                outcome["outcome"] = save_action(
                    other, a1, {"status": "off_track"}, 1, operator("Bob")
                )
            except OperationalError:
                outcome["outcome"] = "waited for the import"
            if other.dialect.name == "postgresql":
                # Removing a target waits for the import too (the action's row is locked).
                try:
                    unlink_target(other, a1, target, operator("Bob"))
                    outcome["unlink"] = "removed"
                except OperationalError:
                    outcome["unlink"] = "waited for the import"

    sheets["Actions"][1][7] = "complete"  # the file changes A1 too
    event.listen(plan_engine, "before_cursor_execute", save_meanwhile)
    try:
        if plan_engine.dialect.name == "sqlite":
            before = store_rows(plan_engine)
            with pytest.raises(DataError) as refused:
                import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "v2.xlsx")
            assert outcome["outcome"] == 2
            assert "action A1 (Every Child a Reader) changed while the file was being loaded" in (
                str(refused.value)
            )
            assert "Bob saved it" in str(refused.value)
            after = store_rows(plan_engine)
            kept = load_action_row(plan_engine, a1)
            assert (kept.status, kept.version, kept.updated_by) == ("off_track", 2, "Bob")
            changed = {t for t in PLAN_TABLES if before[t] != after[t]}
            assert changed == {"action", "audit_log"}  # Bob's save alone
        else:
            import_plan(plan_engine, workbook(sheets), LA, operator("Ann Analyst"), "v2.xlsx")
            assert outcome["outcome"] == outcome["unlink"] == "waited for the import"
            kept = load_action_row(plan_engine, a1)
            assert (kept.status, kept.version, kept.updated_by) == ("complete", 2, "Ann Analyst")
    finally:
        event.remove(plan_engine, "before_cursor_execute", save_meanwhile)
        other.dispose()


def wait_at_most_a_second(dbapi_connection, _record) -> None:  # noqa: ANN001
    """PostgreSQL: give up on a lock after a second, for the whole session (set outside a
    transaction, so that no rollback undoes it)."""
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET lock_timeout = '1s'")
    dbapi_connection.autocommit = False


def load_action_row(engine: Engine, action_id: int):  # noqa: ANN201
    with engine.connect() as connection:
        return connection.execute(select(Action).where(Action.id == action_id)).first()
