"""The store: migrations from empty, parity of models and migrations, and bulk writes."""

from __future__ import annotations

import pandas as pd
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from ecm.models import Base, Region
from ecm.store import (
    bulk_insert,
    current_revision,
    head_revision,
    schema_is_current,
    session_scope,
    table_names,
    upgrade_schema,
)

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
    assert current_revision(engine) == head_revision() == "0005"
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


def test_upgrade_runs_each_migration_in_turn(engine) -> None:
    upgrade_schema(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "school_benchmark" not in table_names(engine)
    upgrade_schema(engine)
    assert current_revision(engine) == "0005"
    assert "school_benchmark" in table_names(engine)
