"""DfE children's services statistical neighbours workbooks (as LAIT publishes them).

Each LA's ten closest LAs (SN1 to SN10), each followed by a repeated ``SNP`` column saying how
close. The real header sits below two junk rows; it is found by its ``LA num`` and ``SN1``
cells. Importing replaces the neighbour sets of the LAs the workbook lists.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, delete

from ecm.errors import DataError, DataProblem
from ecm.importers.geography import ons_code
from ecm.importers.reader import read_workbook
from ecm.importers.values import MARKERS
from ecm.importers.writer import ParsedFile
from ecm.store.engine import bulk_insert
from ecm.store.models import StatisticalNeighbour


def parse_workbook(name: str, raw: bytes) -> ParsedFile:
    """Neighbour sets from a workbook; DataError naming the row and column of any problem."""
    try:
        sheets = read_workbook(raw)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(
            [DataProblem(name, None, None, f"not an Excel workbook ({error})")]
        ) from None
    for sheet, cells in sheets.items():
        header_row = _header_row(cells)
        if header_row is not None:
            return _parse_sheet(name, sheet, cells, header_row)
    raise DataError(
        [DataProblem(name, None, None, "no sheet has an 'LA num' column and SN1 to SN10 columns")]
    )


def _header_row(cells: pd.DataFrame) -> int | None:
    for index in range(min(len(cells), 10)):
        values = [str(v).strip() for v in cells.iloc[index].tolist()]
        if "LA num" in values and "SN1" in values:
            return index
    return None


def _parse_sheet(name: str, sheet: str, cells: pd.DataFrame, header_row: int) -> ParsedFile:
    header = [str(v).strip() for v in cells.iloc[header_row].tolist()]
    la_column = header.index("LA num")
    sn_columns = {f"SN{k}": header.index(f"SN{k}") for k in range(1, 11) if f"SN{k}" in header}
    problems: list[DataProblem] = []
    rows, las = [], set()
    for offset in range(header_row + 1, len(cells)):
        line = offset + 1  # spreadsheet row number
        la = str(cells.iat[offset, la_column]).strip()
        if la in ("", "nan", "None"):
            continue
        la = la.split(".")[0].zfill(3)
        la_code = ons_code(la)
        if la_code is None:
            problems.append(
                DataProblem(f"{name} [{sheet}]", line, "LA num", f"{la!r} is not an LA number")
            )
            continue
        las.add(la)
        for rank, (label, column) in enumerate(
            sorted(sn_columns.items(), key=lambda kv: int(kv[0][2:])), 1
        ):
            neighbour = str(cells.iat[offset, column]).strip().split(".")[0]
            if neighbour in ("", "nan", "None") or neighbour in MARKERS:
                continue  # no neighbours published (new authorities show "-")
            neighbour_code = ons_code(neighbour.zfill(3))
            if neighbour_code is None:
                problems.append(
                    DataProblem(
                        f"{name} [{sheet}]", line, label, f"{neighbour!r} is not an LA number"
                    )
                )
                continue
            las.add(neighbour.zfill(3))
            rows.append(
                {"la_code": la_code, "neighbour_code": neighbour_code, "rank": rank, "source": name}
            )
    if problems:
        raise DataError(problems[:50])
    if not rows:
        raise DataError([DataProblem(name, header_row + 2, None, "no neighbour sets found")])
    frame = pd.DataFrame(rows).drop_duplicates(["la_code", "neighbour_code"])

    def write(connection: Connection) -> None:
        connection.execute(
            delete(StatisticalNeighbour).where(
                StatisticalNeighbour.la_code.in_(set(frame["la_code"]))
            )
        )
        bulk_insert(connection, "statistical_neighbour", frame)

    return ParsedFile(
        file_name=name,
        format="neighbours",
        observations=pd.DataFrame(),
        la_codes=las,
        rows_read=len(cells) - header_row - 1,
        notes=[f"neighbour sets of {frame['la_code'].nunique()} LAs"],
        after_write=write,
    )
