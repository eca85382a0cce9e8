"""Get Information About Schools (GIAS) register extracts: the schools, their LAs and facts.

The register names every school with its URN, LA, establishment number, type, status, phase,
pupils and % FSM. Importing it creates or enriches schools (and their LAs and regions); it
carries no indicator figures. It also carries each school's close date and its "Linked
establishments": the URNs a closed school became (``148213 Successor``) or a new school was
(``115856 Predecessor``), one to a field. Where a school has several links they spill into
extra fields past the header, so the links are read from that column to the end of the row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, delete

from ecm.errors import DataError, DataProblem
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.importers.geography import ons_code
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile
from ecm.store.engine import bulk_insert
from ecm.store.models import SchoolLink

COLUMNS = {
    "urn": "URN",
    "la": "LA (code)",
    "estab": "EstablishmentNumber",
    "name": "EstablishmentName",
    "type": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "pupils": "NumberOfPupils",
    "fsm": "PercentageFSM",
    "closed": "CloseDate",
    "links": "Linked establishments",
}
#: What the register writes in the links column of a school with none.
NO_LINKS = "does not have links"
PHASES = {
    "primary": "primary",
    "middle deemed primary": "primary",
    "secondary": "secondary",
    "middle deemed secondary": "secondary",
    "all-through": "all-through",
    "16 plus": "16 plus",
    "nursery": "nursery",
}


def detect(table: Table) -> bool:
    """A register extract has URN, LA (code) and EstablishmentName."""
    return all(table.column(COLUMNS[k]) is not None for k in ("urn", "la", "name"))


def parse(table: Table, _period: str | None, _units: dict[str, str]) -> ParsedFile:
    """Schools from a register extract (no figures)."""
    index = {key: table.column(name) for key, name in COLUMNS.items()}
    problems: list[DataProblem] = []
    schools, las, seen = [], set(), {}
    links: list[dict[str, str]] = []
    for line, fields in table.rows:

        def cell(key: str, fields: list[str] = fields) -> str:
            position = index[key]
            return (
                fields[position].strip() if position is not None and position < len(fields) else ""
            )

        urn, la = cell("urn"), cell("la").zfill(3)
        if not urn.isdigit():
            problems.append(DataProblem(table.name, line, "URN", f"{urn!r} is not a URN"))
            continue
        if urn in seen:
            problems.append(
                DataProblem(
                    table.name, line, "URN", f"{urn} appears twice (first on line {seen[urn]:,})"
                )
            )
            continue
        seen[urn] = line
        if ons_code(la) is None:
            problems.append(
                DataProblem(table.name, line, "LA (code)", f"{la!r} is not an LA number")
            )
            continue
        try:
            pupils, _ = parse_cell(cell("pupils"))
            fsm, _ = parse_cell(cell("fsm"))
        except BadNumber as error:
            problems.append(DataProblem(table.name, line, COLUMNS["fsm"], str(error)))
            continue
        if fsm is not None and not 0 <= fsm <= 100:
            problems.append(
                DataProblem(table.name, line, COLUMNS["fsm"], f"{fsm:g}% is outside 0-100%")
            )
            continue
        try:
            closed_on = close_date(cell("closed"))
        except ValueError:
            problems.append(
                DataProblem(
                    table.name, line, COLUMNS["closed"], f"{cell('closed')!r} is not a date"
                )
            )
            continue
        if index["links"] is not None:
            links.extend(
                {"urn": urn, "linked_urn": linked, "link_type": kind}
                for linked, kind in linked_establishments(fields[index["links"] :])
                if linked != urn
            )
        school_type = cell("type") or None
        phase = PHASES.get(cell("phase").lower())
        if school_type and "special" in school_type.lower():
            phase = "special"
        las.add(la)
        schools.append(
            {
                "urn": urn,
                "laestab": f"{la}{cell('estab').zfill(4)}" if cell("estab") else None,
                "name": cell("name") or None,
                "la_code": ons_code(la),
                "phase": phase,
                "school_type": school_type,
                "status": (cell("status") or "").lower() or None,
                "number_on_roll": int(pupils) if pupils is not None else None,
                "percent_fsm": fsm,
                "closed_on": closed_on,
            }
        )
        if len(problems) >= 50:
            break
    if problems:
        raise DataError(problems)
    written = {school["urn"] for school in schools}
    link_frame = pd.DataFrame(links, columns=["urn", "linked_urn", "link_type"])
    link_frame = link_frame.drop_duplicates(["urn", "linked_urn"], keep="first")

    def after_write(connection: Connection) -> None:
        replace_links(connection, written, link_frame)
        refresh_school_benchmarks(connection)

    notes = [f"{len(schools):,} schools registered or updated"]
    if not link_frame.empty:
        notes.append(f"{link_frame['urn'].nunique():,} with predecessor or successor links")
    return ParsedFile(
        file_name=table.name,
        format="gias",
        observations=pd.DataFrame(),
        la_codes=las,
        schools=pd.DataFrame(schools),
        rows_read=len(table.rows),
        notes=notes,
        after_write=after_write,
    )


def close_date(text: str) -> dt.date | None:
    """The register's close date (``30-11-2020``; ISO ``2020-11-30`` also read), or None when
    blank. Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    for form in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def linked_establishments(fields: list[str]) -> list[tuple[str, str]]:
    """The (URN, link type) pairs in a row's links fields: ``["148213 Successor"]`` ->
    ``[("148213", "successor")]``; the type in lower case as the register words it
    ("predecessor - amalgamated"); "Does not have links", blanks and anything not starting with
    a URN are left out."""
    pairs = []
    for field in fields:
        urn, _, kind = field.strip().partition(" ")
        if urn.isdigit() and kind.strip() and field.strip().lower() != NO_LINKS:
            pairs.append((urn, kind.strip().lower()))
    return pairs


def replace_links(connection: Connection, urns: set[str], links: pd.DataFrame) -> None:
    """Make the stored links of the register's schools ``urns`` those of this extract (a
    newer extract's links replace an older one's; schools it does not name keep theirs)."""
    chunk = 10_000  # under PostgreSQL's limit on bound parameters in one statement
    ordered = sorted(urns)
    for start in range(0, len(ordered), chunk):
        part = ordered[start : start + chunk]
        connection.execute(delete(SchoolLink).where(SchoolLink.urn.in_(part)))
    bulk_insert(connection, "school_link", links)
