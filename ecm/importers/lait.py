"""The DfE Local Authority Interactive Tool (LAIT) long file (``bds_long_*.parquet``).

One row per item (``Short Desc``), year, and place (152 LAs, nine regions, inner and outer
London, England), with the figure as text in ``Values``. ``Data item`` (the long name) is filled
only on the first rows of some items, so items are matched by their stable ``Short Desc``
through ``data/mappings/lait.csv``; items not listed there are counted and left out (LAIT holds
about 430 items, most of them outside the five outcomes or already loaded from their source).

LAIT gives no counts or intervals, so its figures are stored as published, value only. Its year
column names the year an academic year ends (``2019`` is 2018/19, checked against the KS2
performance tables) or the financial year ends or the March snapshot; each figure is labelled in
the style of its catalogue indicator (``2018/19``, ``2018-19`` or ``2019``). Suffixes such as
``(OT)``, ``(Rev)`` and ``(prov)`` are dropped. ``-`` means not available.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from io import BytesIO

import pandas as pd

from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.errors import DataError, DataProblem
from ecm.importers.averages import outside_their_parts
from ecm.importers.checks import figure_problem, reject_if_needed
from ecm.importers.geography import la_lookup
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile

MAPPING_FILE = DATA_DIR / "mappings" / "lait.csv"
COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
ENGLAND_NUMBER = 970
#: A single year, or an academic or financial year, before any suffix such as " (OT)".
_YEAR = re.compile(r"^(\d{4})(?:[/-](\d{2}))?(?:\s*\(\w+\))?$")


@cache
def mapping() -> dict[str, tuple[str, str]]:
    """LAIT item (Short Desc) -> (indicator code, pupil group)."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return {r["item"]: (r["indicator"], r["group"] or "all") for r in csv.DictReader(handle)}


def period_label(years: str, period_type: str) -> str | None:
    """LAIT's year text in the catalogue's style for the indicator; None if not one year.

    ``2019`` -> ``2018/19`` (academic), ``2018-19`` (financial) or ``2019`` (calendar year or
    March snapshot). ``2018/19`` and ``2018-19`` keep their year and take the indicator's
    separator. Pooled ranges (``2014-16``) are not one year.
    """
    match = _YEAR.match(years.strip())
    if not match:
        return None
    first, second = int(match[1]), match[2]
    if second is not None:
        if (first + 1) % 100 != int(second):
            return None  # a pooled range such as 2014-16
        start = first
    else:
        start = first - 1
    end = f"{(start + 1) % 100:02d}"
    if period_type == "academic_year":
        return f"{start}/{end}"
    if period_type == "financial_year":
        return f"{start}-{end}"
    return str(start + 1)


def _regions_by_name() -> dict[str, str]:
    """Region name (lower case) -> ONS region code."""
    regions = la_lookup()[["region_code", "region_name"]].drop_duplicates()
    return {name.lower(): code for code, name in regions.itertuples(index=False)}


def parse_parquet(name: str, raw: bytes, indicators: dict[str, tuple[str, str]]) -> ParsedFile:
    """Figures for LAs, regions and England from a LAIT long file.

    ``indicators`` gives each catalogue code's (unit, period type).
    """
    try:
        frame = pd.read_parquet(BytesIO(raw))
    except Exception as error:  # pyarrow raises several kinds for a file that is not parquet
        raise DataError([DataProblem(name, None, None, f"not a parquet file ({error})")]) from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            [
                DataProblem(
                    name,
                    None,
                    ", ".join(missing),
                    "not a LAIT long file: these columns are missing",
                )
            ]
        )
    known = {item: target for item, target in mapping().items() if target[0] in indicators}
    wanted = frame["Short Desc"].isin(list(known))
    rows_skipped = int((~wanted).sum())
    items_skipped = frame.loc[~wanted, "Short Desc"].nunique()
    selected = frame.loc[wanted, list(COLUMNS)]
    las = la_lookup()["ons_code"].to_dict()
    regions = _regions_by_name()
    problems: list[DataProblem] = []
    figures, used_las, used_regions, seen = [], set(), set(), {}
    places_skipped = 0
    # Row numbers count from 1 over the whole file, as a viewer of the parquet shows them.
    for row, (item, years, place, text, number) in zip(
        selected.index + 1, selected.itertuples(index=False, name=None), strict=True
    ):
        indicator, group = known[item]
        unit, period_type = indicators[indicator]
        if pd.isna(number):
            problems.append(DataProblem(name, row, "LA Number", f"no LA number for {place!r}"))
            continue
        number = int(number)
        if number == ENGLAND_NUMBER:
            level, area = "england", ENGLAND_CODE
        elif number > ENGLAND_NUMBER:
            level, area = "region", regions.get(str(place).strip().lower())
            if area is None:  # inner and outer London: not regions the dashboard holds
                places_skipped += 1
                continue
            used_regions.add(area)
        else:
            old = f"{number:03d}"
            level, area = "la", las.get(old)
            if area is None:  # an authority that no longer exists (e.g. pre-2019 Bournemouth)
                places_skipped += 1
                continue
            used_las.add(old)
        period = period_label(str(years), period_type)
        if period is None:
            problems.append(
                DataProblem(name, row, "Years", f"{years!r} is not a year LAIT publishes")
            )
            continue
        try:
            value, marker = parse_cell(None if pd.isna(text) else str(text))
        except BadNumber as error:
            problems.append(DataProblem(name, row, "Values", str(error)))
            continue
        key = (indicator, level, area, group, period)
        if key in seen:
            problems.append(
                DataProblem(
                    name,
                    row,
                    "Years",
                    f"{item} {place} {years} appears twice (first on row {seen[key]:,})",
                )
            )
            continue
        seen[key] = row
        if value is None and marker is None:
            continue
        problem = figure_problem(name, row, ("Values", "", ""), value, None, None, unit)
        if problem:
            problems.append(problem)
            continue
        figures.append(
            {
                "indicator_code": indicator,
                "level": level,
                "area_code": area,
                "group_code": group,
                "period": period,
                "value": value,
                "marker": marker,
                "row": row,
            }
        )
        if len(problems) >= 50:
            break
    reject_if_needed(
        name, problems, figures, "no item of this file is in data/mappings/lait.csv", "Short Desc"
    )
    notes = [f"skipped {rows_skipped:,} rows of {items_skipped:,} items not mapped to indicators"]
    if places_skipped:
        notes.append(f"skipped {places_skipped:,} rows (places not held)")
    observations, wrong = _without_impossible_averages(pd.DataFrame(figures))
    notes += wrong
    return ParsedFile(
        file_name=name,
        format="lait",
        observations=observations,
        la_codes=used_las,
        region_codes=used_regions,
        rows_read=len(frame),
        rows_skipped=rows_skipped + places_skipped,
        notes=notes,
        secondary=True,
    )


def _without_impossible_averages(figures: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The figures less any England or region figure outside the range of its parts (every
    item LAIT gives the dashboard is a percentage, rate or mean), with a note for each."""
    if figures.empty:
        return figures, []
    lookup = la_lookup()
    region_of = dict(zip(lookup["ons_code"], lookup["region_code"], strict=True))
    las_in = lookup["region_code"].value_counts().to_dict()
    regions = set(_regions_by_name().values())
    wrong = pd.concat(
        [
            outside_their_parts(
                figures, dict.fromkeys(regions, ENGLAND_CODE), {ENGLAND_CODE: len(regions)}
            ),
            outside_their_parts(figures, region_of, las_in),
        ]
    )
    notes = [
        f"left out row {int(w.row):,} ({w.indicator_code} {w.area_code} {w.period}): {w.value:g} "
        f"lies outside its parts' range ({w.least:g} to {w.greatest:g}), which an average cannot"
        for w in wrong.itertuples()
    ]
    kept = figures[~figures["row"].isin(set(wrong["row"]))] if len(wrong) else figures
    return kept.drop(columns="row").reset_index(drop=True), notes
