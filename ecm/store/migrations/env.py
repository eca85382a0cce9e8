"""Alembic environment: runs migrations on the connection handed over by ecm.store.engine,
or on ``ECM_DATABASE_URL`` when the ``alembic`` command is used directly."""

from __future__ import annotations

from alembic import context

from ecm.store.engine import make_engine
from ecm.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run the migrations; batch mode lets SQLite alter tables by copying them."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine()
    with engine.begin() as own_connection:
        _run(own_connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
