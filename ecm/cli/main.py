"""The command line: ``python -m ecm COMMAND``.

Every command has ``--help``; success exits 0, failure exits non-zero with a one-line reason on
standard error. Commands are thin: they parse arguments and call the package's functions.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ecm.catalogue import load_catalogue, sync_catalogue
from ecm.cli.audit import add_audit_command
from ecm.cli.load import add_load_command
from ecm.cli.output import clear_progress, one_line, terminal_progress, with_pandas_display
from ecm.cli.plan import add_plan_commands
from ecm.cli.users import add_users_commands
from ecm.config import database_url
from ecm.demo.parameters import DEMO_YEARS
from ecm.errors import DataError
from ecm.safe_text import safe_csv
from ecm.store.changes import note_store_change
from ecm.store.engine import (
    current_revision,
    head_revision,
    make_engine,
    session_scope,
    upgrade_schema,
)

if TYPE_CHECKING:
    import pandas as pd

#: The profile's tables, each written as its own CSV (``profile --format csv``).
PROFILE_TABLES = ("figures", "gaps")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m ecm",
        description="Every Child Matters outcomes dashboard: set up and manage the store.",
        epilog="The store is ECM_DATABASE_URL if set, else the SQLite file data/ecm.db.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init",
        help="create or upgrade the database schema and load the indicator catalogue",
        description="Create the schema (or upgrade it to the newest revision) and load the "
        "indicator catalogue from data/. Safe to run again: it changes only what is out of date.",
    )
    init.set_defaults(handler=run_init)

    demo = commands.add_parser(
        "demo",
        help="build the fictional demo data",
        description="Build fictional demo data (invented regions, authorities, schools, "
        "figures and plans for 2005/06 to 2009/10), replacing any earlier demo data and "
        "leaving imported real data alone.",
    )
    demo.add_argument(
        "--scale",
        choices=("tiny", "small", "national"),
        default="small",
        help="small: 2 regions, 8 LAs, ~600 schools (default); national: 9 regions, 150 LAs, "
        "~21,500 schools; tiny: 2 regions, 4 LAs, ~120 schools (for tests)",
    )
    demo.add_argument("--seed", type=int, default=2008, help="random seed (default 2008)")
    demo.add_argument(
        "--years",
        type=int,
        choices=DEMO_YEARS,
        default=DEMO_YEARS[0],
        help="years of figures, ending in 2009/10 (default 5; with 10, the five years before "
        "2005/06 hold 2005/06's national levels)",
    )
    demo.set_defaults(handler=run_demo)

    imports = commands.add_parser(
        "import",
        help="import published files (performance tables, GIAS, Fingertips series)",
        description="Import files the field publishes. Each file is checked and loaded in one "
        "transaction: a rejected file changes nothing and every problem is listed with its "
        "line and column. Re-importing a file adds nothing; a newer file for the same period "
        "replaces the older figures.",
    )
    imports.add_argument(
        "paths", nargs="+", metavar="PATH", help="files to import, or folders of them"
    )
    imports.add_argument(
        "--format",
        default="auto",
        help="auto (from the header) or one of: " + ", ".join(FORMAT_NAMES),
    )
    imports.add_argument(
        "--period", help="the academic year, e.g. 2018/19, when the file name lacks it"
    )
    imports.add_argument("--dry-run", action="store_true", help="check the files, write nothing")
    imports.add_argument(
        "--restricted",
        action="store_true",
        help="the files are not published openly: withhold small numbers and whatever would "
        "give them back (files their publisher released openly are shown as published)",
    )
    imports.set_defaults(handler=run_import)

    profile = commands.add_parser(
        "profile",
        help="the whole profile of one school, LA or region for a period",
        description="Figures with intervals, benchmarks and trends, and every gap with its "
        "interval, significance, trend and plan actions, for one place and period (default: the "
        "latest). Small numbers are withheld as on screen.",
    )
    _place_options(profile)
    profile.add_argument(
        "--format", choices=("json", "csv", "table"), default="table", help="output format"
    )
    profile.add_argument(
        "--table",
        choices=PROFILE_TABLES,
        default="figures",
        help="with --format csv: the table to write to standard output (default figures)",
    )
    profile.add_argument(
        "--output",
        metavar="DIR",
        help="with --format csv: write every table to DIR as its own file (figures.csv, gaps.csv)",
    )
    profile.set_defaults(handler=run_profile)

    pack = commands.add_parser(
        "pack",
        help="a meeting pack of one school, LA or region for a period",
        description="The figures and gaps behind the place's page with their intervals, the "
        "plan's coverage of the gaps and its actions off track (an LA's), areas of interest and "
        "the definitions, as a PDF, PowerPoint slides or an Excel workbook. For a region, "
        "--kind briefs writes every authority's priorities brief as one PDF, and --kind "
        "over-time the authorities x indicators over every year with ranks and bands as one "
        "workbook. Small numbers are withheld as on screen. The same store gives the same file "
        "on the same day.",
    )
    _place_options(pack)
    pack.add_argument(
        "--format",
        choices=("pdf", "pptx", "xlsx"),
        help="the file's format (default: the output's extension, else xlsx)",
    )
    pack.add_argument(
        "--kind",
        choices=("pack", "briefs", "over-time"),
        default="pack",
        help="a region's priorities briefs (PDF) or authorities over time (xlsx) instead of "
        "its pack",
    )
    pack.add_argument("--output", metavar="FILE", required=True, help="the file to write")
    pack.set_defaults(handler=run_pack)

    add_plan_commands(commands)
    add_audit_command(commands)
    add_users_commands(commands)

    bench = commands.add_parser(
        "bench",
        help="measure build time, database size and read speed",
        description="Build the demo at a scale in a fresh database (a temporary SQLite file "
        "unless --database-url names an empty one) and time the reads the pages depend on.",
    )
    bench.add_argument("--scale", choices=("tiny", "small", "national"), default="small")
    bench.add_argument(
        "--years", type=int, choices=DEMO_YEARS, default=DEMO_YEARS[0], help="years of figures"
    )
    bench.add_argument(
        "--database-url", help="an empty database to build in (default: temporary SQLite)"
    )
    bench.add_argument("--repeats", type=int, default=50, help="timed reads per case (default 50)")
    bench.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the measurements as JSON to FILE (without FILE: print them)",
    )
    bench.add_argument(
        "--sessions",
        type=int,
        default=0,
        metavar="N",
        help="with --browser: also open N sessions at once and time them",
    )
    bench.add_argument(
        "--browser",
        action="store_true",
        help="also time each page's first full render in Chromium (cold and warm server)",
    )
    bench.add_argument(
        "--import-sample",
        metavar="FILE",
        help="also time importing a national-sized performance-table file built from FILE's "
        "shape (e.g. one LA's KS2 file): import_rows_per_s",
    )
    bench.add_argument(
        "--import-file",
        metavar="FILE",
        help="instead, time importing FILE as it is into a fresh store (e.g. the LAIT parquet)",
    )
    bench.set_defaults(handler=run_bench)
    add_load_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # one line for people; the traceback is no use to them
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1


def run_init(_args: argparse.Namespace) -> int:
    """``init``: upgrade the schema and load the catalogue."""
    engine = make_engine()
    before = current_revision(engine)
    upgrade_schema(engine)
    catalogue = load_catalogue()
    with session_scope(engine) as session:
        sync_catalogue(session, catalogue)
        note_store_change(session.connection(), "catalogue")  # its titles may have changed
    from ecm.disclosure.decisions import ensure_withholding
    from ecm.figures.school_pools import ensure_school_benchmarks

    # After an upgrade, or when ECM_SUPPRESS_BELOW has changed; the similar-school pools, summed
    # over shown figures only, follow new decisions.
    decided = ensure_withholding(engine)
    ensure_school_benchmarks(engine, stale=decided)
    state = (
        "created"
        if before is None
        else f"upgraded from {before}"
        if before != head_revision()
        else "already current"
    )
    print(
        f"schema {state} at revision {head_revision()}; catalogue loaded: "
        f"{len(catalogue.indicators)} indicators, {len(catalogue.groups)} pupil groups "
        f"({_safe_url(database_url())})"
    )
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """``demo``: build the fictional demo data with a progress line on the terminal."""
    from ecm.demo.build import build_demo  # numpy/scipy load only when needed

    started = time.perf_counter()
    engine = make_engine()

    def progress(fraction: float, message: str) -> None:
        if sys.stderr.isatty():
            bar = "#" * int(fraction * 30)
            print(f"\r[{bar:<30}] {fraction:4.0%} {message:<50}", end="", file=sys.stderr)
        else:
            print(f"{fraction:4.0%} {message}", file=sys.stderr)

    summary = build_demo(
        engine, scale=args.scale, seed=args.seed, progress=progress, years=args.years
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"fictional demo data built (scale {summary.scale}, seed {summary.seed}, "
        f"{summary.years} years): "
        f"{summary.regions} regions, {summary.las} local authorities, {summary.schools:,} schools, "
        f"{summary.observations:,} figures, {summary.actions} plan actions "
        f"in {time.perf_counter() - started:.1f} s ({_safe_url(database_url())})"
    )
    from ecm.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD

    names = ", ".join(username for username, _, _ in DEMO_ACCOUNTS)
    print(f"demo accounts, one per role: {names}; password {DEMO_PASSWORD}")
    return 0


FORMAT_NAMES = (
    "ks2",
    "ks4",
    "absence",
    "census",
    "destinations",
    "gias",
    "fingertips",
    "tidy",
    "la_table",
    "neighbours",
    "lait",
)


def run_import(args: argparse.Namespace) -> int:
    """``import``: each file in turn, all or nothing per file; a rejected file is reported on
    stderr and the others still load (exit status 2 if any was rejected)."""

    from ecm.importers.service import FileResult, files_in, import_files
    from ecm.importers.writer import describe_outcome

    if args.format != "auto" and args.format not in FORMAT_NAMES:
        print(f"error: unknown format {args.format!r}", file=sys.stderr)
        return 2
    try:
        paths = files_in(args.paths)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    engine = make_engine()

    def report(result: FileResult) -> None:
        clear_progress()
        if result.error is not None:
            # One bad file does not stop a folder's load: it changes nothing and is reported.
            print(f"error: {result.error}", file=sys.stderr)
        else:
            print(describe_outcome(result.outcome))

    run = import_files(
        engine,
        paths,
        args.format,
        args.period,
        args.dry_run,
        restricted=args.restricted,
        progress=lambda _path: terminal_progress,
        on_result=report,
    )
    if run.rejected:
        print(f"error: {run.rejected} of {len(paths)} files rejected", file=sys.stderr)
        return 2
    return 0


def _write_csv_tables(tables: dict[str, pd.DataFrame], table: str, folder: str | None) -> int:
    """One CSV per table, each under its own headings: every table to ``folder`` as
    ``<table>.csv``, or the one named ``table`` to standard output."""
    if folder is None:
        sys.stdout.write(safe_csv(tables[table]))
        return 0
    target = Path(folder)
    if target.exists() and not target.is_dir():
        print(f"error: --output {folder}: exists and is not a folder", file=sys.stderr)
        return 2
    target.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        (target / f"{name}.csv").write_text(safe_csv(frame), encoding="utf-8")
        print(f"wrote {target / f'{name}.csv'} ({len(frame):,} rows)")
    return 0


def _place_options(parser: argparse.ArgumentParser) -> None:
    """``--school``, ``--la`` or ``--region`` (one of them), and ``--period``."""
    place = parser.add_mutually_exclusive_group(required=True)
    place.add_argument("--school", metavar="URN", help="a school's URN")
    place.add_argument("--la", metavar="CODE", help="an LA's ONS code or 3-digit number")
    place.add_argument("--region", metavar="CODE", help="a region's ONS code")
    parser.add_argument("--period", help="an academic year such as 2008/09 (default: latest)")


def _chosen_place(args: argparse.Namespace) -> tuple[str, str] | None:
    """The level and code of ``--school``, ``--la`` or ``--region``; None (said on standard
    error) when ``--period`` is not an academic year."""
    from ecm.periods import is_academic_year

    if args.period and not is_academic_year(args.period):
        print(
            f"error: --period {args.period!r}: write an academic year like 2008/09", file=sys.stderr
        )
        return None
    return next(
        (level, code)
        for level, code in (("school", args.school), ("la", args.la), ("region", args.region))
        if code
    )


def run_profile(args: argparse.Namespace) -> int:
    """``profile``: one place's profile as JSON, CSV (one table: figures or gaps; or each to
    its own file) or a table."""
    import json

    from ecm.figures.queries import UnknownArea
    from ecm.places.profile import build_profile
    from ecm.views.profile_tables import profile_tables, profile_text

    if args.format != "csv" and (args.output or args.table != "figures"):
        print("error: --table and --output go with --format csv", file=sys.stderr)
        return 2
    if (place := _chosen_place(args)) is None:
        return 2
    level, code = place
    try:
        profile = build_profile(make_engine(), level, code, args.period)
    except UnknownArea as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not profile["observations"]:
        print(f"error: no figures for {code} in {args.period or 'any period'}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(profile, indent=2))
        return 0
    figures, gaps = profile_tables(profile)
    if args.format == "csv":
        return _write_csv_tables({"figures": figures, "gaps": gaps}, args.table, args.output)
    geography = profile["geography"]
    print(f"{geography['name']} ({geography['level']} {geography['code']}), {profile['period']}")
    with_pandas_display(lambda: print(profile_text(figures).to_string(index=False)))
    print()
    print("Gaps (positive: the focus group is worse off)")
    with_pandas_display(lambda: print(profile_text(gaps).to_string(index=False)))
    return 0


def run_pack(args: argparse.Namespace) -> int:
    """``pack``: write one place's meeting pack; on any failure, no file."""
    from pathlib import Path

    from ecm.charts.images import ChartImageError
    from ecm.figures.queries import UnknownArea
    from ecm.packs import FORMATS, EmptyPack, make_pack

    if (place := _chosen_place(args)) is None:
        return 2
    level, code = place
    output = Path(args.output)
    suffix = output.suffix.lstrip(".").lower()
    fmt = args.format or (suffix if suffix in FORMATS else "xlsx")
    if args.kind != "pack" and level != "region":
        print(f"error: --kind {args.kind} is a region's: give --region", file=sys.stderr)
        return 2
    try:
        if args.kind == "pack":
            pack = make_pack(make_engine(), level, code, args.period, fmt)
            content, label = pack.content, FORMATS[fmt].label
            label += f" ({', '.join(pack.sheets)})" if pack.sheets else ""
        else:
            content, label = _region_file(args.kind, code, args.period)
    except (UnknownArea, EmptyPack, ChartImageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(content)
    partial.replace(output)  # whole or not at all: never a broken file under the name
    print(f"wrote {output}: {label}")
    return 0


def _region_file(kind: str, code: str, period: str | None) -> tuple[bytes, str]:
    """A region's priorities briefs (PDF) or its authorities over time (workbook), and what
    the file is, in words."""
    import datetime as dt

    from ecm.packs.region import briefs_pdf, over_time_workbook
    from ecm.places.overview import region_overview

    engine, today = make_engine(), dt.date.today()
    if kind == "briefs":
        overview = region_overview(engine, code, period)
        return briefs_pdf(
            overview, today
        ), f"priorities briefs of {len(overview.briefs)} authorities"
    content, sheets = over_time_workbook(engine, code, today)
    return content, f"authorities over time ({len(sheets) - 2} indicators)"


def run_bench(args: argparse.Namespace) -> int:
    """``bench``: build and time; print a table or JSON."""
    import json
    from pathlib import Path

    from ecm.bench.run import format_result, run_benchmark, time_file_import

    if args.import_file:
        measured = time_file_import(Path(args.import_file))
        print(
            json.dumps(measured, indent=2)
            if args.json
            else ", ".join(f"{k} {v}" for k, v in measured.items())
        )
        return 0
    if args.sessions and not args.browser:
        print("error: --sessions opens browser sessions: add --browser", file=sys.stderr)
        return 2
    result = run_benchmark(
        args.scale,
        args.database_url,
        args.repeats,
        years=args.years,
        browser=args.browser,
        sessions=args.sessions,
        import_sample=Path(args.import_sample) if args.import_sample else None,
    )
    if args.json in (None, "-"):
        print(json.dumps(result.as_dict(), indent=2) if args.json else format_result(result))
    else:
        output = Path(args.json)
        partial = output.with_name(output.name + ".part")
        partial.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
        partial.replace(output)
        print(format_result(result))
        print(f"wrote {output}")
    return 0


def _safe_url(url: str) -> str:
    """The database URL without any password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
