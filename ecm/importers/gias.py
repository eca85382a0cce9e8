"""Get Information About Schools (GIAS) register extracts: the schools, their LAs and facts.

The register names every school with its URN, LA, establishment number, type, status, phase,
pupils and % FSM. Importing it creates or enriches schools (and their LAs and regions); it
carries no indicator figures. Rows for linked establishments spill extra fields past the header
in real extracts; only the named columns are read, so those rows load as they should.
"""

from __future__ import annotations

import pandas as pd

from ecm.errors import DataError, DataProblem
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.importers.geography import ons_code
from ecm.importers.reader import Table
from ecm.importers.values import BadNumber, parse_cell
from ecm.importers.writer import ParsedFile

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
}
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
            }
        )
        if len(problems) >= 50:
            break
    if problems:
        raise DataError(problems)
    return ParsedFile(
        file_name=table.name,
        format="gias",
        observations=pd.DataFrame(),
        la_codes=las,
        schools=pd.DataFrame(schools),
        rows_read=len(table.rows),
        notes=[f"{len(schools):,} schools registered or updated"],
        after_write=refresh_school_benchmarks,
    )
