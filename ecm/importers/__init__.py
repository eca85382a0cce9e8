"""Importers: files the field publishes -> checked figures -> the store, all or nothing per file.

Every format shares one pipeline: read (``reader``) -> recognise the format from the header ->
parse and validate (one module per format) -> write (``writer``). A rejected file changes
nothing and reports every problem with file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from ecm.catalogue import load_catalogue, sync_catalogue
from ecm.errors import DataError, DataProblem
from ecm.importers import (
    fingertips,
    gias,
    la_tables,
    lait,
    neighbours,
    performance_tables,
    reference,
    tidy,
)
from ecm.importers.reader import Table, read_table
from ecm.importers.writer import ImportOutcome, ParsedFile, checksum, write_parsed
from ecm.store.engine import session_scope, upgrade_schema
from ecm.store.models import Indicator


@dataclass(frozen=True)
class Format:
    """A file format: how to recognise it and how to parse it."""

    name: str
    description: str
    detect: Callable[[Table], bool]
    parse: Callable[[Table, str | None, dict[str, str]], ParsedFile]


def _performance(kind: str, description: str) -> Format:
    def parse(table: Table, period: str | None, units: dict[str, str]) -> ParsedFile:
        period = (
            period
            or performance_tables.period_from_name(table.name)
            or performance_tables.period_from_name(Path(table.path).parent.name)
        )
        if not period:
            raise DataError(
                [
                    DataProblem(
                        table.name,
                        None,
                        None,
                        "cannot tell the year from the file name: give it with --period 2018/19",
                    )
                ]
            )
        return performance_tables.parse(table, kind, period, units)

    return Format(kind, description, lambda t: performance_tables.detect(t) == kind, parse)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _performance("ks2", "DfE performance tables: KS2 final results"),
        _performance("ks4", "DfE performance tables: KS4 final results"),
        _performance("absence", "DfE performance tables: absence"),
        _performance("census", "DfE performance tables: school census (pupils, FSM, SEN)"),
        _performance("destinations", "DfE performance tables: KS4 destinations"),
        Format("gias", "Get Information About Schools register extract", gias.detect, gias.parse),
        Format(
            "tidy",
            "DfE tidy open data (explore education statistics: time_period, geographic_level)",
            tidy.detect,
            tidy.parse,
        ),
        Format(
            "fingertips",
            "Fingertips-style tidy series (area_code, period, value, indicator)",
            fingertips.detect,
            fingertips.parse,
        ),
        Format(
            "la_table",
            "DfE LA release tables, one row per place (2010-2011 tables, geog_l/geog_c/geog_n)",
            la_tables.detect,
            la_tables.parse,
        ),
    )
}


def detect_format(table: Table) -> Format:
    """The format whose header signature the table matches; DataError if none does."""
    for fmt in FORMATS.values():
        if fmt.detect(table):
            return fmt
    shown = ", ".join(table.header[:8])
    raise DataError(
        [DataProblem(table.name, 1, None, f"not a recognised format (header starts: {shown})")]
    )


Progress = Callable[[float, str], None]


def _no_progress(_fraction: float, _message: str) -> None:
    """The default: say nothing."""


def import_file(
    engine: Engine,
    path: Path,
    format_name: str = "auto",
    period: str | None = None,
    dry_run: bool = False,
    user: str = "command line",
    progress: Progress = _no_progress,
    refresh_benchmarks: bool = True,
    restricted: bool = False,
) -> ImportOutcome:
    """Import one file; DataError (nothing written) when it is rejected.

    ``progress`` hears each stage (read, checked, written) with the fraction done. With
    ``refresh_benchmarks=False`` the similar-school table is left for the caller to refresh
    once after several files (see :func:`ecm.figures.school_pools.refresh_school_benchmarks`).
    ``restricted`` marks figures not published openly: the small-number threshold and the rules
    that protect them apply (figures published openly are shown as published).
    """
    upgrade_schema(engine)
    with session_scope(engine) as session:  # new indicators or groups in data/ reach the store
        sync_catalogue(session, load_catalogue())
    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    if format_name == "auto" and (found := reference.by_suffix(path)):
        return _reference_outcome(name, found)
    progress(0.05, f"reading {name}")
    if suffix in (".xlsx", ".xlsm", ".parquet"):
        wanted = "lait" if suffix == ".parquet" else "neighbours"
        if format_name not in ("auto", wanted):
            raise DataError([DataProblem(name, None, None, f"this file is not {format_name}")])
        raw = path.read_bytes()
        progress(0.2, f"checking {name}")
        if suffix == ".parquet":
            parsed = lait.parse_parquet(name, raw, _indicator_types(engine))
        else:
            try:
                parsed = neighbours.parse_workbook(name, raw)
            except DataError:
                found = reference.from_workbook(name, raw) if format_name == "auto" else None
                if found is None:
                    raise
                return _reference_outcome(name, found)
        digest = checksum(raw)
    else:
        try:
            table = read_table(path)
        except DataError:
            # DfE ships methodology notes as one-column "CSV" files beside the field guides.
            if format_name == "auto" and "meta" in name.lower():
                return _reference_outcome(name, reference.METHOD_NOTES)
            raise
        progress(0.2, f"checking {name}")
        if format_name == "auto" and (found := reference.from_table(table)):
            return _reference_outcome(name, found)
        fmt = detect_format(table) if format_name == "auto" else FORMATS[format_name]
        if format_name != "auto" and not fmt.detect(table):
            raise DataError(
                [DataProblem(name, 1, None, f"the header is not that of the {fmt.name} format")]
            )
        units = {code: unit for code, (unit, _) in _indicator_types(engine).items()}
        parsed = fmt.parse(table, period, units)
        digest = checksum(table.raw)
    if restricted:
        parsed.published = False
        parsed.notes.append("not published openly: small numbers withheld")
    progress(0.6, f"writing {len(parsed.observations):,} figures from {name}")
    outcome = write_parsed(engine, parsed, digest, user, dry_run, refresh_benchmarks)
    progress(1.0, f"{name}: {outcome.status}")
    return outcome


def _indicator_types(engine: Engine) -> dict[str, tuple[str, str]]:
    """Each indicator's (unit, period type), as the store holds them."""
    with engine.connect() as connection:
        rows = connection.execute(select(Indicator.code, Indicator.unit, Indicator.period_type))
        return {code: (unit, period_type) for code, unit, period_type in rows}


def _reference_outcome(name: str, found: reference.Reference) -> ImportOutcome:
    """A reference file: recognised and checked, nothing written."""
    return ImportOutcome(name, found.kind, "reference, nothing to load", 0, notes=found.notes)
