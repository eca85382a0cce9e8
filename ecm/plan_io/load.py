"""Loading a checked plan file into the store: :func:`import_plan` replaces the LA's plan for
the file's period in one transaction (the plan row kept, its priorities, actions, school
lists, targets, spend and progress notes replaced) and writes one audit-log row saying who
loaded which file over what, with the replaced plan kept whole in it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from ecm import queries
from ecm.models import (
    Action,
    ActionNote,
    ActionSchool,
    ActionSpend,
    ActionTarget,
    AuditLog,
    Plan,
    Priority,
)
from ecm.plan_io.export import plan_rows
from ecm.plan_io.layout import NoPlan, ParsedPlan, PlanImportSummary
from ecm.plan_io.read import read_plan

#: The numbers of the audit log's summary that an import's summary repeats.
_COUNTS = ("priorities", "actions", "targets", "spend_lines", "total_spend", "schools")


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
        plan_id = _write_plan_row(connection, la["code"], parsed.plan, plan_id)
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
        file_name=parsed.file_name,
        checksum=parsed.checksum,
        **{name: after[name] for name in _COUNTS},
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
