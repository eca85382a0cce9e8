"""The store: engines, schema upgrades through Alembic, and fast bulk writes.

SQLite (a file, the default) and PostgreSQL (``ECM_DATABASE_URL``) behave identically from the
caller's side; the only dialect-specific code here is how each is made fast.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from ecm.config import database_url
from ecm.store.models import DisclosureState

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: :func:`ecm.config.database_url`).

    SQLite gets foreign keys switched on and write-ahead logging, so that the dashboard's
    reader threads do not block on a writer; its parent folder is created if missing.
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """An Alembic configuration pointing at the package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Create the schema, or upgrade it, to ``revision`` (``python -m ecm init``).

    On SQLite the migrations run in one explicit transaction with foreign keys off, and the
    foreign keys are checked before it commits. SQLite alters a table by copying it, and
    dropping the old copy of a table that others refer to fails (or, with cascades, deletes)
    while foreign keys are enforced; the switch only takes effect outside a transaction. The
    driver on its own would commit each CREATE TABLE as it runs, so a failed upgrade would
    leave half-built tables behind: here all of it commits, or none of it.
    """
    config = alembic_config()
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
            return
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")  # no transaction is open on a checked-out link
        driver_begins = raw.isolation_level
        raw.isolation_level = None  # the driver issues no BEGIN or COMMIT of its own
        try:
            raw.execute("BEGIN")
            with connection.begin():  # commits (or rolls back) the BEGIN above
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"the upgrade broke foreign keys: {broken[:5]}")
        finally:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raw.isolation_level = driver_begins
            raw.execute("PRAGMA foreign_keys=ON")
            if raw.execute("PRAGMA foreign_keys").fetchone() != (1,):
                connection.invalidate()  # never hand a link without foreign keys back


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_is_current(engine: Engine) -> bool:
    """True when the database is at the newest revision."""
    return current_revision(engine) == head_revision()


def table_names(engine: Engine) -> set[str]:
    """The tables that exist in the database."""
    return set(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def forget_decisions(connection: Connection) -> None:
    """Mark the stored disclosure decisions as not current (figures were written without
    deciding); the next read or load decides again (:mod:`ecm.disclosure.decisions`)."""
    connection.execute(delete(DisclosureState))


@contextmanager
def loading_into_empty(connection: Connection, table: str) -> Iterator[None]:
    """Inside the caller's transaction, load ``table`` as PostgreSQL's manual advises for
    populating an empty table ("Populating a Database": remove indexes and foreign keys, load,
    then create them again): while it is empty on PostgreSQL, its secondary indexes and
    constraints other than the primary key are dropped for the load and made again after it,
    from their own definitions, each built in one sort instead of one row at a time (a
    foreign key added again checks every row). Elsewhere, or into a table with rows, nothing
    changes."""
    if (
        connection.dialect.name != "postgresql"
        or connection.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table})")).scalar()
    ):
        yield
        return
    constraints = connection.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:table AS regclass) AND contype IN ('u', 'f') ORDER BY conname"
        ),
        {"table": table},
    ).all()
    indexes = connection.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = CAST(:table AS regclass) AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY i.relname"
        ),
        {"table": table},
    ).all()
    for name, _ in constraints:
        connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        connection.execute(text(f'DROP INDEX "{name}"'))
    yield
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    for _, definition in indexes:
        connection.execute(text(definition))
    for name, definition in constraints:
        connection.execute(text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))


#: Rows per slice of a PostgreSQL COPY.
COPY_ROWS = 200_000


def bulk_insert(connection, table: str, frame: pd.DataFrame) -> int:  # noqa: ANN001
    """Append ``frame``'s rows to ``table`` inside the caller's transaction; return the count.

    PostgreSQL gets ``COPY ... FROM STDIN`` (an order of magnitude faster than INSERTs at the
    national scale); other databases get a DB-API ``executemany``. Missing values become NULL.
    Writing figures marks the stored disclosure decisions as not current.
    """
    if frame.empty:
        return 0
    if table == "observation":
        # New figures are undecided, so the stored disclosure decisions are no longer whole
        # until the writer decides again (ecm.disclosure.decisions).
        forget_decisions(connection)
    columns = list(frame.columns)
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        # Whole numbers in float columns (pandas' way of holding integers with gaps) are
        # written without ".0", which PostgreSQL's COPY refuses for integer columns.
        frame = frame.apply(
            lambda c: (
                c.astype("Int64")
                if c.dtype.kind == "f" and (c.dropna() % 1 == 0).all() and c.notna().any()
                else c
            )
        )
        column_list = ", ".join(columns)
        sql = f"COPY {table} ({column_list}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        from psycopg.copy import QueuedLibpqWriter

        with raw.cursor() as cursor, cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy:
            # In slices, handed to a writer thread: the server stores one slice while the
            # next is written out, and the text of millions of rows is never held at once.
            for start in range(0, len(frame), COPY_ROWS):
                buffer = io.StringIO()
                frame.iloc[start : start + COPY_ROWS].to_csv(
                    buffer, index=False, header=False, na_rep="\\N"
                )
                copy.write(buffer.getvalue())
        return len(frame)
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    values = frame.astype(object).where(frame.notna(), None)  # native Python values, NaN -> NULL
    rows = zip(*(values[column].tolist() for column in columns), strict=True)
    cursor = raw.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
    return len(frame)
