"""Editing a plan's actions in the app: every save checked against the version it was read at,
every change written to the audit log with the record before and after.

Two people editing the same action: each form carries the ``version`` it was opened at. A save
updates the row only while the stored version is still that one (``UPDATE ... WHERE id = ? AND
version = ?``), so the second save finds no row, nothing is overwritten, and the caller gets an
:class:`EditConflict` naming who changed what in between.

Audit rows for an action's own record use ``table_name = 'action'`` and ``record_id = '<id>'``;
rows for records that belong to an action (targets, notes) use their own table and
``record_id = '<action id>/<record id>'``, so an action's whole history is one query.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, delete, insert, or_, select, update

from ecm.access.accounts import Account
from ecm.access.rights import may_edit_plan, require
from ecm.figures import queries
from ecm.plan.refs import next_ref
from ecm.store.audit import write_audit
from ecm.store.models import (
    ACTION_STATUSES,
    Action,
    ActionNote,
    ActionTarget,
    AuditLog,
    Plan,
    action_status_words,
)

SCOPES = ("whole_area", "locality", "schools")
#: The fields of an action a person can edit in the app.
EDITABLE = (
    "title",
    "description",
    "outcome_code",
    "lead_partner",
    "contributing_partners",
    "status",
    "start_date",
    "due_date",
    "scope",
    "scope_detail",
)
TARGET_FIELDS = (
    "indicator_code",
    "group_code",
    "baseline_period",
    "baseline_gap",
    "target_gap",
    "baseline_value",
    "target_value",
    "target_period",
)


class EditError(ValueError):
    """An edit that cannot be saved as it stands (a missing title, due before start, ...)."""


@dataclass
class EditConflict(Exception):
    """Someone else saved the action after it was opened: their change, so nobody's is lost."""

    action_id: int
    opened_version: int
    current: dict
    changed_by: str | None
    changed_at: dt.datetime | None
    changes: dict[str, tuple[object, object]]

    def __str__(self) -> str:
        who = self.changed_by or "someone"
        when = f" at {self.changed_at:%H:%M on %d %b %Y}" if self.changed_at else ""
        fields = "; ".join(
            f"{name.replace('_', ' ')}: {_words(before)} → {_words(after)}"
            for name, (before, after) in self.changes.items()
        )
        return (
            f"Not saved: {who} changed this action{when}, after you opened it"
            f"{' (' + fields + ')' if fields else ''}. Your changes are still in the form: "
            "reload the action to see theirs, then make yours again."
        )


#: The longest text each field holds (the columns' sizes), and an editor's name.
MAX_LENGTHS = {"title": 300, "lead_partner": 100, "scope_detail": 200, "outcome_code": 40}
MAX_NAME = 100


def _words(value: object) -> str:
    """A field's value as people read it: statuses in words, empty as "none"."""
    if value in (None, ""):
        return "none"
    return action_status_words(str(value))


def _check_name(user: str) -> None:
    if not (user or "").strip():
        raise EditError("Write your name: every change is recorded with it.")
    if len(user) > MAX_NAME:
        raise EditError(f"A name can be at most {MAX_NAME} characters.")


def _allowed(  # noqa: ANN001 (a SQLAlchemy connection)
    connection, editor: Account, action_id: int | None = None, plan_id: int | None = None
) -> str:
    """``editor``'s username, the name the change is recorded under, once it is sure they may
    change the plan (``plan_id``, or the one holding ``action_id``): checked here, in the
    change's own transaction, whatever page or command asked. Raises
    :class:`ecm.access.rights.NotAllowed` (nothing changed) or :class:`EditError` when there is
    no such plan or action."""
    _check_name(editor.username)
    if action_id is not None:
        query = select(Plan.la_code).join(Action, Action.plan_id == Plan.id)
        la_code = connection.scalar(query.where(Action.id == action_id))
        missing = f"There is no action {action_id}."
    else:
        la_code = connection.scalar(select(Plan.la_code).where(Plan.id == plan_id))
        missing = f"There is no plan {plan_id}."
    if la_code is None:
        raise EditError(missing)
    require(may_edit_plan(editor, la_code), "change this authority's plan; nothing was saved")
    return editor.username


def _record(row: object | None, fields: tuple[str, ...]) -> dict | None:
    """A row as a JSON-friendly dict of ``fields`` (dates as ISO text)."""
    if row is None:
        return None
    mapping = row._mapping  # type: ignore[attr-defined]
    return {name: _plain(mapping[name]) for name in fields if name in mapping}


def _plain(value: object) -> object:
    """Dates as ISO text and decimals as floats, so records compare and serialise alike."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is not None and type(value).__name__ == "Decimal":
        return float(value)  # type: ignore[arg-type]
    return value


def _checked(fields: dict) -> dict:
    """The editable fields, tidied (empty text to None) and checked; raises EditError."""
    values = {name: fields[name] for name in EDITABLE if name in fields}
    for name, value in list(values.items()):
        if isinstance(value, str):
            values[name] = value.strip() or None
    for name, most in MAX_LENGTHS.items():
        if isinstance(values.get(name), str) and len(values[name]) > most:
            raise EditError(f"The {name.replace('_', ' ')} can be at most {most} characters.")
    if "title" in values and not values["title"]:
        raise EditError("An action needs a title.")
    if "lead_partner" in values and not values["lead_partner"]:
        raise EditError("An action needs a lead partner.")
    if "status" in values and values["status"] not in ACTION_STATUSES:
        raise EditError(f"Status must be one of {', '.join(ACTION_STATUSES)}.")
    if "scope" in values and values["scope"] not in SCOPES:
        raise EditError(f"Scope must be one of {', '.join(SCOPES)}.")
    start, due = values.get("start_date"), values.get("due_date")
    if start and due and due < start:
        raise EditError("The due date is before the start date.")
    return values


def plan_la(engine: Engine, plan_id: int) -> str | None:
    """The LA (ONS code) whose plan ``plan_id`` is; None when there is no such plan."""
    with engine.connect() as connection:
        return connection.scalar(select(Plan.la_code).where(Plan.id == plan_id))


def load_action(engine: Engine, action_id: int) -> dict | None:
    """An action as a form opens it: its editable fields, ``plan_id``, ``version``, and who
    saved it last and when; None when there is no such action."""
    with engine.connect() as connection:
        row = connection.execute(select(Action).where(Action.id == action_id)).first()
    if row is None:
        return None
    mapping = row._mapping
    return {
        "id": int(mapping["id"]),
        "plan_id": int(mapping["plan_id"]),
        **{name: mapping[name] for name in EDITABLE},
        "version": int(mapping["version"]),
        "updated_by": mapping["updated_by"],
        "updated_at": mapping["updated_at"],
    }


def create_action(engine: Engine, plan_id: int, fields: dict, editor: Account) -> int:
    """Add an action to a plan for ``editor``; returns its id. The insert is audited."""
    values = _checked(fields)
    for required in ("title", "outcome_code", "lead_partner", "status"):
        if not values.get(required):
            raise EditError(f"An action needs {required.replace('_', ' ')}.")
    values.setdefault("scope", "whole_area")
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        user = _allowed(connection, editor, plan_id=plan_id)
        ref = next_ref(connection.scalars(select(Action.ref).where(Action.plan_id == plan_id)))
        action_id = connection.execute(
            insert(Action)
            .values(plan_id=plan_id, ref=ref, version=1, updated_at=now, updated_by=user, **values)
            .returning(Action.id)
        ).scalar_one()
        after = _record(
            connection.execute(select(Action).where(Action.id == action_id)).first(), EDITABLE
        )
        write_audit(connection, user, "action", str(action_id), "insert", None, after)
    return int(action_id)


def save_action(
    engine: Engine, action_id: int, fields: dict, opened_version: int, editor: Account
) -> int:
    """Save edits to an action opened at ``opened_version``; returns the version now stored.

    Raises :class:`EditConflict` (and changes nothing) when the action was saved by someone
    else since it was opened, and :class:`EditError` when the edit is not valid. A save that
    changes nothing writes nothing (no new version, no audit row).
    """
    values = _checked(fields)
    with engine.begin() as connection:
        user = _allowed(connection, editor, action_id=action_id)
        before_row = connection.execute(select(Action).where(Action.id == action_id)).first()
        if before_row is None:
            raise EditError(f"There is no action {action_id}.")
        if before_row.version != opened_version:
            raise _conflict(connection, action_id, opened_version)
        before = _record(before_row, EDITABLE)
        changed = {k: _plain(v) for k, v in values.items() if before.get(k) != _plain(v)}
        if not changed:
            return opened_version
        result = connection.execute(
            update(Action)
            .where(Action.id == action_id, Action.version == opened_version)
            .values(
                version=Action.version + 1,
                updated_at=dt.datetime.now(dt.UTC),
                updated_by=user,
                **values,
            )
        )
        if result.rowcount != 1:  # another save landed between our read and our update
            raise _conflict(connection, action_id, opened_version)
        write_audit(
            connection,
            user,
            "action",
            str(action_id),
            "update",
            {"version": opened_version, **{k: before[k] for k in changed}},
            {"version": opened_version + 1, **changed},
        )
        return opened_version + 1


def _conflict(connection, action_id: int, opened_version: int) -> EditConflict:  # noqa: ANN001
    """The conflict for a save from an out-of-date copy: every audited change to the action
    since ``opened_version`` (each field's value then and now) and who made them."""
    current_row = connection.execute(select(Action).where(Action.id == action_id)).first()
    rows = connection.execute(
        select(AuditLog.user_name, AuditLog.before, AuditLog.after)
        .where(
            AuditLog.table_name == "action",
            AuditLog.record_id == str(action_id),
            AuditLog.change == "update",
        )
        .order_by(AuditLog.id)
    ).all()
    changes: dict[str, tuple[object, object]] = {}
    editors: list[str] = []
    for user_name, before_text, after_text in rows:
        before, after = json.loads(before_text or "{}"), json.loads(after_text or "{}")
        if after.get("version", 0) <= opened_version:
            continue
        editors.append(user_name)
        for name, value in after.items():
            if name != "version":
                changes[name] = (changes.get(name, (before.get(name),))[0], value)
    mapping = current_row._mapping
    return EditConflict(
        action_id=action_id,
        opened_version=opened_version,
        current=_record(current_row, EDITABLE) or {},
        changed_by=", ".join(dict.fromkeys(editors)) or mapping["updated_by"],
        changed_at=mapping["updated_at"],
        changes=changes,
    )


def _locked(connection, action_id: int) -> int | None:  # noqa: ANN001
    """The action's id, its row locked until the change commits (on PostgreSQL): a plan
    import holds the same lock, so a note or target change waits for it and then applies to
    the plan as imported, never between the import's reading and its writing."""
    return connection.scalar(select(Action.id).where(Action.id == action_id).with_for_update())


def add_note(engine: Engine, action_id: int, note: str, editor: Account) -> int:
    """Record a dated progress note on an action; returns the note's id."""
    text = (note or "").strip()
    if not text:
        raise EditError("A progress note needs some text.")
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        if _locked(connection, action_id) is None:
            raise EditError(f"There is no action {action_id}.")
        user = _allowed(connection, editor, action_id=action_id)
        note_id = connection.execute(
            insert(ActionNote)
            .values(action_id=action_id, written_at=now, author=user, note=text)
            .returning(ActionNote.id)
        ).scalar_one()
        write_audit(
            connection, user, "action_note", f"{action_id}/{note_id}", "insert", None,
            {"note": text},
        )  # fmt: skip
    return int(note_id)


def link_target(engine: Engine, action_id: int, target: dict, editor: Account) -> int:
    """Link an action to a gap (indicator and focus group, with baseline and target) or, for
    the ``all`` group, to a value; returns the target's id."""
    from ecm.plan.io.checks import check_one_target
    from ecm.plan.io.layout import reference_lists

    if not target.get("indicator_code") or not target.get("group_code"):
        raise EditError("A target needs an indicator and a pupil group.")
    # The checks of a plan file's Targets line: a link made here exports and imports again.
    values, problems = check_one_target(
        {name: target.get(name) for name in TARGET_FIELDS}, reference_lists(engine)
    )
    if problems:
        raise EditError("The target was not linked: " + "; ".join(problems) + ".")
    with engine.begin() as connection:
        if _locked(connection, action_id) is None:
            raise EditError(f"There is no action {action_id}.")
        user = _allowed(connection, editor, action_id=action_id)
        target_id = connection.execute(
            insert(ActionTarget).values(action_id=action_id, **values).returning(ActionTarget.id)
        ).scalar_one()
        write_audit(
            connection, user, "action_target", f"{action_id}/{target_id}", "insert", None,
            {k: _plain(v) for k, v in values.items()},
        )  # fmt: skip
    return int(target_id)


def unlink_target(engine: Engine, action_id: int, target_id: int, editor: Account) -> None:
    """Remove one of an action's targets (audited with the target as it was)."""
    with engine.begin() as connection:
        _locked(connection, action_id)
        user = _allowed(connection, editor, action_id=action_id)
        row = connection.execute(
            select(ActionTarget).where(
                ActionTarget.id == target_id, ActionTarget.action_id == action_id
            )
        ).first()
        if row is None:
            raise EditError(f"Action {action_id} has no target {target_id}.")
        connection.execute(delete(ActionTarget).where(ActionTarget.id == target_id))
        write_audit(
            connection, user, "action_target", f"{action_id}/{target_id}", "delete",
            _record(row, TARGET_FIELDS), None,
        )  # fmt: skip


def action_history(engine: Engine, action_id: int) -> pd.DataFrame:
    """Every audited change to an action, its targets and its notes, newest first: when, who,
    what (record and change), before and after (as dicts)."""
    statement = (
        select(
            AuditLog.changed_at,
            AuditLog.user_name,
            AuditLog.table_name,
            AuditLog.change,
            AuditLog.before,
            AuditLog.after,
        )
        .where(
            or_(
                (AuditLog.table_name == "action") & (AuditLog.record_id == str(action_id)),
                AuditLog.table_name.in_(("action_target", "action_note"))
                & AuditLog.record_id.like(f"{action_id}/%"),
            )
        )
        .order_by(AuditLog.id.desc())
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
        la_code = connection.scalar(
            select(Plan.la_code)
            .join(Action, Action.plan_id == Plan.id)
            .where(Action.id == action_id)
        )
    records = [
        (*row[:4], *(_shown(row[2], json.loads(text), la_code) if text else None
                     for text in row[4:]))
        for row in rows
    ]  # fmt: skip
    return pd.DataFrame(
        records, columns=["changed_at", "user_name", "table_name", "change", "before", "after"]
    )


#: What a history says in place of a target's numbers held back from the viewer.
HELD_BACK = "held back (a figure not published by place)"


def _shown(table: str, record: dict, la_code: str | None) -> dict:
    """An audited record as the viewer may read it: the numbers of targets on restricted
    indicators held back outside their remit, as on the Plan page and in the plan file
    (:func:`ecm.figures.queries.target_numbers_held_back`); a plan import's targets, written
    in words, held back whole when they name such an indicator."""
    if la_code is None or not isinstance(record, dict):
        return record
    if table == "action_target" and queries.target_numbers_held_back(
        la_code, str(record.get("indicator_code"))
    ):
        return {k: HELD_BACK if k in queries.TARGET_NUMBERS else v for k, v in record.items()}
    words = record.get("targets")
    if table == "action" and isinstance(words, str):
        named = set(re.findall(r"[a-z]+_[a-z0-9_]+", words))
        if any(queries.target_numbers_held_back(la_code, code) for code in named):
            return {**record, "targets": HELD_BACK}
    return record


def load_notes(engine: Engine, action_id: int) -> pd.DataFrame:
    """An action's progress notes, newest first: written_at, author, note."""
    statement = (
        select(ActionNote.written_at, ActionNote.author, ActionNote.note)
        .where(ActionNote.action_id == action_id)
        .order_by(ActionNote.written_at.desc(), ActionNote.id.desc())
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return pd.DataFrame(rows, columns=["written_at", "author", "note"])
