"""Wide LA tables from DfE statistical releases: one row per place, measures in columns.

Two shapes are read:

- the 2010-2011 "headerless" tables (outcomes for children looked after, SFR 38/2010 and
  SFR 30/2011): a first row ``LA Number,,<long descriptive names>`` (or ``,,<names>``), then
  England, regions and LAs with blank rows between them. The first column holds the DfE
  3-digit LA number (``E``, ``NE``, ``0`` or ``990`` style codes, or nothing, on England and
  region rows), the second the place name, spelled differently from year to year
  (``Yorks & the Humber ``, ``YORKSHIRE AND THE HUMBER``).
- the "underlying data" (UD) tables of 2010-2017 with ``geog_l, geog_c, geog_n`` (or
  ``Geog_lev, Geog_code, Geog_name``), sometimes with ``New_geog_code`` and ``LA_order``.

Columns map to catalogue indicators through ``data/mappings/la_tables.csv``, one row per
figure: ``value`` (the published figure's column, or blank to compute it as ``numerator /
denominator x multiplier``), ``numerator`` and ``denominator`` (stored whenever given, so that
intervals can be computed), ``indicator``, ``group`` and ``period``. Header names are matched
after collapsing whitespace, without regard to case. In a column name ``{year}`` stands for a
year found in the header (one figure per year of a 2007-2011 series) and ``{prev}`` for the
year before; ``A|B`` means the first of A or B the file has; ``A;B`` means A + B.

Periods: a mapping row's ``period`` is either fixed (``2016/17``: the SFR20_2018 tables report
the year ending 31 March 2017) or a template over the year Y: ``{prev}/{yy}`` (academic year
Y-1/Y), ``{prev}-{yy}`` (financial year), ``{year}`` (31 March snapshot). Y is the year in the
column name for ``{year}`` columns; otherwise the year of ``--period`` (``2010/11`` -> 2011),
else the year of a ``2010_underlying`` folder (the release "as at 31 March 2010", whose
attainment is that of the 2009/10 academic year). Absence and exclusions in the 2010 release
are for 2008/09 (they match the "2009" columns of the 2011 series), so their rows fix it.

Places: LAs by DfE number (places the lookup does not hold, such as former LAs, are skipped and
counted); England by name or level; regions by ONS code where given, else by name. Inner and
Outer London and unknown names are skipped and counted in the import note.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from ecm.catalogue import load_catalogue
from ecm.config import DATA_DIR, ENGLAND_CODE
from ecm.errors import DataError, DataProblem
from ecm.importers.checks import figure_problem, reject_if_needed
from ecm.importers.geography import la_lookup
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile

MAPPING_FILE = DATA_DIR / "mappings" / "la_tables.csv"
#: Place columns of the UD tables, each under its spellings.
UD_COLUMNS = {
    "level": ("geog_l", "Geog_lev"),
    "code": ("geog_c", "Geog_code"),
    "name": ("geog_n", "Geog_name"),
    "ons": ("New_geog_code",),
}
ENGLAND_LEVELS = {"national", "country", "england"}
REGION_LEVELS = {"region", "gor"}
LA_LEVELS = {"la", "local authority"}
#: "." stands for "not applicable" in these releases; ecm.importers.values does not list it.
EXTRA_MARKERS = {"."}


@dataclass(frozen=True)
class Rule:
    """One mapping row with its columns resolved to positions in one file."""

    indicator: str
    group: str
    period: str
    value: tuple[int, ...]
    numerator: tuple[int, ...]
    denominator: tuple[int, ...]
    multiplier: float
    names: tuple[str, str, str]  # value, numerator and denominator column, for messages


@cache
def mappings() -> list[dict[str, str]]:
    """The mapping rows, in file order."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(handle)]


def _key(name: str) -> str:
    """A header name as matched: whitespace collapsed, trimmed, lower case."""
    return " ".join(name.split()).lower()


def _shape(table: Table) -> str | None:
    """ "headerless", "ud" or None."""
    header = [_key(h) for h in table.header]
    if all(any(table.column(n) is not None for n in UD_COLUMNS[k]) for k in ("code", "name")):
        return "ud"
    # The 2010-2011 tables: no names over the code and place columns, long names after them.
    if len(header) >= 3 and header[0] in ("la number", "") and header[1] == "":
        return "headerless" if any(len(h) > 15 for h in header[2:]) else None
    return None


def detect(table: Table) -> bool:
    """A headerless 2010-2011 table or a UD table (tidy and school files have other columns)."""
    return _shape(table) is not None


def _header_years(header: list[str]) -> list[int]:
    """The four-digit years named in a header, in order."""
    years = {int(y) for h in header for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", h)}
    return sorted(years)


def _resolve(spec: str, positions: dict[str, int], year: int | None) -> tuple[int, ...] | None:
    """Positions of a column spec (``A|B`` first found, ``A;B`` summed); None if absent;
    () for a blank spec."""
    if not spec:
        return ()
    if year is not None:
        spec = spec.replace("{year}", str(year)).replace("{prev}", str(year - 1))
    elif "{" in spec:
        return None
    for alternative in spec.split("|"):
        parts = [positions.get(_key(p)) for p in alternative.split(";")]
        if all(p is not None for p in parts):
            return tuple(parts)  # type: ignore[arg-type]
    return None


def _period(template: str, year: int | None) -> str | None:
    """A mapping row's period for year ``year`` (None when a template has no year)."""
    if "{" not in template:
        return template
    if year is None:
        return None
    return template.format(year=year, prev=year - 1, yy=str(year)[-2:])


def _given_year(period: str | None, table: Table) -> int | None:
    """The year a release ends in: from --period (2010/11 or 2010-11 -> 2011, 2011 -> 2011),
    else from a ``2010_underlying`` folder or file name."""
    if period:
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[/-]\s*(\d{2}|\d{4}))?\s*", period)
        if match and match.group(2):
            return int(match.group(1)) + 1
        if match:
            return int(match.group(1))
    for name in (Path(table.path).parent.name, table.name):
        found = re.search(r"(?<!\d)(20\d{2})_underlying", name)
        if found:
            return int(found.group(1))
    return None


def rules_for(table: Table, period: str | None, units: dict[str, str]) -> list[Rule]:
    """Every figure the mapping finds in this file's header; DataError if a period is unknown."""
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        positions.setdefault(_key(name), index)
    years = _header_years(table.header)
    given = _given_year(period, table)
    rules: list[Rule] = []
    needs_year = False
    for row in mappings():
        if row["indicator"] not in units:
            continue
        specs = (row["value"], row["numerator"], row["denominator"])
        per_year = any("{year}" in s or "{prev}" in s for s in specs)
        for year in years if per_year else [None]:
            columns = [_resolve(s, positions, year) for s in specs]
            if any(c is None for c in columns) or not (columns[0] or columns[1] and columns[2]):
                continue
            label = _period(row["period"], year if per_year else given)
            if label is None:
                needs_year = True
                continue
            names = tuple(table.header[c[0]] if c else "" for c in columns)
            rules.append(
                Rule(
                    row["indicator"],
                    row["group"] or "all",
                    label,
                    *columns,  # type: ignore[arg-type]
                    float(row["multiplier"] or 1),
                    names,  # type: ignore[arg-type]
                )
            )
    if needs_year:
        raise DataError(
            [
                DataProblem(
                    table.name,
                    None,
                    None,
                    "cannot tell the year from the file or folder name: give it with "
                    "--period 2010/11",
                )
            ]
        )
    if not rules:
        raise DataError(
            [
                DataProblem(
                    table.name, 1, None, "no column of this file is in data/mappings/la_tables.csv"
                )
            ]
        )
    # One figure per indicator, group and period: the first mapping row that fits wins.
    unique = {(r.indicator, r.group, r.period): r for r in reversed(rules)}
    return [r for r in rules if unique[(r.indicator, r.group, r.period)] is r]


def _norm_place(name: str) -> str:
    """A place name as matched: lower case, '&' as 'and', 'Yorks' as 'Yorkshire'."""
    text = re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and "))
    return " ".join(text.split()).replace("yorks and", "yorkshire and")


@cache
def _places() -> tuple[set[str], dict[str, str]]:
    """(region ONS codes, normalised region name -> ONS code) from the LA lookup."""
    lookup = la_lookup()
    names = dict(zip(lookup["region_name"].map(_norm_place), lookup["region_code"], strict=True))
    return set(lookup["region_code"]), names


def place(level: str, code: str, name: str, ons: str) -> tuple[str, str] | None:
    """(level, area code) of a row, with LA areas as DfE numbers; None if not held."""
    level, code = level.strip().lower(), code.strip()
    regions, region_names = _places()
    if level in ENGLAND_LEVELS or (not level and _norm_place(name) == "england"):
        return "england", ENGLAND_CODE
    if level in LA_LEVELS or not level:
        number = code.zfill(3) if code.isdigit() else ""
        if number in la_lookup().index:
            return "la", number
    if level in REGION_LEVELS or not level:
        # By name first: the UD tables give Inner and Outer London the code of London.
        if _norm_place(name) in region_names:
            return "region", region_names[_norm_place(name)]
        if not name and ons.strip() in regions:
            return "region", ons.strip()
    return None


def _number(text: str) -> tuple[float | None, str | None]:
    """parse_cell, with "." read as a marker."""
    cell = text.strip()
    if cell in EXTRA_MARKERS:
        return None, cell
    return parse_cell(cell)


def _read(fields: list[str], columns: tuple[int, ...]) -> tuple[float | None, str | None]:
    """The (value, marker) of one or more summed cells: a marker if any part is one."""
    total: float | None = None
    for position in columns:
        value, marker = _number(fields[position] if position < len(fields) else "")
        if marker is not None:
            return None, marker
        if value is not None:
            total = (total or 0.0) + value
    return total, None


@cache
def _means() -> frozenset[str]:
    """Indicators whose statistic is a mean: their "numerator" is a sum of scores."""
    return frozenset(r["code"] for r in load_catalogue().indicators if r["statistic"] == "mean")


def _figure(rule: Rule, fields: list[str]) -> dict | None:
    """One figure from one row, or None when the row has nothing for it; BadNumber passes up."""
    value, marker = _read(fields, rule.value)
    numerator, numerator_marker = _read(fields, rule.numerator)
    denominator, denominator_marker = _read(fields, rule.denominator)
    if not rule.value:  # computed: published counts only
        marker = numerator_marker or denominator_marker
        if marker is None and numerator is not None and denominator:
            value = numerator / denominator * rule.multiplier
        elif marker is None:
            return None  # nothing published, or no one to count
    if value is None and marker is None:
        return None
    if rule.indicator in _means():
        numerator = None  # a sum of scores, not a count of children
    return {
        "indicator_code": rule.indicator,
        "group_code": rule.group,
        "period": rule.period,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "marker": marker,
    }


def _place_reader(table: Table, shape: str):  # noqa: ANN202
    """A function from a row's fields to its (level, code, name, ONS code) cells."""
    if shape == "headerless":
        spots = {"level": None, "code": 0, "name": 1, "ons": None}
    else:
        spots = {
            key: next((table.column(n) for n in names if table.column(n) is not None), None)
            for key, names in UD_COLUMNS.items()
        }

    def cells(fields: list[str]) -> tuple[str, str, str, str]:
        return tuple(  # type: ignore[return-value]
            fields[spots[k]].strip() if spots[k] is not None and spots[k] < len(fields) else ""
            for k in ("level", "code", "name", "ons")
        )

    return cells


def _code_column(table: Table, shape: str) -> str:
    """The name of the column that holds LA numbers, for messages."""
    if shape == "headerless":
        return table.header[0] or "LA Number"
    return next(
        table.header[table.column(n)] for n in UD_COLUMNS["code"] if table.column(n) is not None
    )


def parse(table: Table, period: str | None, units: dict[str, str]) -> ParsedFile:
    """Figures for England, regions and LAs from a wide LA table."""
    shape = _shape(table)
    if shape is None:
        raise DataError([DataProblem(table.name, 1, None, "not a wide LA table")])
    rules = rules_for(table, period, units)
    cells = _place_reader(table, shape)
    code_column = _code_column(table, shape)
    lookup = la_lookup()
    problems: list[DataProblem] = []
    figures: list[dict] = []
    used_las: set[str] = set()
    used_regions: set[str] = set()
    seen: dict[tuple, int] = {}
    skipped: list[str] = []
    for line, fields in table.rows:
        level, code, name, ons = cells(fields)
        where = place(level, code, name, ons)
        if where is None:
            skipped.append(name or code)
            continue
        level, area = where
        area_code = lookup.at[area, "ons_code"] if level == "la" else area
        for rule in rules:
            try:
                figure = _figure(rule, fields)
            except BadNumber as error:
                column = next(n for n in rule.names if n)
                problems.append(DataProblem(table.name, line, column, str(error)))
                continue
            if figure is None:
                continue
            key = (rule.indicator, level, area_code, rule.group, rule.period)
            if key in seen:
                problems.append(
                    DataProblem(
                        table.name,
                        line,
                        code_column,
                        f"{name or code} appears twice (first on line {seen[key]:,})",
                    )
                )
                break
            seen[key] = line
            # A computed value cannot be out of range unless its counts are, and the counts
            # name the column to fix.
            problem = figure_problem(
                table.name,
                line,
                rule.names,
                figure["value"] if rule.value else None,
                figure["numerator"],
                figure["denominator"],
                units.get(rule.indicator),
            )
            if problem:
                problems.append(problem)
                continue
            figures.append({**figure, "level": level, "area_code": area_code})
            if level == "la":
                used_las.add(area)
            elif level == "region":
                used_regions.add(area)
        if len(problems) >= 50:
            break
    reject_if_needed(table.name, problems, figures, "no figures for places the dashboard holds")
    notes = []
    if skipped:
        shown = ", ".join(sorted({s for s in skipped if s})[:6])
        notes.append(f"skipped {len(skipped):,} rows (places not held: {shown})")
    return ParsedFile(
        file_name=table.name,
        format="la_table",
        observations=pd.DataFrame(figures),
        la_codes=used_las,
        region_codes=used_regions,
        rows_read=len(table.rows),
        rows_skipped=len(skipped),
        notes=notes,
    )
