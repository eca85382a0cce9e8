"""``python -m ecm plan ...``: import, export and check the coverage of a Children and Young
People's Plan. Thin handlers over ``ecm.plan_io`` and ``ecm.plans``."""

from __future__ import annotations

import argparse


def add_plan_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``plan import``, ``plan export`` and ``plan coverage`` to the command line."""
    plan = commands.add_parser(
        "plan",
        help="import, export or check a Children and Young People's Plan",
        description="Work with an LA's Children and Young People's Plan: its priorities, "
        "actions, targets and spend.",
    )
    actions = plan.add_subparsers(dest="plan_command", required=True, metavar="PLAN_COMMAND")

    imports = actions.add_parser("import", help="load a plan workbook or CSV for an LA")
    imports.add_argument("file", metavar="FILE", help="an .xlsx workbook or .csv file")
    imports.add_argument("--la", required=True, metavar="CODE", help="the LA's ONS code or number")
    imports.set_defaults(handler=run_plan_import)

    exports = actions.add_parser("export", help="write an LA's plan as a workbook or CSV")
    exports.add_argument("--la", required=True, metavar="CODE", help="the LA's ONS code or number")
    exports.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    exports.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    exports.set_defaults(handler=run_plan_export)

    coverage = actions.add_parser(
        "coverage", help="which significant gaps the plan covers, misses or is losing"
    )
    coverage.add_argument("--la", required=True, metavar="CODE", help="the LA's ONS code or number")
    coverage.add_argument("--period", help="an academic year such as 2008/09 (default: latest)")
    coverage.add_argument("--format", choices=("json", "table"), default="table")
    coverage.set_defaults(handler=run_plan_coverage)


def run_plan_import(args: argparse.Namespace) -> int:
    """``plan import``: load a plan file, all or nothing."""
    raise NotImplementedError("plan import is being written")


def run_plan_export(args: argparse.Namespace) -> int:
    """``plan export``: write the LA's plan."""
    raise NotImplementedError("plan export is being written")


def run_plan_coverage(args: argparse.Namespace) -> int:
    """``plan coverage``: the plan's coverage of the LA's gaps."""
    raise NotImplementedError("plan coverage is being written")
