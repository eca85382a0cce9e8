"""``python -m ecm audit``: is any withheld count pinned, or confined by bounds, by what the
store shows? A thin handler over :func:`ecm.disclosure.audit.audit_store`; it exits 1 when
something is disclosed, so a deployment's checks can run it."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from ecm.cli.output import with_pandas_display


def add_audit_command(commands: argparse._SubParsersAction) -> None:
    """Add ``audit`` to the command line."""
    audit = commands.add_parser(
        "audit",
        help="check that no withheld count is pinned or narrowly bounded by the shown figures",
        description="Audit the stored disclosure decisions against every sum the figures obey "
        "(groups to all pupils, schools to LAs to regions to the country, similar-school "
        "values): a withheld count is pinned when the shown figures determine it, and "
        "disclosed by bounds when, with counts never negative, they confine a count of 1 to 5 "
        "to fewer than five whole values. Exit status 0: nothing disclosed; 1: something is.",
    )
    audit.add_argument(
        "--database-url", help="the store to audit (default: ECM_DATABASE_URL, else data/ecm.db)"
    )
    audit.add_argument(
        "--indicator",
        action="append",
        metavar="CODE",
        help="audit only this indicator (repeat for more; default: every indicator)",
    )
    audit.add_argument(
        "--no-pools",
        action="store_true",
        help="leave the similar-school values out of the shown figures",
    )
    audit.add_argument("--format", choices=("text", "csv", "json"), default="text")
    audit.set_defaults(handler=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    """``audit``: print what was examined and every disclosed count; exit 1 if any."""
    from sqlalchemy import select

    from ecm.disclosure.audit import audit_store
    from ecm.store.engine import make_engine
    from ecm.store.models import Indicator

    engine = make_engine(args.database_url)
    if args.indicator:
        with engine.connect() as connection:
            known = set(connection.scalars(select(Indicator.code)).all())
        unknown = sorted(set(args.indicator) - known)
        if unknown:
            print(f"error: --indicator: no indicator {', '.join(unknown)}", file=sys.stderr)
            return 2
    result = audit_store(engine, args.indicator, pools=not args.no_pools)
    engine.dispose()
    found = pd.concat(
        [result.pinned.assign(kind="pinned"), result.bounded.assign(kind="bounded")],
        ignore_index=True,
    )
    summary = {
        "unknowns": result.unknowns,
        "equations": result.equations,
        "sensitive": result.sensitive,
        "pinned": len(result.pinned),
        "bounded": len(result.bounded),
    }
    if args.format == "json":
        rows = json.loads(found.to_json(orient="records"))
        print(json.dumps(summary | {"disclosed": rows}, indent=2))
    elif args.format == "csv":
        sys.stdout.write(found.to_csv(index=False))
    else:
        print(
            f"{result.unknowns:,} withheld counts examined against {result.equations:,} "
            f"equations; {len(result.pinned):,} pinned; {result.sensitive:,} small counts "
            f"bounded, {len(result.bounded):,} of them too narrowly"
        )
        if not found.empty:
            with_pandas_display(lambda: print(found.to_string(index=False)))
    return 1 if result.disclosed else 0
