"""The store: migrations from empty, parity of models and migrations, and bulk writes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from ecm.store.engine import (
    bulk_insert,
    current_revision,
    head_revision,
    loading_into_empty,
    make_engine,
    schema_is_current,
    session_scope,
    table_names,
    upgrade_schema,
)
from ecm.store.models import ActionNote, Base, LocalAuthority, Outcome, Plan, Priority, Region

EXPECTED_TABLES = {
    "region",
    "local_authority",
    "statistical_neighbour",
    "school",
    "outcome",
    "aim",
    "indicator",
    "pupil_group",
    "import_batch",
    "observation",
    "plan",
    "priority",
    "action",
    "action_school",
    "action_target",
    "action_spend",
    "action_note",
    "audit_log",
    "app_user",
    "school_benchmark",
    "disclosure_state",
}


def test_schema_is_created_from_empty_and_upgrade_is_repeatable(engine) -> None:
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision() == "0019"
    assert EXPECTED_TABLES <= table_names(engine)
    upgrade_schema(engine)  # a second run changes nothing and does not fail
    assert schema_is_current(engine)


def test_migrations_match_the_models(engine) -> None:
    upgrade_schema(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_profile_lookups_are_served_by_an_index(engine) -> None:
    upgrade_schema(engine)
    indexes = inspect(engine).get_indexes("observation")
    uniques = inspect(engine).get_unique_constraints("observation")
    leading = [tuple(i["column_names"][:2]) for i in indexes] + [
        tuple(u["column_names"][:2]) for u in uniques
    ]
    assert ("level", "area_code") in leading
    assert ("indicator_code", "period") in leading


def test_bulk_insert_writes_rows_and_nulls(engine) -> None:
    upgrade_schema(engine)
    frame = pd.DataFrame(
        {
            "code": ["Z12000001", "Z12000002"],
            "name": ["North (fictional)", 'South, "quoted" (fictional)'],
            "country_code": ["Z92000001", "Z92000001"],
            "fictional": [True, True],
        }
    )
    with session_scope(engine) as session:
        assert bulk_insert(session.connection(), "region", frame) == 2
    with session_scope(engine) as session:
        names = session.scalars(select(Region.name).order_by(Region.code)).all()
    assert names == ["North (fictional)", 'South, "quoted" (fictional)']


def test_a_failed_transaction_leaves_nothing_behind(engine) -> None:
    upgrade_schema(engine)
    frame = pd.DataFrame(
        {
            "code": ["Z12000001"],
            "name": ["North"],
            "country_code": ["Z92000001"],
            "fictional": [True],
        }
    )
    try:
        with session_scope(engine) as session:
            bulk_insert(session.connection(), "region", frame)
            raise RuntimeError("stop half way")
    except RuntimeError:
        pass
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM region")).scalar() == 0


def _keys_of(engine, table: str) -> tuple:  # noqa: ANN001
    inspector = inspect(engine)
    return (
        sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
               for i in inspector.get_indexes(table)),
        sorted((u["name"], tuple(u["column_names"]))
               for u in inspector.get_unique_constraints(table)),
        sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"])
               for f in inspector.get_foreign_keys(table)),
    )  # fmt: skip


def test_loading_into_an_empty_table_leaves_its_indexes_and_constraints_as_they_were(
    catalogue_store,
) -> None:
    """On PostgreSQL the load drops the secondary indexes and constraints and makes them again
    from their own definitions; afterwards the table is as the schema made it, and they hold."""
    from ecm.store.models import ImportBatch

    engine = catalogue_store
    before = _keys_of(engine, "observation")
    with session_scope(engine) as session:
        batch = ImportBatch(file_name="f", checksum="c", format="demo", imported_by="test",
                            status="loaded", rows_loaded=1)  # fmt: skip
        session.add(batch)
        session.flush()
        figures = pd.DataFrame(
            {
                "indicator_code": ["ni_56"],
                "level": ["region"],
                "area_code": ["Z12000001"],
                "group_code": ["all"],
                "period": ["2009/10"],
                "value": [18.7],
                "batch_id": [batch.id],
            }
        )
        with loading_into_empty(session.connection(), "observation"):
            bulk_insert(session.connection(), "observation", figures)
    assert _keys_of(engine, "observation") == before
    assert any(u[0] == "uq_observation" for u in before[1]) and len(before[2]) == 3
    refused = engine.dialect.dbapi.IntegrityError  # bulk_insert writes through the driver
    with pytest.raises(refused), session_scope(engine) as session:
        bulk_insert(session.connection(), "observation", figures)  # the same figure again
    with pytest.raises(refused), session_scope(engine) as session:
        bulk_insert(
            session.connection(),
            "observation",
            figures.assign(period="2008/09", indicator_code="none"),
        )


def test_upgrade_runs_each_migration_in_turn(engine) -> None:
    upgrade_schema(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "school_benchmark" not in table_names(engine)
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    assert "school_benchmark" in table_names(engine)


PLAN_DATES = {"start_date": dt.date(2008, 4, 1), "end_date": dt.date(2011, 3, 31)}


def seed_places_and_plans(connection, plan_ids: tuple[int, ...] = (1,)) -> None:  # noqa: ANN001
    """A region, an LA, one outcome and the plans ``plan_ids`` (period ``P<id>``): what a
    migration test needs before it stores actions of its own."""
    connection.execute(insert(Region).values(code="R1", name="Region", country_code="E92"))
    connection.execute(insert(LocalAuthority).values(code="Z1", name="Somewhere",
                                                     region_code="R1"))  # fmt: skip
    connection.execute(insert(Outcome).values(code="be_healthy", title="Be healthy",
                                              position=1))  # fmt: skip
    for plan_id in plan_ids:
        connection.execute(insert(Plan).values(id=plan_id, la_code="Z1", title="Plan",
                                               period_label=f"P{plan_id}", status="agreed",
                                               **PLAN_DATES))  # fmt: skip


def insert_action(connection, action_id: int, plan_id: int, ref: str | None = None) -> None:  # noqa: ANN001
    """An action with its columns named one by one (older schemas lack the model's newer
    columns); ``ref`` only from revision 0006 on."""
    columns = "id, plan_id, outcome_code, title, lead_partner, status, scope, version"
    values = ":id, :plan, 'be_healthy', 'T', 'Schools', 'on_track', 'whole_area', 1"
    if ref is not None:
        columns, values = columns + ", ref", values + ", :ref"
    connection.execute(
        text(f"INSERT INTO action ({columns}) VALUES ({values})"),
        {"id": action_id, "plan": plan_id, "ref": ref},
    )


def test_actions_stored_before_refs_get_the_refs_their_export_gave_them(engine) -> None:
    """Migration 0006 numbers each plan's actions A1, A2, ... by their priority's position,
    then as stored (no priority last), as exports did, so a file exported before the upgrade
    still names the same actions."""
    upgrade_schema(engine, "0005")
    with engine.begin() as connection:
        seed_places_and_plans(connection, (1, 2))
        # Plan 1: priority 11 comes second, priority 10 first.
        for priority_id, position in ((10, 1), (11, 2)):
            connection.execute(insert(Priority).values(id=priority_id, plan_id=1, title="P",
                                                       outcome_code="be_healthy",
                                                       position=position))  # fmt: skip
        for action_id, plan_id, priority_id in (
            (1, 1, 11), (2, 1, None), (3, 1, 10), (4, 2, None), (5, 1, 10)
        ):  # fmt: skip
            # Columns named one by one: the model's ``ref`` is not there before 0006.
            connection.execute(
                text(
                    "INSERT INTO action (id, plan_id, priority_id, outcome_code, title, "
                    "lead_partner, status, scope, version) VALUES (:id, :plan, :priority, "
                    "'be_healthy', 'T', 'Schools', 'on_track', 'whole_area', 1)"
                ),
                {"id": action_id, "plan": plan_id, "priority": priority_id},
            )
    upgrade_schema(engine)
    with engine.connect() as connection:
        refs = dict(connection.execute(text("SELECT id, ref FROM action")).all())
    assert refs == {3: "A1", 5: "A2", 1: "A3", 2: "A4", 4: "A1"}


def test_rebuilding_plans_and_actions_keeps_every_row_and_every_foreign_key(engine) -> None:
    """Migration 0007 rebuilds ``plan`` and ``action`` on SQLite (ids never reused); the rows
    that refer to them stay, and foreign keys are enforced again afterwards."""
    upgrade_schema(engine, "0006")
    with engine.begin() as connection:
        seed_places_and_plans(connection, (7,))
        insert_action(connection, 9, 7, "A1")
        note = {"author": "Ann", "written_at": dt.datetime(2009, 1, 5)}
        connection.execute(insert(ActionNote).values(action_id=9, note="Begun", **note))
    upgrade_schema(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, plan_id, ref FROM action")).all() == [
            (9, 7, "A1")
        ]
        assert connection.execute(text("SELECT action_id, note FROM action_note")).all() == [
            (9, "Begun")
        ]
        if engine.dialect.name == "sqlite":
            sql = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'action'"))
            assert "AUTOINCREMENT" in sql
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(ActionNote).values(action_id=404, note="x", **note))


def sqlite_store(tmp_path, name: str):  # noqa: ANN001, ANN201
    """A SQLite file of its own: what these tests check is how SQLite alters tables."""
    return make_engine(f"sqlite:///{tmp_path / name}")


def test_a_failed_sqlite_upgrade_leaves_the_store_as_it_was(tmp_path) -> None:
    """An upgrade that would break a foreign key is refused whole: the schema stays at its
    revision with no half-built table, and foreign keys are enforced again afterwards."""
    engine = sqlite_store(tmp_path, "broken.db")
    upgrade_schema(engine, "0006")
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(
            "INSERT INTO action_note (action_id, written_at, author, note) "
            "VALUES (404, '2009-01-05', 'Ann', 'an orphan')"
        )
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")
    with pytest.raises(RuntimeError, match="broke foreign keys"):
        upgrade_schema(engine)
    assert current_revision(engine) == "0006"
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert not {t for t in tables if t.startswith("_alembic_tmp")}
        plan_sql = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'plan'"))
        assert "AUTOINCREMENT" not in plan_sql
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        connection.execute(text("DELETE FROM action_note WHERE action_id = 404"))
        connection.commit()
    upgrade_schema(engine)  # repaired, it goes through
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_an_action_removed_before_the_upgrade_keeps_its_id_to_itself(tmp_path) -> None:
    """Its audit rows still name it: the first action made after the upgrade goes on from the
    highest id any audit row names."""
    engine = sqlite_store(tmp_path, "removed.db")
    upgrade_schema(engine, "0006")
    with engine.begin() as connection:
        seed_places_and_plans(connection, (1,))
        insert_action(connection, 3, 1, "A1")
        # Action 7 was edited, then removed by an import: only its audit rows are left.
        for record in ("7", "7/2"):
            connection.execute(
                text(
                    "INSERT INTO audit_log (changed_at, user_name, table_name, record_id, "
                    "change) VALUES ('2009-01-05', 'Ann', :t, :r, 'update')"
                ),
                {"t": "action" if record == "7" else "action_note", "r": record},
            )
    upgrade_schema(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO action (plan_id, outcome_code, title, lead_partner, status, scope, "
                "version, ref) VALUES (1, 'be_healthy', 'New', 'Schools', 'on_track', "
                "'whole_area', 1, 'A2')"
            )
        )
        assert connection.scalar(text("SELECT MAX(id) FROM action")) == 8
    engine.dispose()
