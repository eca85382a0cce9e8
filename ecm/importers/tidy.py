"""DfE tidy open-data files (explore education statistics): one row per place, period and
filter combination, with ``time_period``, ``time_identifier``, ``geographic_level`` and codes.

Measure columns map to catalogue indicators through ``data/mappings/tidy.csv`` (value,
numerator, denominator, pupils, limits, and filters such as ``school_type=Total``); filter
values that name a pupil group (``social_care_group``: looked-after children, children in need,
children on a protection plan) map through ``data/mappings/tidy_groups.csv``. Files without a
group filter are all pupils; a measure whose column is about one group only (the 2019
looked-after outcomes' ``cla_ks4_...`` columns) names that group in the mapping's ``group``. A
measure is used only when the file has its filter columns too. A ``.meta.csv`` beside a file is
not needed: columns are matched by name. A mapping with no ``value`` column computes the
value as numerator / denominator x the unit's multiplier (``school_type_la.csv`` publishes
only counts). Places the dashboard does not hold (former LA codes)
and rows without a readable period (``NULL``) are skipped and counted. A cell "." (not
applicable) is read as a marker.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from ecm.catalogue import UNIT_MULTIPLIERS
from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.errors import DataError, DataProblem
from ecm.importers.checks import figure_problem, reject_if_needed
from ecm.importers.geography import la_lookup
from ecm.importers.ragged import cut_row_problem
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile

MEASURES_FILE = DATA_DIR / "mappings" / "tidy.csv"
GROUPS_FILE = DATA_DIR / "mappings" / "tidy_groups.csv"
LEVELS = {"National": "england", "Regional": "region", "Local authority": "la"}
#: "." stands for "not applicable" in DfE's 2019 outcomes files; ecm.importers.values lacks it.
EXTRA_MARKERS = {"."}


@cache
def measures() -> list[dict[str, str]]:
    """The measure mappings, in file order."""
    with MEASURES_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def group_values() -> dict[tuple[str, str], str]:
    """(filter column, value) -> pupil group."""
    with GROUPS_FILE.open(encoding="utf-8") as handle:
        return {(r["column"], r["value"]): r["group"] for r in csv.DictReader(handle)}


def _parse(text: str) -> tuple[float | None, str | None]:
    """parse_cell, with "." read as a marker."""
    return (None, text.strip()) if text.strip() in EXTRA_MARKERS else parse_cell(text)


def detect(table: Table) -> bool:
    """The tidy format's identifying columns."""
    return all(
        table.column(c) is not None for c in ("time_period", "time_identifier", "geographic_level")
    )


def period_label(code: str, identifier: str) -> str:
    """201819 + "Academic year" -> 2018/19; 2024 + "Reporting year" -> 2024."""
    code = code.strip()
    if len(code) == 6 and code.isdigit():
        separator = "-" if "financial" in identifier.lower() else "/"
        return f"{code[:4]}{separator}{code[4:]}"
    return code


def parse(table: Table, _period: str | None, units: dict[str, str]) -> ParsedFile:
    """Figures for England, regions and LAs from a tidy file."""
    column = {name.lower(): i for i, name in enumerate(table.header)}
    mapped = [
        m
        for m in measures()
        if (m["value"] or m["numerator"]).lower() in column
        and (m["value"] or m["denominator"].lower() in column)
        and m["indicator"] in units
        and all(c.split("=", 1)[0].lower() in column for c in m["filters"].split(";") if c)
    ]
    if not mapped:
        raise DataError(
            [
                DataProblem(
                    table.name,
                    1,
                    None,
                    "no measure column of this file is in data/mappings/tidy.csv",
                )
            ]
        )
    group_columns = sorted({c for c, _ in group_values()} & set(column))
    las = {code: old for old, code in la_lookup()["ons_code"].items()}
    regions = set(la_lookup()["region_code"])
    problems: list[DataProblem] = []
    figures, used_las, used_regions, seen = [], set(), set(), {}
    skipped = 0

    for line, fields in table.rows:

        def cell(name: str, fields: list[str] = fields) -> str:
            index = column.get(name.lower()) if name else None
            return fields[index].strip() if index is not None and index < len(fields) else ""

        cut = cut_row_problem(table, line, fields)
        if cut:
            problems.append(cut)
            continue
        level = LEVELS.get(cell("geographic_level"))
        if level is None:
            skipped += 1
            continue
        if level == "england":
            area = ENGLAND_CODE
        elif level == "region":
            area = cell("region_code")
            if area not in regions:
                skipped += 1
                continue
            used_regions.add(area)
        else:
            area = cell("new_la_code")
            if area not in las:
                skipped += 1
                continue
            used_las.add(las[area])
        row_group: str | None = "all"
        for name in group_columns:
            row_group = group_values().get((name, cell(name)), None)
        period = period_label(cell("time_period"), cell("time_identifier"))
        if (
            row_group is None
            and not any(m.get("group") for m in mapped)
            or not period[:4].isdigit()
        ):
            skipped += 1
            continue
        for measure in mapped:
            conditions = [c.split("=", 1) for c in measure["filters"].split(";") if c]
            if any(cell(name) != value for name, value in conditions):
                continue
            group = measure.get("group") or row_group
            if group is None:
                continue
            try:
                value, marker = _parse(cell(measure["value"]))
                numerator, _ = _parse(cell(measure["numerator"]))
                denominator, _ = _parse(cell(measure["denominator"]))
                pupils, _ = _parse(cell(measure["pupils"]))
                lower, _ = _parse(cell(measure["lower"]))
                upper, _ = _parse(cell(measure["upper"]))
            except BadNumber as error:
                column_name = measure["value"] or measure["numerator"]
                problems.append(DataProblem(table.name, line, column_name, str(error)))
                continue
            if not measure["value"]:  # computed from published counts
                marker = marker or _parse(cell(measure["numerator"]))[1]
                marker = marker or _parse(cell(measure["denominator"]))[1]
                if marker is None and numerator is not None and denominator:
                    value = numerator / denominator * UNIT_MULTIPLIERS[units[measure["indicator"]]]
            if value is None and marker is None:
                continue
            key = (measure["indicator"], level, area, group, period)
            if key in seen:
                problems.append(
                    DataProblem(
                        table.name,
                        line,
                        measure["value"],
                        f"{area} {period} {group} appears twice (first on line {seen[key]:,})",
                    )
                )
                continue
            seen[key] = line
            problem = figure_problem(
                table.name,
                line,
                (measure["value"], measure["numerator"], measure["denominator"]),
                value if measure["value"] else None,
                numerator,
                denominator,
                units.get(measure["indicator"]),
            )
            if problem:
                problems.append(problem)
                continue
            figures.append(
                {
                    "indicator_code": measure["indicator"],
                    "level": level,
                    "area_code": area,
                    "group_code": group,
                    "period": period,
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                    "pupils": pupils,
                    "lower_ci": lower,
                    "upper_ci": upper,
                    "marker": marker,
                }
            )
        if len(problems) >= 50:
            break
    reject_if_needed(
        table.name, problems, figures, "no figures for places and groups the dashboard holds"
    )
    return ParsedFile(
        file_name=table.name,
        format="tidy",
        observations=pd.DataFrame(figures),
        la_codes=used_las,
        region_codes=used_regions,
        rows_read=len(table.rows),
        rows_skipped=skipped,
        notes=[f"skipped {skipped:,} rows (places or groups not held)"] if skipped else [],
    )
