"""DfE school performance tables: KS2 and KS4 results, absence, census and KS4 destinations.

One row per school (plus LA and national rows); columns split by pupil group. Columns are
mapped by name, never by position, through ``data/mappings/performance_tables.csv``, so a new
year or a new measure is a data change. Where a file gives a percentage and its group's size,
the numerator is derived (percentage x size / 100, rounded) so that intervals can be computed,
with the range of whole numerators the rounded percentage allows (``numerator_low``,
``numerator_high``) so that comparisons can allow for the rounding; published limits
(progress scores, Progress 8) are kept.

Row types (``RECTYPE``): KS2 1 mainstream, 2 special, 3 LA, 5 England (state-funded); KS4 1, 2,
4 LA, 7 England (state-funded); destinations 1, 2, ``LA``, ``NAT``. The England rows of all
schools including independent ones (KS2 4, KS4 5) are not loaded: the state-funded figure is
the national comparator the tables themselves use.

Besides each figure's own checks, a file is refused for a row cut short in its data
(``ragged``), a lone fraction among percentages, a pupil count beyond any real school's or LA's,
and groups whose cohorts or percentages do not add up to all pupils' (``checks``).
"""

from __future__ import annotations

import csv
import re
from functools import cache

import pandas as pd

from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.errors import DataError, DataProblem
from ecm.importers.checks import (
    Reading,
    cohort_problems,
    count_problem,
    figure_problem,
    fraction_columns,
    fraction_problem,
    share_problems,
)
from ecm.importers.geography import ons_code
from ecm.importers.ragged import read_positions, short_row_problem
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, half_last_place, numerator_range, parse_cell
from ecm.importers.writer import ParsedFile
from ecm.store.school_types import type_name

MAPPING_FILE = DATA_DIR / "mappings" / "performance_tables.csv"
MAX_PROBLEMS = 50
#: (format, RECTYPE) -> level; formats without RECTYPE take every row with a URN as a school.
ROW_LEVELS = {
    "ks2": {"1": "school", "2": "school", "3": "la", "5": "england"},
    "ks4": {"1": "school", "2": "school", "4": "la", "7": "england"},
    "destinations": {"1": "school", "2": "school", "LA": "la", "NAT": "england"},
}
PHASES = {"ks2": "primary", "ks4": "secondary"}
#: What the pupil counts of each format count (see ecm.importers.checks.COUNT_LIMITS).
COUNTED = {"census": "on roll"}
#: Columns that identify each format (all must be present, in any case).
SIGNATURES = {
    "ks2": ("RECTYPE", "URN", "PTRWM_EXP", "TELIG"),
    "ks4": ("RECTYPE", "URN", "ATT8SCR", "TPUP"),
    "destinations": ("RECTYPE", "URN", "OVERALL_DESTPER", "COHORT"),
    "absence": ("URN", "PERCTOT", "PPERSABS10"),
    "census": ("URN", "NOR", "PNUMFSMEVER"),
}


@cache
def mappings() -> pd.DataFrame:
    """The column -> indicator and group mapping of every performance-table format."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return pd.DataFrame(list(csv.DictReader(handle))).fillna("")


def detect(table: Table) -> str | None:
    """The performance-table format a header belongs to, or None."""
    for name, columns in SIGNATURES.items():
        if all(table.column(c) is not None for c in columns):
            return name
    return None


def period_from_name(name: str) -> str | None:
    """2018-2019_850_ks2final.csv or england-2018-19/... -> 2018/19."""
    match = re.search(r"(20\d{2})[-_](20\d{2}|\d{2})(?!\d)", name)
    if not match:
        return None
    start = int(match.group(1))
    return f"{start}/{str(start + 1)[-2:]}"


def parse(table: Table, kind: str, period: str, units: dict[str, str]) -> ParsedFile:
    """Turn a performance-table file into figures, schools and the LAs it names.

    ``units`` maps indicator code to unit (to reject percentages over 100).
    """
    rules = mappings()
    rules = rules[rules["format"] == kind]
    columns = {c: table.column(c) for c in _named_columns(rules)}
    twice = _repeated_columns(table.header, set(columns))
    if twice:
        raise DataError(
            [
                DataProblem(
                    table.name, 1, name, f"appears {count} times, so which to read is unclear"
                )
                for name, count in twice.items()
            ]
        )
    mapped = rules[rules["column"].map(lambda c: columns.get(c) is not None)]
    if mapped.empty:
        raise DataError([DataProblem(table.name, 1, None, f"no {kind} measure columns found")])
    missing = _indicators_without_columns(rules, mapped)
    positions = read_positions(table, _named_columns(mapped))
    fractions = _fraction_columns(table, mapped, units)
    counted = COUNTED.get(kind, "year group")
    # Plain tuples: pandas row access inside a loop over 20,000 rows would dominate the time.
    rule_list = list(mapped.itertuples(index=False, name="Rule"))
    problems: list[DataProblem] = []
    figures: list[dict] = []
    schools: list[dict] = []
    la_codes: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    skipped = 0
    position = {
        name: table.column(name)
        for name in (
            "RECTYPE",
            "URN",
            "LEA",
            "LA",
            "ESTAB",
            "SCHNAME",
            "SCHOOLTYPE",
            "NFTYPE",
            "NOR",
            "TOTPUPS",
        )
    }

    def cell(fields: list[str], name: str | None) -> str:
        index = position.get(name) if name in position else columns.get(name)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    for line, fields in table.rows:
        level = _level(kind, cell(fields, "RECTYPE"), cell(fields, "URN"))
        if level is None:
            skipped += 1
            continue
        short = short_row_problem(table, line, fields, positions)
        if short:
            problems.append(short)
            continue
        la_number = (
            (cell(fields, "LEA") or cell(fields, "LA")).zfill(3)
            if (cell(fields, "LEA") or cell(fields, "LA"))
            else ""
        )
        if level == "england":
            area = ENGLAND_CODE
        elif level == "la":
            area = ons_code(la_number) if la_number else None
            if area is None:
                problems.append(
                    DataProblem(table.name, line, "LEA", f"{la_number!r} is not an LA number")
                )
                continue
            la_codes.add(la_number)
        else:
            area = cell(fields, "URN")
            if not area.isdigit():
                problems.append(DataProblem(table.name, line, "URN", f"{area!r} is not a URN"))
                continue
            if la_number and ons_code(la_number) is None:
                problems.append(
                    DataProblem(table.name, line, "LEA", f"{la_number!r} is not an LA number")
                )
                continue
            if la_number:
                la_codes.add(la_number)
            schools.append(_school(kind, fields, cell, area, la_number))
        if (level, area) in seen:
            problems.append(
                DataProblem(
                    table.name,
                    line,
                    "URN" if level == "school" else "LEA",
                    f"{area} appears twice (first on line {seen[(level, area)]:,})",
                )
            )
            continue
        seen[(level, area)] = line
        roll_column = "NOR" if position["NOR"] is not None else "TOTPUPS"
        try:
            roll, _ = parse_cell(cell(fields, roll_column))
        except BadNumber as error:
            problems.append(DataProblem(table.name, line, roll_column, str(error)))
            continue
        too_many = count_problem(table.name, line, roll_column, roll, level, "on roll")
        if too_many:
            problems.append(too_many)
            continue
        cohorts: list[tuple[str, str, float | None, str]] = []
        readings: list[Reading] = []
        for rule in rule_list:
            try:
                value, marker = parse_cell(cell(fields, rule.column))
                denominator, _ = (
                    parse_cell(cell(fields, rule.denominator)) if rule.denominator else (None, None)
                )
                numerator, _ = (
                    parse_cell(cell(fields, rule.numerator)) if rule.numerator else (None, None)
                )
                lower, _ = parse_cell(cell(fields, rule.lower)) if rule.lower else (None, None)
                upper, _ = parse_cell(cell(fields, rule.upper)) if rule.upper else (None, None)
            except BadNumber as error:
                problems.append(DataProblem(table.name, line, rule.column, str(error)))
                continue
            if value is None and marker is None:
                continue
            unit = units.get(rule.indicator, "")
            problem = (
                figure_problem(
                    table.name,
                    line,
                    (rule.column, rule.numerator, rule.denominator),
                    value,
                    numerator,
                    denominator,
                    unit,
                )
                or count_problem(table.name, line, rule.denominator, denominator, level, counted)
                or count_problem(table.name, line, rule.numerator, numerator, level, counted)
                or (
                    fraction_problem(table.name, line, rule.column, cell(fields, rule.column))
                    if rule.column in fractions
                    else None
                )
            )
            if problem:
                problems.append(problem)
                continue
            readings.append(
                Reading(
                    rule.indicator,
                    rule.group,
                    (rule.column, rule.numerator, rule.denominator),
                    value,
                    numerator,
                    denominator,
                    half_last_place(cell(fields, rule.column)),
                    unit,
                )
            )
            # A published count is exact; a derived one is only known to lie in the range of
            # whole numerators its rounded percentage allows, kept so that comparisons can
            # allow for it (ecm.stats.rounding).
            low = high = None
            if numerator is None and value is not None and denominator is not None and unit == "%":
                numerator = round(value * denominator / 100)
                fits = numerator_range(value, denominator, readings[-1].half_unit)
                low, high = fits if fits else (numerator, numerator)
            cohorts.append((rule.indicator, rule.group, denominator, rule.denominator))
            figures.append(
                {
                    "indicator_code": rule.indicator,
                    "level": level,
                    "area_code": area,
                    "group_code": rule.group,
                    "period": period,
                    "value": value,
                    "numerator": numerator,
                    "numerator_low": low,
                    "numerator_high": high,
                    "denominator": denominator,
                    "lower_ci": lower,
                    "upper_ci": upper,
                    "marker": marker,
                }
            )
        problems += cohort_problems(table.name, line, cohorts)
        problems += share_problems(table.name, line, readings)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        # Several measures read one cohort column, so a bad count is found once for each.
        raise DataError(list(dict.fromkeys(problems)))
    observations = pd.DataFrame(figures)
    if observations.empty:
        raise DataError([DataProblem(table.name, None, None, "no figures found in the file")])
    return ParsedFile(
        file_name=table.name,
        format=kind,
        observations=observations,
        la_codes=la_codes,
        schools=pd.DataFrame(schools),
        rows_read=len(table.rows),
        rows_skipped=skipped,
        notes=[
            f"not in this file, so not loaded: {', '.join(missing)}; DfE renames columns "
            "between years, and data/mappings/performance_tables.csv lists the names read"
        ]
        if missing
        else [],
    )


def _fraction_columns(table: Table, mapped: pd.DataFrame, units: dict[str, str]) -> set[str]:
    """The percentage columns in which a plain 0-1 number would be a fraction (see
    :func:`ecm.importers.checks.fraction_columns`)."""
    percent = {r.column for r in mapped.itertuples() if units.get(r.indicator) == "%"}
    index = {c: table.column(c) for c in percent}
    return fraction_columns(
        {c: [f[i] for _, f in table.rows if i < len(f)] for c, i in index.items()}
    )


def _repeated_columns(header: list[str], wanted: set[str]) -> dict[str, int]:
    """Mapped column names the header holds more than once (compared without case)."""
    counts: dict[str, int] = {}
    for name in header:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return {n: counts[n.lower()] for n in sorted(wanted) if counts.get(n.lower(), 0) > 1}


def _indicators_without_columns(rules: pd.DataFrame, mapped: pd.DataFrame) -> list[str]:
    """Indicators (with the group when only some groups are missing) that the format's mapping
    reads but this file has no column for, e.g. ``ptmat_exp`` or ``ptmat_exp (disadvantaged)``."""
    wanted = set(zip(rules["indicator"], rules["group"], strict=True))
    found = set(zip(mapped["indicator"], mapped["group"], strict=True))
    missing: list[str] = []
    for indicator in sorted({i for i, _ in wanted - found}):
        groups = sorted(g for i, g in wanted - found if i == indicator)
        if any(i == indicator for i, _ in found):
            missing.append(f"{indicator} ({', '.join(groups)})")
        else:
            missing.append(indicator)
    return missing


def _named_columns(rules: pd.DataFrame) -> set[str]:
    names = set()
    for column in ("column", "numerator", "denominator", "lower", "upper"):
        names |= {n for n in rules[column] if n}
    return names


def _level(kind: str, rectype: str, urn: str) -> str | None:
    if kind in ROW_LEVELS:
        return ROW_LEVELS[kind].get(rectype)
    return "school" if urn.isdigit() else None


def _school(kind: str, fields: list[str], cell, urn: str, la_number: str) -> dict:  # noqa: ANN001
    """The register facts a results file carries about a school."""
    phase = PHASES.get(kind)
    if cell(fields, "RECTYPE") == "2":
        phase = "special"
    # The census names the type (SCHOOLTYPE); key-stage tables give DfE's code (NFTYPE), which
    # is what tells an independent school (IND, INDSPEC) from a state-funded one.
    school_type = cell(fields, "SCHOOLTYPE") or type_name(cell(fields, "NFTYPE"))
    if kind in ("census", "absence") and school_type:
        lowered = school_type.lower()
        phase = (
            "special"
            if "special" in lowered
            else "secondary"
            if "secondary" in lowered
            else "primary"
            if "primary" in lowered
            else None
        )
    roll = cell(fields, "NOR") or cell(fields, "TOTPUPS")
    return {
        "urn": urn,
        "laestab": f"{la_number}{cell(fields, 'ESTAB').zfill(4)}"
        if la_number and cell(fields, "ESTAB")
        else None,
        "name": cell(fields, "SCHNAME") or None,
        "la_code": ons_code(la_number) if la_number else None,
        "phase": phase,
        "school_type": school_type,
        "number_on_roll": int(float(roll)) if roll.replace(".", "", 1).isdigit() else None,
    }
