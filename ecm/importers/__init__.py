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
from ecm.importers import fingertips, gias, neighbours, performance_tables, tidy
from ecm.importers.reader import Table, read_table
from ecm.importers.writer import ImportOutcome, ParsedFile, checksum, write_parsed
from ecm.models import Indicator
from ecm.store import session_scope, upgrade_schema


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


def import_file(
    engine: Engine,
    path: Path,
    format_name: str = "auto",
    period: str | None = None,
    dry_run: bool = False,
    user: str = "command line",
) -> ImportOutcome:
    """Import one file; DataError (nothing written) when it is rejected."""
    upgrade_schema(engine)
    with session_scope(engine) as session:  # new indicators or groups in data/ reach the store
        sync_catalogue(session, load_catalogue())
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if format_name not in ("auto", "neighbours"):
            raise DataError(
                [DataProblem(path.name, None, None, f"a workbook is not {format_name}")]
            )
        raw = path.read_bytes()
        parsed = neighbours.parse_workbook(path.name, raw)
        return write_parsed(engine, parsed, checksum(raw), user, dry_run)
    table = read_table(path)
    fmt = detect_format(table) if format_name == "auto" else FORMATS[format_name]
    if format_name != "auto" and not fmt.detect(table):
        raise DataError(
            [DataProblem(table.name, 1, None, f"the header is not that of the {fmt.name} format")]
        )
    with engine.connect() as connection:
        units = dict(connection.execute(select(Indicator.code, Indicator.unit)).all())
    parsed = fmt.parse(table, period, units)
    return write_parsed(engine, parsed, checksum(table.raw), user, dry_run)
