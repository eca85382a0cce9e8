"""Figures an import replaced, kept beside the store's figures so that the import can be undone
(``replaced_observation``): copied there, in the import's transaction, just before they go."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, insert, literal, select

from ecm.store.models import OBSERVATION_COLUMNS, Observation, ReplacedObservation

#: The columns copied: a figure as it stood, with the batch that loaded it.
KEPT = (*OBSERVATION_COLUMNS, "batch_id")


def keep_replaced(connection: Connection, where: ColumnElement[bool], replaced_by: int) -> None:
    """Copy the stored figures ``where`` selects into ``replaced_observation``, as replaced by
    the batch ``replaced_by``."""
    connection.execute(
        insert(ReplacedObservation).from_select(
            ["replaced_by", *KEPT],
            select(literal(replaced_by), *(getattr(Observation, name) for name in KEPT)).where(
                where
            ),
        )
    )
