"""The store's version: every change to its figures, catalogue or plans adds a row to
``store_change`` in the change's own transaction, and the number of rows is the version.

Several app processes share one database; each caches what it has read. A process reads the
version (one lookup on a primary key) and forgets its cached reads when another process has
changed the store since (``ecm.ui.store.follow_store_changes``). Rows are only ever added, so
writers never wait for each other on it, as they would on a single counter row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, func, insert, select

from ecm.store.models import StoreChange


def note_store_change(connection: Connection, kind: str) -> None:
    """Record, in the caller's transaction, that the store changed (``kind``: what did)."""
    connection.execute(
        insert(StoreChange).values(changed_at=dt.datetime.now(dt.UTC), kind=kind[:40])
    )


def store_version(engine: Engine) -> int:
    """The store's version: how many changes it has seen (0 before any).

    A count, not the newest id: ids are handed out when a row is inserted, so a long import
    that took id 10 and commits after a plan edit that took id 11 would leave the newest id
    at 11 and go unseen. Rows are never deleted, so every commit moves the count by one.
    """
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(StoreChange)) or 0
