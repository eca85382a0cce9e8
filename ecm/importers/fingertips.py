"""Fingertips-style tidy series: one row per area, period and indicator.

Two shapes are read: the tidy form (``area_code, area_name, period, value, indicator`` with or
without ``lower_ci``/``upper_ci``, ``count``, ``denominator``) and the Fingertips download
(``Indicator ID, Area Code, ..., Value, Lower CI 95.0 limit, Upper CI 95.0 limit, Count,
Denominator, Value note``). Indicator names map to catalogue codes through
``data/mappings/fingertips.csv`` (a blank code there means "known, deliberately not loaded",
such as pooled five-year series). Areas the dashboard does not hold (districts, combined
authorities, wards, former LA codes) are skipped and counted in the import note; breakdowns
by deprivation quintile are skipped likewise. Fingertips' own test of each figure against
England ("compared to England": better, similar, worse, ...) is kept with the figure.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.errors import DataProblem
from ecm.importers.checks import figure_problem, reject_if_needed
from ecm.importers.geography import la_lookup, la_numbers_by_ons_code
from ecm.importers.ragged import cut_row_problem
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile
from ecm.stats.benchmarks import PUBLISHED_WORDS, SIMILAR

MAPPING_FILE = DATA_DIR / "mappings" / "fingertips.csv"
#: Each field under its tidy name and its Fingertips download name.
FIELDS = {
    "area_code": ("area_code", "Area Code"),
    "period": ("period", "Time period"),
    "value": ("value", "Value"),
    "indicator": ("indicator", "Indicator Name"),
    "lower": ("lower_ci", "Lower CI 95.0 limit"),
    "upper": ("upper_ci", "Upper CI 95.0 limit"),
    "count": ("count", "Count"),
    "denominator": ("denominator", "Denominator"),
    "note": ("value_note", "Value note"),
    "inequality": ("inequality", "Category"),
    "significance": (
        "significance",
        "Compared to England value or percentiles",
        "compared_to_England",
    ),  # fmt: skip
}
#: Fingertips' words for a figure it did not test against England.
NOT_TESTED = ("", "na", "not compared", "not applicable")


def published_comparison(text: str) -> tuple[str | None, str | None]:
    """Fingertips' "compared to England" in one word (better, similar, worse, higher,
    lower; None where it did not test), and a problem for a word it never uses.

    ``Better 95%`` and ``Better 99.8%`` both say the figure differs at 95% confidence;
    quintile and percentile placings rank rather than test, so they are not kept.
    """
    words = text.strip().lower()
    if words in NOT_TESTED or any(w in words for w in ("quintile", "percentile", "decile")):
        return None, None
    first = words.split()[0]
    if first in PUBLISHED_WORDS:
        return first, None
    return None, (
        f"{text.strip()!r} is not a comparison with England (Fingertips writes better, "
        "similar, worse, higher, lower or not compared)"
    )


def _similar_only_at_95(figures: list[dict], tested_at_998: set[str]) -> None:
    """Forget "similar" for indicators Fingertips tests at 99.8%: not different at 99.8% may
    still be different at 95%, the level the dashboard compares at. (Its "better" and
    "worse" at 99.8% are different at 95% too, and are kept.)"""
    for figure in figures:
        if figure["indicator_code"] in tested_at_998 and figure["published_vs_england"] == SIMILAR:
            figure["published_vs_england"] = None


@cache
def mapping() -> dict[str, tuple[str, str]]:
    """Indicator name -> (catalogue code, group); code blank = not loaded on purpose."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return {r["indicator"]: (r["code"], r["group"] or "all") for r in csv.DictReader(handle)}


def detect(table: Table) -> bool:
    """Tidy or download shape: an area code, a period, a value and an indicator name."""
    return all(
        any(table.column(name) is not None for name in FIELDS[key])
        for key in ("area_code", "period", "value", "indicator")
    )


def parse(table: Table, _period: str | None, _units: dict[str, str]) -> ParsedFile:
    """Figures for LAs, regions and England from a tidy series file."""
    index = {
        key: next((table.column(n) for n in names if table.column(n) is not None), None)
        for key, names in FIELDS.items()
    }
    las = la_numbers_by_ons_code()
    regions = set(la_lookup()["region_code"])
    problems: list[DataProblem] = []
    figures, used_las, used_regions, seen = [], set(), set(), {}
    tested_at_998: set[str] = set()  # indicators Fingertips tests at 99.8%
    skipped = {"areas": 0, "breakdowns": 0, "not loaded": 0}
    for line, fields in table.rows:

        def cell(key: str, fields: list[str] = fields) -> str:
            position = index[key]
            return (
                fields[position].strip() if position is not None and position < len(fields) else ""
            )

        cut = cut_row_problem(table, line, fields)
        if cut:
            problems.append(cut)
            continue
        name = cell("indicator")
        if name not in mapping():
            problems.append(
                DataProblem(
                    table.name,
                    line,
                    "indicator",
                    f"{name!r} is not in data/mappings/fingertips.csv",
                )
            )
            continue
        code, group = mapping()[name]
        if not code:
            skipped["not loaded"] += 1
            continue
        if cell("inequality") not in ("", "NA", "Persons"):
            skipped["breakdowns"] += 1
            continue
        area = cell("area_code")
        if area == ENGLAND_CODE:
            level = "england"
        elif area in regions:
            level = "region"
            used_regions.add(area)
        elif area in las:
            level = "la"
            used_las.add(las[area][0])
            area = las[area][1]  # a former code continues its successor's series
        else:
            skipped["areas"] += 1
            continue
        try:
            value, marker = parse_cell(cell("value"))
            lower, _ = parse_cell(cell("lower"))
            upper, _ = parse_cell(cell("upper"))
            count, _ = parse_cell(cell("count"))
            denominator, _ = parse_cell(cell("denominator"))
        except BadNumber as error:
            problems.append(DataProblem(table.name, line, "value", str(error)))
            continue
        key = (code, level, area, group, cell("period"))
        if key in seen:
            problems.append(
                DataProblem(
                    table.name,
                    line,
                    "area_code",
                    f"{area} {cell('period')} appears twice (first on line {seen[key]:,})",
                )
            )
            continue
        seen[key] = line
        if value is None and marker is None:
            continue
        significance = cell("significance")
        published, wrong = published_comparison(significance)
        if wrong:
            problems.append(DataProblem(table.name, line, "significance", wrong))
            continue
        if "99.8" in significance:
            tested_at_998.add(code)
        problem = figure_problem(
            table.name, line, ("value", "count", "denominator"), value, count, denominator, None
        )
        if problem:
            problems.append(problem)
            continue
        figures.append(
            {
                "indicator_code": code,
                "level": level,
                "area_code": area,
                "group_code": group,
                "period": cell("period"),
                "value": value,
                "numerator": count,
                "denominator": denominator,
                "lower_ci": lower,
                "upper_ci": upper,
                "marker": marker or (cell("note")[:12] or None if value is None else None),
                # England is not compared with itself.
                "published_vs_england": published if level != "england" else None,
            }
        )
        if len(problems) >= 50:
            break
    reject_if_needed(table.name, problems, figures, "no figures for areas the dashboard holds")
    _similar_only_at_95(figures, tested_at_998)
    notes = [f"skipped {n:,} rows ({why})" for why, n in skipped.items() if n]
    return ParsedFile(
        file_name=table.name,
        format="fingertips",
        observations=pd.DataFrame(figures),
        la_codes=used_las,
        region_codes=used_regions,
        rows_read=len(table.rows),
        rows_skipped=sum(skipped.values()),
        notes=notes,
    )
