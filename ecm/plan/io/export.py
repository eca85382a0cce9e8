"""Plans out: an LA's stored plan as the rows of each sheet in the importer's layout
(:func:`plan_rows`), written as the template's workbook or as the one-file CSV
(:func:`export_plan`, :func:`plan_csv`), so that an exported plan re-imports as it is."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import Connection, Engine, Row, select

from ecm.figures import queries
from ecm.plan.io.cells import as_text
from ecm.plan.io.layout import (
    ACTION_FIELDS,
    CSV_COLUMNS,
    RECORDS,
    TARGET_FIELDS,
    NoPlan,
    reference_lists,
)
from ecm.plan.io.template import plan_workbook
from ecm.plan.refs import refs_in_order
from ecm.safe_text import neutralise_cell
from ecm.store.models import Action, ActionSchool, ActionSpend, ActionTarget, Plan, Priority


def plan_rows(engine: Engine, la_code: str, period_label: str | None = None) -> dict[str, list]:
    """An LA's plan as the rows of each sheet (by column name), in the importer's layout.

    The plan is the one with ``period_label``, else the LA's latest (by start date). Actions
    are ordered by their priority's position, then as stored, each under its stored ref
    (:mod:`ecm.plan.refs`);
    school URNs are sorted. Raises :class:`NoPlan` when there is none, and
    :class:`ecm.figures.queries.UnknownArea` for an unknown LA.
    """
    la = queries.resolve_area(engine, "la", la_code)
    with engine.connect() as connection:
        plan = _find_plan(connection, la, period_label)
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
        targets = _of_actions(connection, ActionTarget, ids)
        spend = _of_actions(connection, ActionSpend, ids)

    def held_back(target: Row) -> bool:  # a restricted figure outside the viewer's remit
        return queries.target_numbers_held_back(la["code"], target.indicator_code)

    def order(action: Row) -> tuple[int, int, int, int]:
        priority = priorities.get(action.priority_id)
        if priority is None:
            return (1, 0, 0, action.id)
        return (0, priority.position, priority.id, action.id)

    actions = sorted(actions, key=order)
    refs = refs_in_order([(action.id, action.ref) for action in actions])
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
             **{name: None if name in queries.TARGET_NUMBERS and held_back(t) else getattr(t, name)
                for name in TARGET_FIELDS[3:]}}
            for t in sorted(targets, key=lambda t: (rank[t.action_id], t.id))
        ],
        "Spend": [
            {"action_ref": refs[s.action_id], "partner": s.partner,
             "financial_year": s.financial_year, "amount": _amount(s.amount)}
            for s in sorted(spend, key=lambda s: (rank[s.action_id], s.id))
        ],
    }  # fmt: skip


def _find_plan(connection: Connection, la: dict, period_label: str | None) -> Row:
    """The LA's plan for ``period_label``, else its latest; :class:`NoPlan` when none."""
    statement = select(Plan).where(Plan.la_code == la["code"])
    if period_label:
        statement = statement.where(Plan.period_label == period_label)
    plan = connection.execute(
        statement.order_by(Plan.start_date.desc(), Plan.id.desc()).limit(1)
    ).first()
    if plan is None:
        which = f" for {period_label}" if period_label else ""
        raise NoPlan(f"{la['name']} ({la['code']}) has no plan{which} to export")
    return plan


def _of_actions(connection: Connection, model: type, ids: list[int]) -> list[Row]:
    """The rows of ``model`` (targets or spend) for the actions ``ids``, as stored."""
    statement = select(model).where(model.action_id.in_(ids)).order_by(model.id)
    return list(connection.execute(statement).all())


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
    return plan_workbook(reference_lists(engine), rows) if fmt == "xlsx" else plan_csv(rows)


def plan_csv(rows: dict[str, list]) -> bytes:
    """Sheet rows (as :func:`plan_rows` gives them) as the one-file CSV layout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record, sheet in RECORDS.items():
        for row in rows.get(sheet, []):
            writer.writerow(
                [record, *(neutralise_cell(as_text(row.get(c)) or "") for c in CSV_COLUMNS[1:])]
            )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
