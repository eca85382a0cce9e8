"""The checks of a plan file's records, one function per kind of record: the plan row, the
actions (with their partners and school lists), the targets and the spend lines. Each turns
typed rows into plain records with canonical codes and adds every problem it finds to the
:class:`~ecm.plan.io.cells.Checks` it is given."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, select

from ecm.periods import period_start
from ecm.plan.io.cells import Checks, FileRow, allowed_codes, as_text, listed, match_key
from ecm.plan.io.layout import (
    MAX_AMOUNT,
    PLAN_STATUSES,
    SCOPES,
    TARGET_FIELDS,
    Reference,
    target_groups,
)
from ecm.store.models import ACTION_STATUSES, School


def check_plan(checks: Checks, rows: list[FileRow], name: str) -> dict | None:
    """The plan's one row."""
    if not rows:
        checks.add_to_file(name, "no plan row: give the plan's title, period, start and end "
                           "dates and status (sheet Plan, row 2)")  # fmt: skip
        return None
    for extra in rows[1:]:
        checks.add(extra, None, f"a second plan row (the first is on line {rows[0].line}); "
                   "a file holds one plan")  # fmt: skip
    row = rows[0]
    plan = {
        "title": checks.text(row, "title", required=True, limit=200),
        "period_label": checks.text(row, "period", required=True, limit=20),
        "start_date": checks.date(row, "start_date", required=True),
        "end_date": checks.date(row, "end_date", required=True),
        "status": checks.choice(
            row, "status", allowed_codes(PLAN_STATUSES), "draft or agreed", required=True
        ),
    }
    period = plan["period_label"]
    if period and not (
        (match := re.fullmatch(r"(\d{4})-(\d{4})", period)) and int(match[2]) > int(match[1])
    ):
        checks.add(row, "period", f"write the period as its first and last years, e.g. "
                   f"2008-2011 (found {period!r})")  # fmt: skip
    _check_order(checks, row, plan["start_date"], plan["end_date"], "end_date",
                 "the plan ends before it starts")  # fmt: skip
    return plan


def _check_order(
    checks: Checks,
    row: FileRow,
    start: dt.date | None,
    end: dt.date | None,
    column: str,
    message: str,
) -> None:
    """A problem in ``column`` when both dates are given and ``end`` comes before ``start``."""
    if start and end and end < start:
        checks.add(row, column, message)


def _partners(
    checks: Checks, row: FileRow, column: str, reference: Reference, many: bool = False
) -> list[str]:
    """Partners named in a cell (``;``-separated when ``many``), in the partner list's spelling."""
    text = checks.text(row, column, required=not many)
    if text is None:
        return []
    allowed = allowed_codes(list(reference.partners))
    names = [part.strip() for part in text.split(";")] if many else [text]
    found: list[str] = []
    for part in filter(None, names):
        partner = allowed.get(match_key(part))
        if partner is None:
            checks.add(row, column, f"{part!r} is not a Children's Trust partner; use a name "
                       f"from the list, e.g. {listed(list(reference.partners), 4)}")  # fmt: skip
        elif partner not in found:
            found.append(partner)
    return found


def check_actions(
    checks: Checks, rows: list[FileRow], reference: Reference
) -> tuple[list[dict], list[tuple[FileRow, list[str]]]]:
    """The actions, and each one's row with its school URNs."""
    actions, school_lists, seen = [], [], {}
    for row in rows:
        ref = checks.text(row, "ref", required=True, limit=40)
        if ref is not None and ref in seen:
            checks.add(row, "ref", f"ref {ref} is used again (first on line {seen[ref]})")
        elif ref is not None:
            seen[ref] = row.line
        lead = _partners(checks, row, "lead_partner", reference)
        contributing = _partners(checks, row, "contributing_partners", reference, many=True)
        action = {
            "ref": ref,
            "priority": checks.text(row, "priority", limit=300),
            "outcome_code": checks.one_of(
                row, "outcome", reference.outcomes, "an outcome", required=True
            ),
            "title": checks.text(row, "title", required=True, limit=300),
            "description": checks.text(row, "description"),
            "lead_partner": lead[0] if lead else None,
            "contributing_partners": ";".join(contributing) or None,
            "status": checks.one_of(
                row, "status", ACTION_STATUSES, "an action status", required=True
            ),
            "start_date": checks.date(row, "start_date"),
            "due_date": checks.date(row, "due_date"),
            "scope": checks.one_of(row, "scope", SCOPES, "a scope") or "whole_area",
            "scope_detail": checks.text(row, "scope_detail", limit=200),
        }
        _check_order(checks, row, action["start_date"], action["due_date"], "due_date",
                     "due before it starts")  # fmt: skip
        urns = _urns(checks, row)
        if urns and action["scope"] != "schools" and as_text(row.cells.get("scope")):
            checks.add(row, "schools", f"schools are listed but the scope is {action['scope']}; "
                       "set the scope to schools or clear the list")  # fmt: skip
        elif urns and action["scope"] == "whole_area":
            action["scope"] = "schools"  # a list of schools with no scope given means those
        actions.append(action)
        school_lists.append((row, urns))
    return actions, school_lists


def _urns(checks: Checks, row: FileRow) -> list[str]:
    """The URNs of a ``schools`` cell, in order, each once."""
    text = checks.text(row, "schools")
    urns: list[str] = []
    for part in re.split(r"[;,\s]+", text or ""):
        if not part:
            continue
        if not re.fullmatch(r"\d{5,8}", part):
            checks.add(row, "schools", f"{part!r} is not a URN (a school's 6-digit number)")
        elif part not in urns:
            urns.append(part)
    return urns


def check_schools(
    checks: Checks,
    school_lists: list[tuple[FileRow, list[str]]],
    engine: Engine | None,
    la_code: str | None,
) -> None:
    """Every listed school is in the store and, when the LA is known, one of the LA's."""
    wanted = sorted({urn for _, urns in school_lists for urn in urns})
    if engine is None or not wanted:
        return
    with engine.connect() as connection:
        held = dict(
            connection.execute(
                select(School.urn, School.la_code).where(School.urn.in_(wanted))
            ).all()
        )
    for row, urns in school_lists:
        for urn in urns:
            if urn not in held:
                checks.add(row, "schools", f"no school with URN {urn} in the store")
            elif la_code and held[urn] != la_code:
                checks.add(row, "schools", f"school {urn} belongs to another LA ({held[urn]})")


def _known_ref(checks: Checks, row: FileRow, actions: list[dict]) -> str | None:
    """The action a target or spend line names by ref."""
    ref = checks.text(row, "action_ref", required=True)
    if ref is not None and ref not in {a["ref"] for a in actions}:
        checks.add(row, "action_ref", f"no action has ref {ref} (refs are set on the Actions "
                   "sheet or action rows)")  # fmt: skip
    return ref


def check_targets(
    checks: Checks, rows: list[FileRow], reference: Reference, actions: list[dict]
) -> list[dict]:
    """The targets: known indicator and group, and the pair of numbers the group calls for."""
    groups = target_groups(reference)
    targets = []
    for row in rows:
        indicator = _indicator(checks, row, reference)
        group = _group(checks, row, reference, groups)
        target = {
            "ref": _known_ref(checks, row, actions),
            "indicator_code": indicator,
            "group_code": group,
            "baseline_period": checks.period(row, "baseline_period"),
            "target_period": checks.period(row, "target_period"),
            **{name: checks.number(row, name) for name in TARGET_FIELDS[4:8]},
        }
        if group is not None:
            _check_pair(checks, row, group)
        start, end = target["baseline_period"], target["target_period"]
        if start and end and period_start(end) <= period_start(start):
            checks.add(row, "target_period", f"{end} is not after the baseline period {start}")
        targets.append(target)
    return targets


def check_one_target(target: dict, reference: Reference) -> tuple[dict, list[str]]:
    """One target typed in the app (the store's field names: ``indicator_code``,
    ``group_code``, periods, gaps and values), checked as a file's Targets line is; returns
    the target as the file check reads it and the problems, each as "column: message"."""
    cells = {
        ("indicator" if k == "indicator_code" else "group" if k == "group_code" else k): v
        for k, v in target.items()
    }
    checks = Checks()
    row = FileRow("target", 1, {**cells, "action_ref": "this"})
    (checked,) = check_targets(checks, [row], reference, [{"ref": "this"}])
    checked.pop("ref", None)
    return checked, [f"{p.column.replace('_', ' ')}: {p.message}" for p in checks.problems]


def _indicator(checks: Checks, row: FileRow, reference: Reference) -> str | None:
    """A target's indicator code, as the reference list spells it."""
    indicator = checks.text(row, "indicator", required=True)
    if indicator is None or indicator in reference.indicators:
        return indicator
    found = {match_key(code): code for code in reference.indicators}.get(match_key(indicator))
    if found is None:
        checks.add(row, "indicator", f"no indicator with code {indicator!r} (the template's "
                   "Instructions sheet lists them)")  # fmt: skip
    return found


def _group(checks: Checks, row: FileRow, reference: Reference, groups: list[str]) -> str | None:
    """A target's pupil group: ``all`` or a focus group (never a comparator)."""
    group = checks.text(row, "group", required=True)
    if group is None:
        return None
    code = allowed_codes(groups).get(match_key(group))
    if code is None:
        comparator_of = [c for c, (_, comp) in reference.groups.items() if comp == group]
        why = (
            f"{group} is the comparator of {comparator_of[0]}: a target names the focus "
            "group whose gap it narrows, or all"
            if comparator_of
            else f"{group!r} is not a pupil group"
        )
        checks.add(row, "group", f"{why}; use one of {listed(groups, 8)}")
    return code


def _check_pair(checks: Checks, row: FileRow, group: str) -> None:
    """A target for all pupils gives values, one for a focus group gaps: both of the pair or
    neither, and nothing of the other pair."""
    used, unused = ("value", "gap") if group == "all" else ("gap", "value")
    for name in (f"baseline_{unused}", f"target_{unused}"):
        if as_text(row.cells.get(name)) is not None:
            whom = "all pupils" if group == "all" else "a focus group"
            checks.add(row, name, f"a target for {whom} is a {used}: use baseline_{used} and "
                       f"target_{used}")  # fmt: skip
    given = [as_text(row.cells.get(f"{end}_{used}")) is not None for end in ("baseline", "target")]
    if given == [True, False]:
        checks.add(row, f"target_{used}", f"a baseline {used} needs a target {used}")
    elif given == [False, True]:
        checks.add(row, f"baseline_{used}", f"a target {used} needs a baseline {used}")


def check_spend(
    checks: Checks, rows: list[FileRow], reference: Reference, actions: list[dict]
) -> list[dict]:
    """Spend lines: known action and partner, a financial year, a non-negative amount in
    pounds and pence, one line per action, partner and year."""
    lines, seen = [], {}
    for row in rows:
        ref = _known_ref(checks, row, actions)
        partners = _partners(checks, row, "partner", reference)
        year = checks.financial_year(row, "financial_year")
        amount = checks.number(row, "amount", required=True)
        if amount is not None and amount < 0:
            checks.add(row, "amount", f"{amount:,.2f} is negative; amounts are 0 or more")
        elif amount is not None and amount > MAX_AMOUNT:
            checks.add(row, "amount", f"{amount:,.2f} is more than the store holds")
        elif amount is not None and round(amount, 2) != amount:
            checks.add(row, "amount", f"{amount!r} has more than 2 decimal places")
        partner = partners[0] if partners else None
        key = (ref, partner, year)
        if None not in key and key in seen:
            checks.add(row, None, f"a second line for {ref}, {partner}, {year} (first on line "
                       f"{seen[key]}): put the year's total on one line")  # fmt: skip
        elif None not in key:
            seen[key] = row.line
        lines.append({"ref": ref, "partner": partner, "financial_year": year, "amount": amount})
    return lines
