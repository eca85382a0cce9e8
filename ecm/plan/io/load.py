"""Loading a checked plan file into the store: :func:`import_plan` loads the file over the LA's
plan for its period in one transaction. The plan row is kept; an action the file names by the
ref it already has is updated in place (keeping its progress notes and history), new refs
add actions and actions the file no longer lists are removed. One audit-log row says who
loaded which file over what, with the plan as it was kept whole in it, and each action the
file adds or changes gets its own row in that action's history."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update

from ecm.access.accounts import Account
from ecm.access.rights import may_edit_plan, require
from ecm.errors import DataError, DataProblem
from ecm.figures import queries
from ecm.plan.io.export import plan_rows
from ecm.plan.io.layout import NoPlan, ParsedPlan, PlanImportSummary
from ecm.plan.io.read import read_plan
from ecm.store.audit import write_audit
from ecm.store.models import (
    Action,
    ActionNote,
    ActionSchool,
    ActionSpend,
    ActionTarget,
    Plan,
    Priority,
)

#: The numbers of the audit log's summary that an import's summary repeats.
_COUNTS = ("priorities", "actions", "targets", "spend_lines", "total_spend", "schools")


def import_plan(
    engine: Engine,
    source: str | Path | bytes,
    la_code: str,
    editor: Account,
    file_name: str | None = None,
) -> PlanImportSummary:
    """Check a plan file and load it for an LA (ONS code or number), all or nothing.

    A rejected file (:class:`DataError`, every problem listed) changes nothing. A good one
    is loaded over the LA's plan with the same period label in one transaction: the plan row
    is updated in place and its priorities are made afresh from the distinct (outcome,
    priority) pairs of the actions, numbered in the order they first appear. Each action of
    the file whose ref an action of the plan already has updates that action (a new version
    when anything differs, its notes kept); other refs add actions; actions of the plan the
    file does not list are removed with their notes. One audit-log row (table ``plan``,
    change ``import``) names the editor's username and holds a summary of the plan as it was
    (or null), the whole of it, and the plan loaded, with the file's name and SHA-256
    checksum. Raises :class:`ecm.figures.queries.UnknownArea` for an LA the store does not hold, and
    :class:`ecm.access.rights.NotAllowed` (before the file is read) when ``editor`` may not
    change the LA's plan.
    """
    la = queries.resolve_area(engine, "la", la_code)
    require(may_edit_plan(editor, la["code"]), "change this authority's plan; nothing changed")
    user = editor.username
    parsed = read_plan(source, file_name, engine=engine, la_code=la["code"])
    now = dt.datetime.now(dt.UTC)
    replaced = _replaced_record(engine, la["code"], parsed.plan["period_label"])
    with engine.begin() as connection:
        # The plan row locked (on PostgreSQL) for the whole import: two imports of one plan
        # run one after the other, never both adding the same refs.
        plan_id = connection.scalar(
            select(Plan.id)
            .where(Plan.la_code == la["code"], Plan.period_label == parsed.plan["period_label"])
            .with_for_update()
        )
        before = _plan_summary(connection, plan_id) if plan_id is not None else None
        if before is not None and replaced is not None:
            # The whole plan replaced, with its progress notes, so the record keeps it all.
            before["replaced"] = replaced
        # Locked (on PostgreSQL) until the import commits, so an edit saved meanwhile waits
        # and then meets the new version; the updates below check the version as well.
        stored = connection.execute(
            select(Action).where(Action.plan_id == plan_id).with_for_update()
        ).all()
        existing = {row.ref: row for row in reversed(stored) if row.ref}  # first of a ref wins
        old_priorities = list(
            connection.scalars(select(Priority.id).where(Priority.plan_id == plan_id))
        )
        plan_id = _write_plan_row(connection, la["code"], parsed.plan, plan_id)
        # New actions go in before removed ones go, so no new action takes the id (and with
        # it the audit history) of one that is being removed.
        outcome = _write_actions(connection, int(plan_id), parsed, existing, user, now)
        listed = set(parsed.actions["ref"])
        removed = [r for r in stored if r.ref not in listed or existing[r.ref] is not r]
        for row in removed:
            _refuse_if_changed(connection, parsed.file_name, row)
        removed = [r.id for r in removed]
        _delete_records(connection, removed, old_priorities)
        after = _plan_summary(connection, plan_id)
        after.update(file_name=parsed.file_name, format=parsed.format, checksum=parsed.checksum)
        _audit(connection, user, now, "plan", plan_id, "import", before, after)
    return PlanImportSummary(
        la_code=la["code"],
        la_name=la["name"],
        plan_id=int(plan_id),
        title=parsed.plan["title"],
        period_label=parsed.plan["period_label"],
        replaced=before is not None,
        file_name=parsed.file_name,
        checksum=parsed.checksum,
        **{name: after[name] for name in _COUNTS},
        **outcome,
        removed=len(removed),
    )


def _write_plan_row(connection: Connection, la_code: str, plan: dict, plan_id: int | None) -> int:
    """The plan row with the file's fields: ``plan_id`` updated, or a new one; its id."""
    if plan_id is None:
        return connection.execute(
            insert(Plan).values(la_code=la_code, **plan).returning(Plan.id)
        ).scalar_one()
    connection.execute(update(Plan).where(Plan.id == plan_id).values(**plan))
    return plan_id


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


#: An action's rows in the other sheets, by store table, and how they are read from the file.
_CHILDREN = {"schools": ActionSchool, "targets": ActionTarget, "spend": ActionSpend}


def _write_actions(
    connection: Connection,
    plan_id: int,
    parsed: ParsedPlan,
    existing: dict[str | None, Row],
    user: str,
    now: dt.datetime,
) -> dict[str, int]:
    """The file's priorities and actions under ``plan_id``: an action whose ref is in
    ``existing`` (the plan's actions by ref) updated in place when anything differs, others
    added; their school lists, targets and spend as the file has them. Returns how many
    actions were updated, unchanged and added."""
    priorities: dict[tuple[str, str], int] = {}
    counts = {"updated": 0, "unchanged": 0, "added": 0}
    children = {
        name: _by_ref(getattr(parsed, name)) for name in _CHILDREN
    }  # fmt: skip
    for action in parsed.actions.to_dict("records"):
        key = (action["outcome_code"], action["priority"])
        if action["priority"] and key not in priorities:
            priorities[key] = connection.execute(
                insert(Priority)
                .values(plan_id=plan_id, outcome_code=key[0], title=key[1],
                        position=len(priorities) + 1)
                .returning(Priority.id)
            ).scalar_one()  # fmt: skip
        ref = action["ref"]
        fields = {k: v for k, v in action.items() if k not in ("ref", "priority")}
        fields["priority_id"] = priorities.get(key)
        rows = {name: rows.get(ref, []) for name, rows in children.items()}
        old = existing.get(ref)
        if old is None:
            action_id = connection.execute(
                insert(Action)
                .values(plan_id=plan_id, ref=ref, version=1, updated_at=now, updated_by=user,
                        **fields)
                .returning(Action.id)
            ).scalar_one()  # fmt: skip
            _insert_children(connection, action_id, rows)
            # The whole new action, as a change would show it, so its history starts complete.
            after = {
                "version": 1,
                **{k: _plain(v) for k, v in fields.items() if k != "priority_id"},
                "priority": _plain(action["priority"]),
                **{name: _in_words(name, rows[name]) for name in _CHILDREN if rows[name]},
            }
            _audit(connection, user, now, "action", action_id, "insert", None, after)
            counts["added"] += 1
            continue
        before = _children_of(connection, old.id)
        # Priorities are made afresh (new ids), so an action's priority is compared by title.
        before["priority"] = connection.scalar(
            select(Priority.title).where(Priority.id == old.priority_id)
        )
        changed = {
            k: _plain(v)
            for k, v in fields.items()
            if k != "priority_id" and _plain(getattr(old, k)) != _plain(v)
        }
        if _plain(before["priority"]) != _plain(action["priority"]):
            changed["priority"] = _plain(action["priority"])
        changed.update(
            {
                name: _in_words(name, rows[name])
                for name in _CHILDREN
                if _rows_key(before[name]) != _rows_key(rows[name])
            }
        )
        if not changed:
            # Even an unchanged action moves to its priority's new row.
            connection.execute(
                update(Action).where(Action.id == old.id).values(priority_id=fields["priority_id"])
            )
            counts["unchanged"] += 1
            continue
        saved = connection.execute(
            update(Action)
            .where(Action.id == old.id, Action.version == old.version)
            .values(version=old.version + 1, updated_at=now, updated_by=user, **fields)
        )
        if saved.rowcount != 1:
            _refuse_if_changed(connection, parsed.file_name, old)
        for name, model in _CHILDREN.items():
            if name in changed:
                connection.execute(delete(model).where(model.action_id == old.id))
                _insert_children(connection, old.id, {name: rows[name]})
        was = {
            k: _in_words(k, before[k])
            if k in _CHILDREN
            else _plain(before[k] if k == "priority" else getattr(old, k))
            for k in changed
        }
        _audit(
            connection, user, now, "action", old.id, "import",
            {"version": old.version, **was}, {"version": old.version + 1, **changed},
        )  # fmt: skip
        counts["updated"] += 1
    return counts


def _refuse_if_changed(connection: Connection, file_name: str, read: Row) -> None:
    """Refuse the whole import (rolled back) when the action ``read`` at the start has been
    saved by someone else since: the file would silently overwrite their change."""
    now = connection.execute(
        select(Action.version, Action.updated_by).where(Action.id == read.id)
    ).first()
    if now is not None and now.version == read.version:
        return
    who = f"{now.updated_by} saved" if now is not None else "someone removed"
    raise DataError(
        [
            DataProblem(
                file_name,
                None,
                None,
                f"action {read.ref or read.id} ({read.title}) changed while the file was "
                f"being loaded ({who} it); nothing was imported, so no change is lost. "
                "Import the file again to load it over the action as it is now.",
            )
        ]
    )


def _by_ref(frame) -> dict[str, list[dict]]:  # noqa: ANN001
    """A sheet's rows grouped by the ref of their action (the ref itself left out)."""
    grouped: dict[str, list[dict]] = {}
    for record in frame.to_dict("records"):
        grouped.setdefault(record.pop("ref"), []).append(record)
    return grouped


def _insert_children(connection: Connection, action_id: int, rows: dict[str, list[dict]]) -> None:
    for name, records in rows.items():
        if records:
            connection.execute(
                insert(_CHILDREN[name]), [{"action_id": action_id, **r} for r in records]
            )


def _children_of(connection: Connection, action_id: int) -> dict[str, list[dict]]:
    """The action's stored school list, targets and spend, in the file's columns."""
    stored = {}
    for name, model in _CHILDREN.items():
        columns = [c for c in model.__table__.columns.keys() if c not in ("id", "action_id")]
        rows = connection.execute(
            select(*(model.__table__.c[c] for c in columns)).where(model.action_id == action_id)
        ).all()
        stored[name] = [dict(zip(columns, r, strict=True)) for r in rows]
    return stored


def _in_words(name: str, rows: list[dict]) -> str:
    """An action's school list, targets or spend in a few words, for its history."""
    if name == "schools":
        return f"{len(rows)} schools"
    if name == "spend":
        total = sum(float(r["amount"]) for r in rows)
        return f"{len(rows)} lines, £{total:,.2f}"
    words = []
    for t in rows:
        gap = _plain(t.get("target_gap")) is not None or _plain(t.get("baseline_gap")) is not None
        start = _plain(t.get("baseline_gap" if gap else "baseline_value"))
        end = _plain(t.get("target_gap" if gap else "target_value"))
        words.append(
            f"{t['indicator_code']} {t['group_code']} {start} → {end} by {t.get('target_period')}"
        )
    return "; ".join(words) or "none"


def _rows_key(rows: list[dict]) -> tuple:
    """Rows as a sorted tuple of their non-empty values, so stored and file rows compare."""
    return tuple(
        sorted(
            tuple(sorted((k, _plain(v)) for k, v in r.items() if _plain(v) is not None))
            for r in rows
        )
    )


def _plain(value: object) -> object:
    """A value as stored and as read compare alike: dates as ISO text, numbers as floats,
    blanks (None, NaN, "") as None."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


def _audit(
    connection: Connection,
    user: str,
    now: dt.datetime,
    table: str,
    record_id: int,
    change: str,
    before: dict | None,
    after: dict,
) -> None:
    """One audit-log row for what the import did: to the plan, or to one action (a row of
    that action's history)."""
    write_audit(connection, user, table, str(record_id), change, before, after, at=now)


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

    def of_actions(model: type) -> int:
        return count(model, model.action_id.in_(actions))

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
        "targets": of_actions(ActionTarget),
        "spend_lines": of_actions(ActionSpend),
        "total_spend": float(total),
        "schools": of_actions(ActionSchool),
        "notes": of_actions(ActionNote),
    }
