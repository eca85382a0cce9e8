"""The audit log's one writer: who changed which record, how, and the record before and after
(plan edits and imports, accounts and sign-ins)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Connection, insert

from ecm.store.changes import note_store_change
from ecm.store.models import AuditLog

#: Audit rows about people (accounts, sign-ins) rather than the figures or plans every page
#: shows: they leave the store's version as it is.
NOT_STORE_CHANGES = frozenset({"app_user"})


def write_audit(
    connection: Connection,
    user: str,
    table: str,
    record_id: str,
    change: str,
    before: object = None,
    after: object = None,
    at: dt.datetime | None = None,
) -> None:
    """One audit row, in the caller's transaction (``before`` and ``after`` as JSON, dates as
    text), stamped ``at`` (default: now; an import stamps all its rows alike). A change to a
    plan or to imported figures moves the store's version (:mod:`ecm.store.changes`)."""
    if table not in NOT_STORE_CHANGES:
        note_store_change(connection, table)
    connection.execute(
        insert(AuditLog).values(
            changed_at=at or dt.datetime.now(dt.UTC),
            user_name=user,
            table_name=table,
            record_id=record_id,
            change=change,
            before=json.dumps(before, default=str) if before is not None else None,
            after=json.dumps(after, default=str) if after is not None else None,
        )
    )
