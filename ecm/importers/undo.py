"""Undoing an import: its figures removed and the figures it replaced put back, in one
transaction, as if the file had never been loaded.

An import can be undone while every figure it loaded is still its own (and it was made
since the store began keeping what imports replace, and loaded figures at all: a register or
neighbour file changes places, which undoing figures cannot put back): once a later file has
replaced some of them, undoing the earlier one would mix the two, so that later import must be
undone first (the message says which). Places the file added (a new school, say) stay in the
register: they hold no figures once the import is undone, and other files may name them.
Undoing is recorded in the audit log (table ``import_batch``, change ``undo``) with how many
figures went and came back; the batch stays in the import history as "undone", and the same
file can be imported again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update

from ecm.access.accounts import Account
from ecm.access.rights import may_import, require
from ecm.disclosure.decisions import refresh_withholding, stored_rules
from ecm.disclosure.rules import DisclosureRules
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.store.audit import write_audit
from ecm.store.engine import session_scope
from ecm.store.models import ImportBatch, Observation, ReplacedObservation
from ecm.store.replaced import KEPT


class UndoRefused(ValueError):
    """An import that cannot be undone as things stand, and why; nothing changed."""


@dataclass(frozen=True)
class Undone:
    """An import undone: its file, the figures it took away and the figures put back."""

    batch_id: int
    file_name: str
    removed: int
    restored: int

    def describe(self) -> str:
        """One sentence for the page and the command line."""
        return (
            f"Undid the import of {self.file_name}: removed its {self.removed:,} figures and "
            f"put back the {self.restored:,} it had replaced."
        )


def undo_import(engine: Engine, batch_id: int, account: Account) -> Undone:
    """Undo the import ``batch_id`` for ``account`` (analysts and administrators only).

    Raises :class:`ecm.access.rights.NotAllowed` or :class:`UndoRefused` (nothing changed)
    when the account may not, the batch is not a loaded import, or a later import has
    replaced some of its figures.
    """
    require(may_import(account), "undo an import")
    with session_scope(engine) as session:
        connection = session.connection()
        batch = session.get(ImportBatch, batch_id, with_for_update=True)
        if batch is None or batch.status not in ("loaded", "superseded"):
            state = "no such import" if batch is None else f"it is {batch.status}"
            raise UndoRefused(f"Import {batch_id} cannot be undone: {state}.")
        if not batch.rows_loaded:
            raise UndoRefused(
                f"{batch.file_name} cannot be undone: it loaded no figures (a register or "
                "neighbour file changes places, not figures); import the earlier file again."
            )
        if not batch.keeps_replaced:
            raise UndoRefused(
                f"{batch.file_name} cannot be undone: it was imported before the store kept the "
                "figures imports replace."
            )
        status = batch.status
        later = connection.execute(
            select(ImportBatch.id, ImportBatch.file_name)
            .join(ReplacedObservation, ReplacedObservation.replaced_by == ImportBatch.id)
            .where(ReplacedObservation.batch_id == batch_id)
            .limit(1)
        ).first()
        if later is not None:
            raise UndoRefused(
                f"{batch.file_name} cannot be undone while {later.file_name} (import "
                f"{later.id}) holds figures that replaced some of its own: undo that first."
            )
        indicators = set(
            connection.scalars(
                select(Observation.indicator_code).where(Observation.batch_id == batch_id)
                .distinct()
            )
        ) | set(
            connection.scalars(
                select(ReplacedObservation.indicator_code)
                .where(ReplacedObservation.replaced_by == batch_id).distinct()
            )
        )  # fmt: skip
        schools = connection.scalar(
            select(func.count()).where(
                Observation.batch_id == batch_id, Observation.level == "school"
            )
        )
        removed = connection.execute(delete(Observation).where(Observation.batch_id == batch_id))
        kept = select(*(getattr(ReplacedObservation, name) for name in KEPT)).where(
            ReplacedObservation.replaced_by == batch_id
        )
        # Counted before the insert: an INSERT ... SELECT's row count is not reported on every
        # driver (psycopg gives -1).
        restored = connection.scalar(
            select(func.count()).where(ReplacedObservation.replaced_by == batch_id)
        )
        connection.execute(insert(Observation).from_select(list(KEPT), kept))
        # Batches whose figures came back are loaded again.
        put_back = select(ReplacedObservation.batch_id).where(
            ReplacedObservation.replaced_by == batch_id
        )
        connection.execute(
            update(ImportBatch)
            .where(ImportBatch.status == "superseded", ImportBatch.id.in_(put_back))
            .values(status="loaded")
        )
        connection.execute(
            delete(ReplacedObservation).where(ReplacedObservation.replaced_by == batch_id)
        )
        batch.status = "undone"
        session.flush()
        if indicators:
            # Every indicator decided again when the stored decisions were taken under other
            # thresholds: a refresh stamps the store as decided under today's.
            decided = stored_rules(connection) == DisclosureRules.from_environment()
            refresh_withholding(connection, indicators if decided else None)
        if schools:
            refresh_school_benchmarks(connection)
        outcome = Undone(batch_id, batch.file_name, removed.rowcount or 0, restored or 0)
        write_audit(
            connection, account.username, "import_batch", str(batch_id), "undo",
            {"status": status, "figures": outcome.removed},
            {"status": "undone", "figures_restored": outcome.restored},
        )  # fmt: skip
    return outcome
