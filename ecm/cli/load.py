"""``python -m ecm load``: a bounded load on a running dashboard while the store changes. A
thin handler over :func:`ecm.bench.load.run_load`; it exits 1 when any page showed an error
or any change failed, so a deployment's checks can run it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ecm.config import database_url


def add_load_command(commands: argparse._SubParsersAction) -> None:
    """Add ``load`` to the command line."""
    load = commands.add_parser(
        "load",
        help="time many sessions at once on a running dashboard while files and plans import",
        description="Open N browser sessions on a running dashboard (e.g. nginx in front of "
        "deploy/'s processes) and, round after round, ask for every session's page at once, "
        "timing each to its full render; meanwhile import the files and plans given, one after "
        "another, as other clients would. Reports p50 and p95 and the pages that showed an "
        "error. Exit status 0: no error and every change made; 1: otherwise.",
    )
    load.add_argument("url", help="the dashboard's address, e.g. http://127.0.0.1:8080")
    load.add_argument(
        "--database-url", help="its store (default: ECM_DATABASE_URL, else data/ecm.db)"
    )
    load.add_argument("--sessions", type=int, default=20, help="sessions at once (default 20)")
    load.add_argument(
        "--rounds", type=int, default=3, help="rounds at least, more while changes run (3)"
    )
    load.add_argument(
        "--path",
        action="append",
        metavar="PATH",
        help="a page to open, e.g. /area?la=E10000014 (repeat; sessions take them in turn; "
        "default: a school, an LA, a region and the gap explorer from the store)",
    )
    load.add_argument(
        "--import", dest="imports", action="append", default=[], metavar="FILE",
        help="a data file to import during the load (repeat for more)",
    )  # fmt: skip
    load.add_argument(
        "--plan-import", nargs=2, action="append", default=[], metavar=("FILE", "LA"),
        help="a plan workbook or CSV to import for an LA during the load",
    )  # fmt: skip
    load.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
    load.set_defaults(handler=run_load_command)


def run_load_command(args: argparse.Namespace) -> int:
    """``load``: run it, print the result, exit 1 on any error."""
    from ecm.bench.browser import bench_pages
    from ecm.bench.load import run_load
    from ecm.store.engine import make_engine

    url = args.database_url or database_url()
    paths = args.path
    if not paths:
        engine = make_engine(url)
        paths = list(bench_pages(engine).values())
        engine.dispose()
    changes = [["import", str(Path(f))] for f in args.imports] + [
        ["plan", "import", str(Path(f)), "--la", la, "--user", "load test"]
        for f, la in args.plan_import
    ]
    result = run_load(args.url.rstrip("/"), url, paths, args.sessions, args.rounds, changes)
    text = json.dumps(result.as_dict(), indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    failed = result.errors or any(c["exit_status"] != 0 for c in result.changes)
    if failed:
        print("error: a page showed an error or a change failed (see above)", file=sys.stderr)
    return 1 if failed else 0
