"""Files that describe data rather than hold figures: recognised, checked, never written.

Publishers ship field guides, code lists, data dictionaries, abbreviation lists, metadata
documents and map geometry beside their data. An analyst loading a whole download folder should
see each of them recognised and checked against what the dashboard holds — a field guide tells
whether the columns the mapping relies on are still there this year — rather than rejected as
"not a recognised format". Nothing from these files is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ecm.catalogue import load_catalogue
from ecm.importers import lait, performance_tables
from ecm.importers.geography import la_lookup
from ecm.importers.reader import Table, read_workbook

DOCUMENT_SUFFIXES = {
    ".doc": "Word document",
    ".docx": "Word document",
    ".pdf": "PDF document",
    ".txt": "text document",
    ".md": "text document",
    ".odt": "text document",
}
GEOMETRY_SUFFIXES = (".geojson", ".hexjson", ".json")
FIELD_GUIDE_NAMES = ("field name", "fieldname", "metafile heading")
POLARITY = {"High": "higher_is_better", "Low": "lower_is_better"}


@dataclass
class Reference:
    """What a reference file is and what checking it found."""

    kind: str
    notes: list[str] = field(default_factory=list)


#: DfE's methodology notes saved as "CSV" beside the field guides: prose, not a table.
METHOD_NOTES = Reference("documentation", ["notes on methods, not a table of figures"])


def by_suffix(path: Path) -> Reference | None:
    """Documents and map geometry, known by their file type."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return Reference("documentation", [f"a {DOCUMENT_SUFFIXES[suffix]}, with no figures"])
    if suffix in GEOMETRY_SUFFIXES:
        return _geometry(path)
    return None


def _geometry(path: Path) -> Reference | None:
    """GeoJSON boundaries or a HexJSON cartogram, counted by their areas."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return None  # not JSON after all: let the table reader explain what it is
    if isinstance(document, dict) and isinstance(document.get("features"), list):
        count = len(document["features"])
        return Reference("map geometry", [f"boundaries of {count:,} areas, for maps"])
    if isinstance(document, dict) and isinstance(document.get("hexes"), dict):
        count = len(document["hexes"])
        return Reference("map geometry", [f"a hex map of {count:,} areas, for maps"])
    return None


def from_table(table: Table) -> Reference | None:
    """Field guides, LA code lists and the LAIT data dictionary, known by their header."""
    header = [h.strip().lower() for h in table.header]
    if header[:1] == ["column"] and len(header) > 1 and header[1] in FIELD_GUIDE_NAMES:
        return _field_guide(table)
    if header[:2] == ["lea", "la name"]:
        numbers = [fields[0] for _, fields in table.rows if fields and fields[0].strip()]
        return Reference("LA code list", _la_numbers_note(numbers))
    if "measure_short" in header and "polarity" in header:
        return _lait_dictionary(table)
    return None


def from_workbook(name: str, raw: bytes) -> Reference | None:
    """Workbooks of LA codes or abbreviations (checked after the neighbour format)."""
    try:
        sheets = read_workbook(raw)
    except Exception:  # noqa: BLE001 - not a workbook: the neighbour reader has said so
        return None
    for sheet, cells in sheets.items():
        first = [str(v).strip().lower() for v in cells.iloc[0].tolist()] if len(cells) else []
        if first[:2] == ["la number", "la name"]:
            numbers = [str(v) for v in cells.iloc[1:, 0].tolist() if str(v) not in ("nan", "")]
            return Reference("LA code list", _la_numbers_note(numbers))
        if "abbreviation" in str(sheet).lower():
            return Reference("documentation", ["a list of abbreviations, with no figures"])
    return None


def _la_numbers_note(numbers: list[str]) -> list[str]:
    """How a list of LA numbers compares with the dashboard's list of current LAs."""
    numbers = [n.strip().split(".")[0].zfill(3) for n in numbers]
    known = set(la_lookup().index)
    missing = sorted({n for n in numbers if n not in known})
    note = f"lists {len(numbers):,} LA numbers; {len(numbers) - len(missing):,} are current LAs"
    if missing:
        note += f"; the others (England, regions, former authorities): {', '.join(missing)}"
    return [note]


def _field_guide(table: Table) -> Reference:
    """Which of the columns our mapping relies on the field guide documents."""
    documented = {fields[1].strip().upper() for _, fields in table.rows if len(fields) > 1}
    kind = next(
        (k for k in ("ks2", "ks4", "census", "absence", "destinations") if k in table.name.lower()),
        None,
    )
    notes = [f"documents {len(documented):,} columns"]
    if kind:
        rules = performance_tables.mappings()
        mapped = set(rules.loc[rules["format"] == kind, "column"].str.upper())
        absent = sorted(mapped - documented)
        notes.append(
            f"{len(mapped) - len(absent):,} of the {len(mapped):,} {kind.upper()} columns "
            "that data/mappings/performance_tables.csv maps are documented"
            + (f"; not in this year's guide: {', '.join(absent)}" if absent else "")
        )
    return Reference("field guide", notes)


def _lait_dictionary(table: Table) -> Reference:
    """Are the mapped LAIT items defined, and does LAIT's polarity agree with the catalogue?"""
    short = table.column("Measure_short")
    polarity_column = table.column("Polarity")
    polarity = {
        fields[short].strip(): fields[polarity_column].strip()
        for _, fields in table.rows
        if len(fields) > max(short, polarity_column)
    }
    catalogue = {i["code"]: i["polarity"] for i in load_catalogue().indicators}
    undefined = sorted(set(lait.mapping()) - set(polarity))
    disagree = sorted(
        item
        for item, (code, _) in lait.mapping().items()
        if POLARITY.get(polarity.get(item, "")) not in (None, catalogue.get(code))
    )
    notes = [f"defines {len(polarity):,} LAIT items"]
    notes.append(
        f"{len(lait.mapping()) - len(undefined):,} of the {len(lait.mapping()):,} items in "
        "data/mappings/lait.csv are defined"
        + (f"; not defined: {', '.join(undefined)}" if undefined else "")
    )
    if disagree:
        notes.append(f"polarity differs from the catalogue for: {', '.join(disagree)}")
    return Reference("LAIT data dictionary", notes)
