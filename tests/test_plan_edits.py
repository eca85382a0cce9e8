"""Editing plan actions: the version check that refuses a second save, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ecm.access.accounts import Account
from ecm.access.rights import NotAllowed, operator
from ecm.demo.build import build_demo
from ecm.plan.edits import (
    EditConflict,
    EditError,
    action_history,
    add_note,
    create_action,
    link_target,
    load_action,
    load_notes,
    save_action,
    unlink_target,
)
from ecm.store.models import Action, AuditLog, Plan


@pytest.fixture
def plan_engine(engine):  # noqa: ANN001, ANN201
    """A writable store holding the tiny demo and its plans."""
    build_demo(engine, scale="tiny", seed=7)
    return engine


def first_action(engine) -> dict:  # noqa: ANN001
    with engine.connect() as connection:
        action_id = connection.scalar(select(func.min(Action.id)))
    return load_action(engine, action_id)


def test_a_save_bumps_the_version_and_is_audited_with_before_and_after(plan_engine) -> None:
    action = first_action(plan_engine)
    version = save_action(
        plan_engine,
        action["id"],
        {"status": "at_risk", "title": "New title"},
        1,
        operator("Ann Analyst"),
    )
    assert version == 2
    saved = load_action(plan_engine, action["id"])
    assert (saved["status"], saved["title"], saved["version"]) == ("at_risk", "New title", 2)
    assert saved["updated_by"] == "Ann Analyst"
    history = action_history(plan_engine, action["id"])
    assert len(history) == 1
    row = history.iloc[0]
    assert (row["user_name"], row["table_name"], row["change"]) == (
        "Ann Analyst",
        "action",
        "update",
    )
    assert row["after"] == {"version": 2, "status": "at_risk", "title": "New title"}
    assert row["before"] == {"version": 1, "status": action["status"], "title": action["title"]}


def test_the_second_of_two_saves_from_the_same_version_is_refused_and_changes_nothing(
    plan_engine,
) -> None:
    action = first_action(plan_engine)
    theirs = "off_track" if action["status"] != "off_track" else "at_risk"
    save_action(plan_engine, action["id"], {"status": theirs}, 1, operator("Board member A"))
    with pytest.raises(EditConflict) as raised:
        save_action(
            plan_engine, action["id"], {"status": "complete"}, 1, operator("Board member B")
        )
    conflict = raised.value
    assert conflict.changed_by == "Board member A"
    assert conflict.changes == {"status": (action["status"], theirs)}
    assert "Board member A changed this action" in str(conflict)
    words = (action["status"].replace("_", " "), theirs.replace("_", " "))
    assert f"status: {words[0]} → {words[1]}" in str(conflict)
    stored = load_action(plan_engine, action["id"])
    assert (stored["status"], stored["version"]) == (theirs, 2)
    # Only the first save reached the audit log.
    assert list(action_history(plan_engine, action["id"])["user_name"]) == ["Board member A"]


def test_a_conflict_lists_every_change_since_the_version_opened(plan_engine) -> None:
    action = first_action(plan_engine)
    save_action(plan_engine, action["id"], {"title": "First"}, 1, operator("Ann"))
    save_action(
        plan_engine, action["id"], {"title": "Second", "scope_detail": "North"}, 2, operator("Bob")
    )
    with pytest.raises(EditConflict) as raised:
        save_action(plan_engine, action["id"], {"status": "complete"}, 1, operator("Cy"))
    assert raised.value.changed_by == "Ann, Bob"
    assert raised.value.changes == {
        "title": (action["title"], "Second"),
        "scope_detail": (action["scope_detail"], "North"),
    }
    # Opened at version 2, only Bob's change is news.
    with pytest.raises(EditConflict) as raised:
        save_action(plan_engine, action["id"], {"status": "complete"}, 2, operator("Cy"))
    assert raised.value.changed_by == "Bob"
    assert set(raised.value.changes) == {"title", "scope_detail"}
    assert raised.value.changes["title"] == ("First", "Second")


def test_a_save_that_changes_nothing_writes_nothing(plan_engine) -> None:
    action = first_action(plan_engine)
    assert (
        save_action(plan_engine, action["id"], {"status": action["status"]}, 1, operator("Ann"))
        == 1
    )
    assert load_action(plan_engine, action["id"])["version"] == 1
    assert action_history(plan_engine, action["id"]).empty


def test_names_and_titles_longer_than_the_store_holds_are_refused(plan_engine) -> None:
    action = first_action(plan_engine)
    with pytest.raises(EditError, match="title can be at most 300"):
        save_action(plan_engine, action["id"], {"title": "x" * 301}, 1, operator("Ann"))
    with pytest.raises(EditError, match="name can be at most 100"):
        save_action(plan_engine, action["id"], {"title": "ok"}, 1, operator("n" * 101))
    with pytest.raises(EditError, match="Write your name"):
        add_note(plan_engine, action["id"], "A note", operator(" "))
    assert load_action(plan_engine, action["id"])["version"] == 1


def test_an_invalid_edit_is_refused_before_anything_is_written(plan_engine) -> None:
    action = first_action(plan_engine)
    with pytest.raises(EditError, match="due date is before the start"):
        save_action(
            plan_engine,
            action["id"],
            {"start_date": dt.date(2009, 4, 1), "due_date": dt.date(2009, 3, 1)},
            1,
            operator("x"),
        )
    with pytest.raises(EditError, match="Status must be one of"):
        save_action(plan_engine, action["id"], {"status": "done"}, 1, operator("x"))
    with pytest.raises(EditError, match="needs a title"):
        save_action(plan_engine, action["id"], {"title": "  "}, 1, operator("x"))
    assert load_action(plan_engine, action["id"])["version"] == 1
    with plan_engine.connect() as connection:
        written = (
            select(func.count()).select_from(AuditLog).where(AuditLog.table_name != "app_user")
        )
        assert connection.scalar(written) == 0  # (the demo build records its demo accounts)


def test_new_actions_notes_and_targets_make_one_history_newest_first(plan_engine) -> None:
    with plan_engine.connect() as connection:
        plan_id = connection.scalar(select(func.min(Plan.id)))
    action_id = create_action(
        plan_engine,
        plan_id,
        {
            "title": "Summer reading challenge",
            "outcome_code": "enjoy_achieve",
            "lead_partner": "LA children's services",
            "status": "not_started",
        },
        operator("Ann Analyst"),
    )
    target_id = link_target(
        plan_engine,
        action_id,
        {
            "indicator_code": "ni_73",
            "group_code": "disadvantaged",
            "baseline_period": "2007/08",
            "baseline_gap": 20.0,
            "target_gap": 15.0,
            "target_period": "2010/11",
        },
        operator("Ann Analyst"),
    )
    with plan_engine.connect() as connection:
        refs = list(connection.scalars(select(Action.ref).where(Action.plan_id == plan_id)))
        ref = connection.scalar(select(Action.ref).where(Action.id == action_id))
    # The new action's ref follows the plan's others, so a file of the plan names it too.
    assert ref == f"A{len(refs)}" and len(set(refs)) == len(refs)
    add_note(plan_engine, action_id, "Libraries signed up 12 schools.", operator("Bob Board"))
    unlink_target(plan_engine, action_id, target_id, operator("Bob Board"))
    history = action_history(plan_engine, action_id)
    assert list(zip(history["table_name"], history["change"], strict=True)) == [
        ("action_target", "delete"),
        ("action_note", "insert"),
        ("action_target", "insert"),
        ("action", "insert"),
    ]
    assert history.iloc[0]["before"]["target_gap"] == 15.0
    assert history.iloc[3]["after"]["title"] == "Summer reading challenge"
    notes = load_notes(plan_engine, action_id)
    assert list(notes["note"]) == ["Libraries signed up 12 schools."]
    assert list(notes["author"]) == ["Bob Board"]
    # Another action's history is not mixed in (ids sharing a prefix, like 1 and 10).
    other = first_action(plan_engine)["id"]
    assert action_history(plan_engine, other).empty


def test_an_empty_note_and_a_target_without_indicator_are_refused(plan_engine) -> None:
    action = first_action(plan_engine)
    with pytest.raises(EditError, match="needs some text"):
        add_note(plan_engine, action["id"], "   ", operator("x"))
    with pytest.raises(EditError, match="indicator and a pupil group"):
        link_target(plan_engine, action["id"], {"indicator_code": "ni_73"}, operator("x"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target_period": "2007/08"}, "target period: 2007/08 is not after the baseline period"),
        ({"target_period": "next year"}, "target period: write a period as 2007/08"),
        ({"target_gap": None}, "target gap: a baseline gap needs a target gap"),
        ({"baseline_value": 60}, "baseline value: a target for a focus group is a gap"),
        ({"group_code": "not_disadvantaged"}, "is the comparator of disadvantaged"),
    ],
)
def test_a_target_linked_in_the_app_meets_the_plan_files_checks(
    plan_engine, change: dict, message: str
) -> None:
    """A target the app links must export and import again: the Targets sheet's checks."""
    action = first_action(plan_engine)
    good = {"indicator_code": "ni_73", "group_code": "disadvantaged",
            "baseline_period": "2008/09", "baseline_gap": 21.5, "target_gap": 15.0,
            "target_period": "2010/11"}  # fmt: skip
    with plan_engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AuditLog))
    with pytest.raises(EditError, match="The target was not linked") as refused:
        link_target(plan_engine, action["id"], {**good, **change}, operator("Ann Analyst"))
    assert message in str(refused.value)
    with plan_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditLog)) == before
    target_id = link_target(plan_engine, action["id"], good, operator("Ann Analyst"))
    from ecm.store.models import ActionTarget

    with plan_engine.connect() as connection:
        stored = connection.execute(select(ActionTarget).where(ActionTarget.id == target_id)).one()
    assert (stored.action_id, stored.indicator_code, stored.group_code) == (
        action["id"], "ni_73", "disadvantaged",
    )  # fmt: skip
    assert (stored.baseline_period, stored.baseline_gap, stored.target_gap) == (
        "2008/09", 21.5, 15.0,
    )  # fmt: skip
    assert (stored.target_period, stored.baseline_value, stored.target_value) == (
        "2010/11", None, None,
    )  # fmt: skip


def _account(role: str, level: str, code: str | None) -> Account:
    return Account(f"{role}-1", "Someone", role, level, code, active=True)


def test_every_write_checks_the_editors_rights_itself_and_changes_nothing_when_refused(
    plan_engine,
) -> None:
    """The services refuse a change the account may not make, whatever page or call asked:
    another LA's Board member, a headteacher, an officer, a disabled account."""
    action = first_action(plan_engine)
    with plan_engine.connect() as connection:
        la_code = connection.scalar(select(Plan.la_code).where(Plan.id == action["plan_id"]))
        other_la = connection.scalar(select(Plan.la_code).where(Plan.la_code != la_code))
        audit_rows = connection.scalar(select(func.count()).select_from(AuditLog))
    refused = [
        _account("board_member", "la", other_la),
        _account("headteacher", "school", "100001"),
        _account("go_officer", "region", "E12000008"),
        Account("gone", "Gone", "admin", "all", None, active=False),
    ]
    target = {"indicator_code": "ni_73", "group_code": "fsm", "baseline_gap": 20.0,
              "target_gap": 10.0}  # fmt: skip
    new_action = {"title": "New", "outcome_code": "enjoy_achieve", "lead_partner": "LA",
                  "status": "on_track"}  # fmt: skip
    writes = [
        (save_action, (action["id"], {"title": "Taken"}, 1)),
        (add_note, (action["id"], "A note")),
        (link_target, (action["id"], target)),
        (unlink_target, (action["id"], 1)),
        (create_action, (action["plan_id"], new_action)),
    ]
    for editor in refused:
        for write, arguments in writes:
            with pytest.raises(NotAllowed, match="may not change this authority's plan"):
                write(plan_engine, *arguments, editor)
    assert load_action(plan_engine, action["id"])["version"] == 1
    with plan_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AuditLog)) == audit_rows
    # The LA's own Board member may, and the change is recorded under their username.
    board = _account("board_member", "la", la_code)
    assert save_action(plan_engine, action["id"], {"title": "Renamed"}, 1, board) == 2
    assert action_history(plan_engine, action["id"])["user_name"].iloc[0] == "board_member-1"


def test_a_targets_restricted_numbers_are_held_back_in_the_history_outside_the_remit(
    plan_engine,
) -> None:
    """NI 57 is restricted: the history of an action linked to it shows the target's numbers
    only to viewers whose remit covers the plan's LA, as the Plan page and plan file do."""
    from ecm.access.scope import EVERYTHING, Remit, acting_for
    from ecm.plan.edits import HELD_BACK

    action = first_action(plan_engine)
    with plan_engine.connect() as connection:
        la_code = connection.scalar(select(Plan.la_code).where(Plan.id == action["plan_id"]))
    target = {
        "indicator_code": "ni_57", "group_code": "all", "baseline_value": 90.0,
        "target_value": 95.0, "baseline_period": "2008/09", "target_period": "2010/11",
    }  # fmt: skip
    link_target(plan_engine, action["id"], target, operator("Ann"))
    outsider = Remit("la:elsewhere", las=frozenset({"elsewhere"}), england=True)
    board = Remit(f"la:{la_code}", las=frozenset({la_code}), england=True)
    seen = {}
    for name, remit in (("outsider", outsider), ("board", board), ("analyst", EVERYTHING)):
        with acting_for(remit):
            linked = action_history(plan_engine, action["id"]).iloc[0]["after"]
        seen[name] = (linked["indicator_code"], linked["baseline_value"], linked["target_value"])
    assert seen == {
        "outsider": ("ni_57", HELD_BACK, HELD_BACK),
        "board": ("ni_57", 90.0, 95.0),
        "analyst": ("ni_57", 90.0, 95.0),
    }
