"""Writing one file's figures: one transaction, a provenance batch, supersession, no repeats.

A file already imported (same SHA-256) adds nothing. A newer file with figures for the same
indicator, place, group and period replaces the older figures, which are kept aside so that
the import can be undone (:mod:`ecm.importers.undo`); the older batch stays in the import
history, marked superseded once none of its figures remain. A secondary file (a
compendium such as LAIT) only fills gaps: figures another format has loaded stay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, and_, delete, exists, select

from ecm.disclosure.decisions import refresh_withholding, stored_rules, tree_parents
from ecm.disclosure.rules import DisclosureRules
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.importers.geography import ensure_las, ensure_schools
from ecm.store.changes import note_store_change
from ecm.store.engine import bulk_insert, session_scope
from ecm.store.models import OBSERVATION_COLUMNS, ImportBatch, Observation
from ecm.store.replaced import keep_replaced

OGL = "Contains public sector information licensed under the Open Government Licence v3.0"

#: For tests only; None in use. Called inside the import's transaction once everything is
#: written and just before the commit, so a test's child process can say "about to commit"
#: and be killed at exactly that moment (``tests/test_importers.py``). Nothing sets it but a
#: test, and no setting or environment variable reaches it.
before_commit: Callable[[], None] | None = None


@dataclass
class ParsedFile:
    """What an importer made of a file, before anything is written."""

    file_name: str
    format: str
    observations: pd.DataFrame
    la_codes: set[str] = field(default_factory=set)  # DfE LA numbers named by the file
    region_codes: set[str] = field(default_factory=set)  # ONS region codes named by the file
    schools: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows_read: int = 0
    rows_skipped: int = 0
    notes: list[str] = field(default_factory=list)
    licence: str = OGL
    after_write: object = None  # optional callable(connection) for extra tables
    # A compendium (LAIT) republishes other sources' figures without their counts: its figures
    # fill gaps but never replace a figure that another format's file has loaded.
    secondary: bool = False
    # Released openly by its publisher: its figures are shown as published (METHODOLOGY.md,
    # "Disclosure control"). Every format read today is open data.
    published: bool = True


@dataclass
class ImportOutcome:
    """What happened to a file."""

    file_name: str
    format: str
    status: str  # loaded, already imported, checked (dry run)
    figures: int
    superseded: int = 0
    batch_id: int | None = None
    notes: list[str] = field(default_factory=list)
    has_schools: bool = False  # school figures were written (similar schools need a refresh)


def describe_outcome(outcome: ImportOutcome) -> str:
    """One line on what happened to a file."""
    extra = f", replacing {outcome.superseded:,} older figures" if outcome.superseded else ""
    notes = f" ({'; '.join(outcome.notes)})" if outcome.notes else ""
    if outcome.status.startswith("reference"):
        return f"{outcome.file_name}: {outcome.format}, nothing to load{notes}"
    return (
        f"{outcome.file_name}: {outcome.status} as {outcome.format}: "
        f"{outcome.figures:,} figures{extra}{notes}"
    )


def checksum(raw: bytes) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(raw).hexdigest()


def write_parsed(
    engine: Engine,
    parsed: ParsedFile,
    digest: str,
    user: str,
    dry_run: bool = False,
    refresh_benchmarks: bool = True,
) -> ImportOutcome:
    """Write a parsed file in one transaction (or, with ``dry_run``, only report).

    School figures refresh the similar-school table in the same transaction unless
    ``refresh_benchmarks`` is False (a caller importing many files refreshes once at the end).
    Disclosure control is decided again, in the same transaction, for the file's indicators
    across the whole store (for every indicator when a school moved LA or the file brought a
    new LA or region, since that changes whose figures add up to what, or when the stored
    decisions were not current).
    """
    figures = parsed.observations
    if dry_run:
        return ImportOutcome(
            parsed.file_name, parsed.format, "checked", len(figures), notes=parsed.notes
        )
    with session_scope(engine) as session:
        done = session.scalar(
            select(
                exists().where(
                    ImportBatch.checksum == digest,
                    ImportBatch.status.notin_(("rejected", "undone")),
                )
            )
        )
        if done:
            return ImportOutcome(parsed.file_name, parsed.format, "already imported", 0)
        connection = session.connection()
        # Whether the other indicators' disclosure decisions stand (read before writing, which
        # forgets them), and the tree of places before the file adds to it.
        decided = stored_rules(connection) == DisclosureRules.from_environment()
        before = tree_parents(connection)
        ensure_las(connection, parsed.la_codes, parsed.region_codes)
        ensure_schools(connection, parsed.schools)
        regrouped = _tree_changed(before, tree_parents(connection))
        batch = ImportBatch(
            file_name=parsed.file_name,
            checksum=digest,
            format=parsed.format,
            imported_by=user,
            rows_loaded=len(figures),
            rows_rejected=parsed.rows_skipped,
            status="loaded",
            licence=parsed.licence,
            note="; ".join(parsed.notes) or None,
            published=parsed.published,
            keeps_replaced=True,
        )
        session.add(batch)
        session.flush()
        notes = list(parsed.notes)
        if parsed.secondary:
            figures, kept = _without_primary(connection, figures, parsed.format)
            if kept:
                notes.append(f"kept {kept:,} figures already loaded from their source files")
            batch.rows_loaded = len(figures)
            batch.note = "; ".join(notes) or None
        superseded = _remove_older(connection, figures, batch.id)
        frame = figures.reindex(columns=list(OBSERVATION_COLUMNS)).assign(batch_id=batch.id)
        bulk_insert(connection, "observation", frame)
        _mark_superseded(session, batch.id)
        if parsed.after_write is not None:
            parsed.after_write(connection)
        if regrouped or not decided or not figures.empty:
            everything = regrouped or not decided
            refresh_withholding(connection, None if everything else set(figures["indicator_code"]))
        # After the decisions: similar-school pools are summed over shown figures only.
        if refresh_benchmarks and not figures.empty and (figures["level"] == "school").any():
            refresh_school_benchmarks(connection)
        note_store_change(connection, "import")  # other app processes read afresh
        if before_commit is not None:
            before_commit()  # the transaction commits as this block ends
        return ImportOutcome(
            parsed.file_name,
            parsed.format,
            "loaded",
            len(figures),
            superseded,
            batch.id,
            notes,
            has_schools=not figures.empty and bool((figures["level"] == "school").any()),
        )


def _tree_changed(before: pd.Series, after: pd.Series) -> bool:
    """Whether a place already in the store moved to another parent, or a new LA or region
    joined the tree. A new school does not count: a school is created with its first file,
    so all its figures are in that file and are decided with it."""
    kept = before.index.intersection(after.index)
    if not before[kept].equals(after[kept]):
        return True
    added = after.index.difference(before.index)
    return bool(len(added) and not added.str.startswith("school:").all())


def _without_primary(connection, figures: pd.DataFrame, fmt: str) -> tuple[pd.DataFrame, int]:  # noqa: ANN001
    """The figures no file of another format has loaded, and how many were left out."""
    keys = ["indicator_code", "level", "area_code", "group_code", "period"]
    if figures.empty:
        return figures, 0
    held = pd.DataFrame(
        connection.execute(
            select(*(getattr(Observation, k) for k in keys))
            .join(ImportBatch, ImportBatch.id == Observation.batch_id)
            .where(
                ImportBatch.format != fmt,
                Observation.indicator_code.in_(figures["indicator_code"].unique().tolist()),
            )
        ).all(),
        columns=keys,
    )
    if held.empty:
        return figures, 0
    marked = figures.merge(held.assign(_held=True), on=keys, how="left")
    fresh = marked["_held"].isna().to_numpy()
    return figures[fresh].reset_index(drop=True), int((~fresh).sum())


def _remove_older(connection, figures: pd.DataFrame, batch_id: int) -> int:  # noqa: ANN001
    """Delete stored figures that the new file (batch ``batch_id``) replaces, each kept first
    in ``replaced_observation`` so that the import can be undone; returns how many."""
    removed = 0
    if figures.empty:
        return removed
    keys = ["indicator_code", "level", "group_code", "period"]
    for (indicator, level, group, period), rows in figures.groupby(keys):
        areas = rows["area_code"].unique().tolist()
        for start in range(0, len(areas), 500):
            replaced = and_(
                Observation.indicator_code == indicator,
                Observation.level == level,
                Observation.group_code == group,
                Observation.period == period,
                Observation.area_code.in_(areas[start : start + 500]),
            )
            keep_replaced(connection, replaced, batch_id)
            result = connection.execute(delete(Observation).where(replaced))
            removed += result.rowcount or 0
    return removed


def _mark_superseded(session, current_batch: int) -> None:  # noqa: ANN001
    """Older loaded batches left without figures become "superseded"."""
    empty = (
        select(ImportBatch.id)
        .where(
            ImportBatch.status == "loaded",
            ImportBatch.id != current_batch,
            ImportBatch.rows_loaded > 0,
        )
        .where(~exists().where(Observation.batch_id == ImportBatch.id))
    )
    ids = session.scalars(empty).all()
    if ids:
        session.execute(
            ImportBatch.__table__.update()
            .where(ImportBatch.id.in_(ids))
            .values(status="superseded")
        )
    session.flush()
