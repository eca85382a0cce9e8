"""``python -m ecm plan ...``: import, export and check the coverage of a Children and Young
People's Plan. Thin handlers over ``ecm.plan.io`` and ``ecm.plan.coverage``."""

from __future__ import annotations

import argparse


def add_plan_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``plan import``, ``plan export``, ``plan template`` and ``plan coverage`` to the
    command line."""
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
    imports.add_argument(
        "--user",
        default="command line",
        metavar="NAME",
        help="who is loading the plan, for the audit log (default: command line)",
    )
    imports.set_defaults(handler=run_plan_import)

    exports = actions.add_parser("export", help="write an LA's plan as a workbook or CSV")
    exports.add_argument("--la", required=True, metavar="CODE", help="the LA's ONS code or number")
    exports.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    exports.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    exports.set_defaults(handler=run_plan_export)

    template = actions.add_parser(
        "template",
        help="write the plan template, empty or pre-filled with an LA's gaps as a draft",
        description="Write the plan workbook with its instructions. With --la, pre-filled as a "
        "draft for that LA: one action for each of its significant or widening gaps of the "
        "year (else its widest gaps), with the gap as the baseline; add lead partners, dates "
        "and target gaps, then import it.",
    )
    template.add_argument("--la", metavar="CODE", help="the LA's ONS code or number")
    template.add_argument(
        "--period", help="the year of the gaps, such as 2018/19 (default: the Plan page's)"
    )
    template.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    template.set_defaults(handler=run_plan_template)

    coverage = actions.add_parser(
        "coverage", help="which significant gaps the plan covers, misses or is losing"
    )
    coverage.add_argument("--la", required=True, metavar="CODE", help="the LA's ONS code or number")
    coverage.add_argument("--period", help="an academic year such as 2008/09 (default: latest)")
    coverage.add_argument("--format", choices=("json", "table"), default="table")
    coverage.set_defaults(handler=run_plan_coverage)


def run_plan_import(args: argparse.Namespace) -> int:
    """``plan import``: load a plan file, all or nothing; a rejected file (``DataError``)
    becomes ``error: ...`` and exit 2 in :func:`ecm.cli.main.main`."""
    import sys
    from pathlib import Path

    from ecm.access.rights import operator
    from ecm.figures.queries import UnknownArea
    from ecm.plan.io import import_plan
    from ecm.store.engine import make_engine

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        summary = import_plan(make_engine(), path, args.la, operator(args.user))
    except UnknownArea as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary.describe())
    return 0


def run_plan_export(args: argparse.Namespace) -> int:
    """``plan export``: write the LA's latest plan as a workbook or CSV the importer reads."""
    import sys
    from pathlib import Path

    from ecm.figures.queries import UnknownArea
    from ecm.plan.io import NoPlan, export_plan, plan_rows
    from ecm.store.engine import make_engine

    engine = make_engine()
    try:
        rows = plan_rows(engine, args.la)
        data = export_plan(engine, args.la, args.format)
    except (UnknownArea, NoPlan) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    Path(args.output).write_bytes(data)
    plan = rows["Plan"][0]
    total = sum(line["amount"] for line in rows["Spend"])
    print(
        f"plan {plan['period']} ({plan['title']}) written to {args.output}: "
        f"{len(rows['Actions'])} actions, {len(rows['Targets'])} targets, "
        f"{len(rows['Spend'])} spend lines, total spend £{total:,.2f}"
    )
    return 0


def run_plan_template(args: argparse.Namespace) -> int:
    """``plan template``: the empty template, or with ``--la`` the draft started from the
    LA's gaps (:func:`ecm.plan.io.draft_plan`)."""
    import sys
    from pathlib import Path

    from ecm.figures.queries import UnknownArea
    from ecm.periods import is_academic_year
    from ecm.plan.io import draft_plan, plan_template
    from ecm.store.engine import make_engine

    if args.period and not args.la:
        print("error: --period needs --la (the LA whose gaps fill the draft)", file=sys.stderr)
        return 2
    if args.period and not is_academic_year(args.period):
        print(
            f"error: --period {args.period!r}: write an academic year like 2018/19", file=sys.stderr
        )
        return 2
    if not args.la:
        Path(args.output).write_bytes(plan_template())
        print(f"empty plan template written to {args.output}")
        return 0
    try:
        draft = draft_plan(make_engine(), args.la, args.period)
    except UnknownArea as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    Path(args.output).write_bytes(draft.workbook())
    print(f"{draft.describe()} written to {args.output}")
    return 0


def run_plan_coverage(args: argparse.Namespace) -> int:
    """``plan coverage``: the plan's coverage of the LA's gaps, as JSON (keys ``covered``,
    ``uncovered``, ``off_track``, ``no_target``, ``spend_by_outcome_partner``,
    ``partners_without_actions``, ``by_outcome``, ``la`` with the plan's title, ``period``)
    or tables."""
    import json
    import sys

    from ecm.cli.output import with_pandas_display
    from ecm.figures.queries import UnknownArea, resolve_area
    from ecm.periods import is_academic_year
    from ecm.plan.loaders import la_plan_coverage
    from ecm.store.engine import make_engine

    if args.period and not is_academic_year(args.period):
        print(
            f"error: --period {args.period!r}: write an academic year like 2008/09", file=sys.stderr
        )
        return 2
    engine = make_engine()
    try:
        area = resolve_area(engine, "la", args.la)
    except UnknownArea as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    coverage = la_plan_coverage(engine, area["code"], args.period)
    plan = coverage.plan  # the plan in force that year, if any
    if args.format == "json":
        la = {"code": area["code"], "name": area["name"], "plan": plan["title"] if plan else None}
        result = {"la": la, **coverage.as_dict()}
        del result["evidence"]  # every target's verdict: the Plan page's, not the command's
        print(json.dumps(result, indent=2))
        return 0
    title = plan["title"] if plan else "no plan in force"
    print(f"{area['name']} ({area['code']}), {coverage.period}: {title}")
    sections = (
        ("Coverage at a glance", coverage.by_outcome),
        ("Significant or widening gaps with actions (positive: focus group worse off)",
         coverage.covered.drop(columns=["action_ids"])),
        ("Significant or widening gaps with no action", coverage.uncovered),
        ("Actions off track by the evidence, whatever their status", coverage.off_track[
            ["action_id", "title", "status", "lead_partner", "indicator_code", "group_code",
             "reason"]]),
        ("Actions with no measurable target", coverage.no_target),
        ("Spend by outcome and partner (all years, pounds)", coverage.spend_by_outcome_partner),
        ("Partners with no actions", coverage.partners_without_actions),
    )  # fmt: skip
    for heading, frame in sections:
        print(f"\n{heading}")
        shown = frame.map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v)
        with_pandas_display(lambda f=shown: print(f.to_string(index=False) if len(f) else "none"))
    return 0
