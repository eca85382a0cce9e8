"""The audit log's one writer: who changed which record, how, and the record before and after
(plan edits and imports, accounts and sign-ins)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import Connection, insert

from ecm.store.models import AuditLog


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
    text), stamped ``at`` (default: now; an import stamps all its rows alike)."""
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
