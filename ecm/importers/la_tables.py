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
- contextual tables keyed by an ONS area code in a column named in ``ONS_COLUMNS`` (IMD 2019
  by upper-tier LA, the 2011 rural-urban classification by district): LA rows only. Former
  codes continue their successors' series (``la_numbers_by_ons_code``); shire districts
  (``E07``) are below the education authority level and are skipped and counted.

Columns map to catalogue indicators through ``data/mappings/la_tables.csv``, one row per
figure: ``value`` (the published figure's column, or blank to compute it as ``numerator /
denominator x multiplier``), ``numerator`` and ``denominator`` (stored whenever given, so that
intervals can be computed), ``indicator``, ``group`` and ``period``. Header names are matched
after collapsing whitespace, without regard to case. In a column name ``{year}`` stands for a
year found in the header (one figure per year of a 2007-2011 series) and ``{prev}`` for the
year before; ``A|B`` means the first of A or B the file has; ``A;B`` means A + B. A published
``value`` is multiplied by ``multiplier`` too (blank = 1): IMD gives proportions as fractions.
A spec ``@FILE:COLUMN`` reads the column from the file of that name in the same folder, row
by row for the same place: the 2017 missing-from-care table has no denominator of its own,
and its release publishes the children looked after during the year in SFR50_CLA2017.csv.

Periods: a mapping row's ``period`` is either fixed (``2016/17``: the SFR20_2018 tables report
the year ending 31 March 2017) or a template over the year Y: ``{prev}/{yy}`` (academic year
Y-1/Y), ``{prev}-{yy}`` (financial year), ``{year}`` (31 March snapshot). Y is the year in the
column name for ``{year}`` columns; otherwise the year of ``--period`` (``2010/11`` -> 2011),
else the year of a ``2010_underlying`` folder (the release "as at 31 March 2010", whose
attainment is that of the 2009/10 academic year). Absence and exclusions in the 2010 release
are for 2008/09 (they match the "2009" columns of the 2011 series), so their rows fix it.

Files whose columns are known and deliberately not mapped (``NOT_OUTCOMES``) are rejected
with the reason, so that nobody adds a mapping for them by mistake.

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
from ecm.importers.geography import la_lookup, la_numbers_by_ons_code
from ecm.importers.reader import Table, read_table
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
#: Place columns holding ONS area codes, in files that have no DfE LA number; with the name
#: column that follows each.
ONS_COLUMNS = {
    "Upper Tier Local Authority District code (2019)": (
        "Upper Tier Local Authority District name (2019)"
    ),
    "LAD11CD": "LAD11NM",
}
#: Shire districts: below the education authority level, so their rows are not held.
DISTRICT_PREFIX = "E07"
#: "." stands for "not applicable" in these releases; ecm.importers.values does not list it.
EXTRA_MARKERS = {"."}
#: Cells a release publishes inconsistently (a numerator above its own denominator), so that
#: no figure can be computed from them: (file name, LA number, numerator column) -> what.
#: The rest of the file is sound; rejecting it for one cell would lose every other LA.
PUBLISHED_ERRORS = {
    ("KS1_Final_V2.csv", "936", "number of children achieving level 2 in maths"): (
        "Surrey KS1 maths: 7 children at level 2 of 6 eligible"
    ),
}
#: A column that marks a known table holding no outcome measure -> why it stays unmapped.
NOT_OUTCOMES = {
    "infogath_1": (
        "OSR23 holds local authorities' self-evaluation scores (0-15) of their procedures for "
        "children missing from home or care (the NI 71 process measure), not an outcome for "
        "children, so it is deliberately not mapped"
    ),
}


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
    #: The denominator's rows by place when it comes from another file (``@FILE:COLUMN``).
    companion: dict[tuple[str, str], list[str]] | None = None


@cache
def mappings() -> list[dict[str, str]]:
    """The mapping rows, in file order."""
    with MAPPING_FILE.open(encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(handle)]


def _key(name: str) -> str:
    """A header name as matched: whitespace collapsed, trimmed, lower case."""
    return " ".join(name.split()).lower()


def _ons_column(table: Table) -> int | None:
    """The position of an ONS code column named in ONS_COLUMNS; None if there is none."""
    keys = [_key(h) for h in table.header]
    for name in ONS_COLUMNS:
        if _key(name) in keys:
            return keys.index(_key(name))
    return None


def _shape(table: Table) -> str | None:
    """ "headerless", "ud", "ons" or None."""
    header = [_key(h) for h in table.header]
    if _ons_column(table) == 0:  # first column only: other formats carry ONS codes later on
        return "ons"
    if all(any(table.column(n) is not None for n in UD_COLUMNS[k]) for k in ("code", "name")):
        return "ud"
    # The 2010-2011 tables: no names over the code and place columns, long names after them.
    if len(header) >= 3 and header[0] in ("la number", "") and header[1] == "":
        return "headerless" if any(len(h) > 15 for h in header[2:]) else None
    return None


def detect(table: Table) -> bool:
    """A headerless 2010-2011 table, a UD table or an ONS-coded contextual table (tidy and
    school files have other columns)."""
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


def _positions(header: list[str]) -> dict[str, int]:
    """Matched header name -> position (the first of repeated names)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(_key(name), index)
    return positions


Companion = tuple[dict[str, int], dict[tuple[str, str], list[str]]]


def _companion(table: Table, file_name: str, found: dict[str, Companion | None]):  # noqa: ANN202
    """(header positions, rows by place) of a file beside ``table``; None if it is not there
    or not a table this module reads. Read once per import."""
    if file_name not in found:
        path = Path(table.path).parent / file_name
        found[file_name] = None
        if table.path and path.is_file() and path.name != table.name:
            other = read_table(path)
            shape = _shape(other)
            if shape is not None:
                cells = _place_reader(other, shape)
                rows: dict[tuple[str, str], list[str]] = {}
                for _, fields in other.rows:
                    where = _locate(shape, *cells(fields))
                    if where is not None:
                        rows.setdefault(where, fields)
                found[file_name] = (_positions(other.header), rows)
    return found[file_name]


def rules_for(table: Table, period: str | None, units: dict[str, str]) -> list[Rule]:
    """Every figure the mapping finds in this file's header; DataError if a period is unknown."""
    positions = _positions(table.header)
    years = _header_years(table.header)
    given = _given_year(period, table)
    rules: list[Rule] = []
    needs_year = False
    companions: dict[str, Companion | None] = {}
    missing_companions: set[str] = set()
    for row in mappings():
        if row["indicator"] not in units:
            continue
        specs = (row["value"], row["numerator"], row["denominator"])
        per_year = any("{year}" in s or "{prev}" in s for s in specs)
        for year in years if per_year else [None]:
            companion = None
            if specs[2].startswith("@"):  # the denominator comes from a file beside this one
                if _resolve(specs[1], positions, year) is None:
                    continue
                file_name, _, column = specs[2][1:].partition(":")
                companion = _companion(table, file_name, companions)
                if companion is None:
                    missing_companions.add(file_name)
                    continue
                columns = [
                    _resolve(specs[0], positions, year),
                    _resolve(specs[1], positions, year),
                    _resolve(column, companion[0], year),
                ]
            else:
                columns = [_resolve(s, positions, year) for s in specs]
            if any(c is None for c in columns) or not (columns[0] or columns[1] and columns[2]):
                continue
            label = _period(row["period"], year if per_year else given)
            if label is None:
                needs_year = True
                continue
            names = tuple(
                table.header[c[0]] if c and i < 2 or c and companion is None else spec
                for i, (c, spec) in enumerate(zip(columns, specs, strict=True))
            )
            rules.append(
                Rule(
                    row["indicator"],
                    row["group"] or "all",
                    label,
                    *columns,  # type: ignore[arg-type]
                    float(row["multiplier"] or 1),
                    names,  # type: ignore[arg-type]
                    companion[1] if companion else None,
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
        keys = {_key(h) for h in table.header}
        reason = next((why for column, why in NOT_OUTCOMES.items() if column in keys), None)
        if reason:
            message = f"not mapped on purpose: {reason}"
        elif missing_companions:
            wanted = ", ".join(sorted(missing_companions))
            message = f"its denominator is published in {wanted}: import it from the same folder"
        else:
            message = "no column of this file is in data/mappings/la_tables.csv"
        raise DataError([DataProblem(table.name, 1, None, message)])
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


@cache
def _by_ons_code() -> dict[str, tuple[str, str]]:
    return la_numbers_by_ons_code()


def _locate(shape: str, level: str, code: str, name: str, ons: str) -> tuple[str, str] | None:
    """(level, area code) of a row of a table of this shape, LAs as DfE numbers; None if not
    held."""
    if shape == "ons":
        held = _by_ons_code().get(code.strip())
        return ("la", held[0]) if held else None
    return place(level, code, name, ons)


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


def _figure(rule: Rule, fields: list[str], where: tuple[str, str]) -> dict | None:
    """One figure from one row, or None when the row has nothing for it; BadNumber passes up."""
    value, marker = _read(fields, rule.value)
    if value is not None:
        value *= rule.multiplier
    numerator, numerator_marker = _read(fields, rule.numerator)
    if rule.companion is not None:
        if where not in rule.companion:
            return None  # the other file does not publish this place
        denominator, denominator_marker = _read(rule.companion[where], rule.denominator)
    else:
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
    elif shape == "ons":
        code = _ons_column(table)
        name = next(n for c, n in ONS_COLUMNS.items() if _key(table.header[code]) == _key(c))
        names = [_key(h) for h in table.header]
        spots = {
            "level": None,
            "code": code,
            "name": names.index(_key(name)) if _key(name) in names else None,
            "ons": None,
        }
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
    if shape == "ons":
        return table.header[_ons_column(table)]
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
    districts = 0
    notes_known: list[str] = []
    for line, fields in table.rows:
        level, code, name, ons = cells(fields)
        if shape == "ons" and code.startswith(DISTRICT_PREFIX):
            districts += 1  # a shire district: its county is the education authority
            continue
        where = _locate(shape, level, code, name, ons)
        if where is None:
            skipped.append(name or code)
            continue
        level, area = where
        area_code = lookup.at[area, "ons_code"] if level == "la" else area
        for rule in rules:
            known = PUBLISHED_ERRORS.get((table.name, code, _key(rule.names[1])))
            if known:
                notes_known.append(known)
                continue
            try:
                figure = _figure(rule, fields, where)
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
    notes = [
        f"no figure from a cell the release publishes inconsistently ({n})" for n in notes_known
    ]
    if districts:
        notes.append(f"skipped {districts:,} shire district rows ({DISTRICT_PREFIX}: not held)")
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
        rows_skipped=len(skipped) + districts,
        notes=notes,
    )
