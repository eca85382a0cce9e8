"""Damage that real performance tables could carry is refused; the real files load as they are.

Each case takes a real DfE file, damages one row in a copy (a row cut short, a fraction among
percentages, an impossible cohort, groups that do not add up to all pupils) and imports it: the
refusal names file, line and column, and the store is unchanged. The untouched files still load
every figure they loaded before these checks existed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from ecm.importers import import_file
from ecm.importers.reader import read_table
from tests.helpers import KS2, KS4, NEETS, PT, TIDY, assert_rejected

pytestmark = pytest.mark.realdata

HAMPSHIRE = PT / "hampshire"
ENGLAND = PT / "england-2018-19"
DESTINATIONS = ENGLAND / "england_ks4-pupdest.csv"

#: Figures each real file loads, as before the checks (ragged rows, plain 0.6% census shares,
#: England's 644,967 pupils and exact group sums all pass).
REAL_FIGURES = {
    HAMPSHIRE / "2016-2017_850_ks2final.csv": 8_611,
    HAMPSHIRE / "2016-2017_850_ks4final.csv": 1_464,
    HAMPSHIRE / "2017-2018_850_ks2final.csv": 8_698,
    HAMPSHIRE / "2017-2018_850_ks4final.csv": 1_476,
    HAMPSHIRE / "2018-2019_850_ks2final.csv": 8_756,
    ENGLAND / "england_abs.csv": 42_428,
    ENGLAND / "england_census.csv": 47_878,
    DESTINATIONS: 11_631,
}


@pytest.mark.parametrize("path", list(REAL_FIGURES), ids=lambda p: p.name)
def test_the_real_files_load_every_figure_as_before(catalogue_store, path) -> None:
    assert import_file(catalogue_store, path, dry_run=True).figures == REAL_FIGURES[path]


def test_the_real_short_rows_are_schools_without_results_or_lose_only_unread_columns() -> None:
    """What the rule in ecm/importers/ragged.py rests on, measured on the real KS2 file."""
    table = read_table(HAMPSHIRE / "2016-2017_850_ks2final.csv")
    short = {len(f): f[-1] for _, f in table.rows if len(f) < len(table.header)}
    assert sorted(short) == [23, 24, 271, 288, 289]
    assert table.header[22:25] == ["TOTPUPS", "TPUPYEAR", "TELIG"]
    assert short[23] == "NEW" and short[24] == "0"


def damaged(path: Path, change: Callable[[list[str], dict[str, int]], None], row: int) -> bytes:
    """The file rewritten with ``change(fields, positions)`` applied to its data row ``row``."""
    table = read_table(path)
    positions = {name: i for i, name in enumerate(table.header)}
    rows = [list(f) for _, f in table.rows]
    change(rows[row], positions)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([table.header, *rows])
    return out.getvalue().encode()


def full_school_row(path: Path, *numbers: str) -> tuple[int, int, list[str]]:
    """(row index, line, fields) of the first full-length school row whose ``numbers`` columns
    all hold numbers."""
    table = read_table(path)
    for index, (line, fields) in enumerate(table.rows):
        if len(fields) == len(table.header) and fields[table.column("URN")].isdigit():
            cells = [fields[table.column(n)].rstrip("%") for n in numbers]
            if all(c.isdigit() and int(c) > 0 for c in cells):
                return index, line, fields
    raise AssertionError(f"no school row in {path.name} with {numbers}")


def test_a_row_cut_short_in_its_data_is_refused(ks2_store, tmp_path) -> None:
    index, line, _ = full_school_row(KS2, "TELIG", "PTRWM_EXP")

    def cut(length: int) -> Callable[[list[str], dict[str, int]], None]:
        return lambda fields, _: fields.__delitem__(slice(length, None))

    assert_rejected(
        ks2_store,
        tmp_path,
        KS2.name,
        damaged(KS2, cut(10), index),
        f"{KS2.name} line {line} column TELIG: the row stops after 10 of 318 fields (at "
        "TOWN), so TELIG and the columns after it are missing",
    )
    # Cut among the results: the first column read that is lost is named.
    assert_rejected(
        ks2_store, tmp_path, KS2.name, damaged(KS2, cut(100), index), f"line {line} column "
    )
    # Stopping at TPUPYEAR is how a school without results ends, but only when it reads 0.
    assert_rejected(ks2_store, tmp_path, KS2.name, damaged(KS2, cut(26), index), "(at TPUPYEAR)")


@pytest.mark.parametrize("path", [NEETS, TIDY / "ks2_la.csv"], ids=lambda p: p.name)
def test_a_short_row_of_a_tidy_file_is_refused(ks2_store, tmp_path, path) -> None:
    """Tidy files (Fingertips, DfE open data) publish every field of every row."""
    table = read_table(path)
    line, fields = table.rows[4]
    cut = len(fields) - 2
    assert_rejected(
        ks2_store,
        tmp_path,
        path.name,
        damaged(path, lambda row, _: row.__delitem__(slice(cut, None)), 4),
        f"{path.name} line {line} column {table.header[cut]}: the row stops after {cut} of "
        f"{len(table.header)} fields",
    )


def test_a_fraction_among_percentages_is_refused(ks2_store, tmp_path) -> None:
    index, line, _ = full_school_row(KS2, "PTRWM_EXP")

    def fraction(fields: list[str], at: dict[str, int]) -> None:
        fields[at["PTRWM_EXP"]] = "0.53"

    assert_rejected(
        ks2_store,
        tmp_path,
        KS2.name,
        damaged(KS2, fraction, index),
        f"{KS2.name} line {line} column PTRWM_EXP: 0.53 looks like a fraction of 1 in a column "
        "of percentages (write 53% if that is meant)",
    )


@pytest.mark.parametrize(
    ("column", "counted"),
    [("TELIG", "in a year group"), ("TOTPUPS", "on roll")],
)
def test_a_cohort_beyond_any_school_is_refused(ks2_store, tmp_path, column, counted) -> None:
    index, line, _ = full_school_row(KS2, "TELIG")

    def impossible(fields: list[str], at: dict[str, int]) -> None:
        fields[at[column]] = "99999"

    assert_rejected(
        ks2_store,
        tmp_path,
        KS2.name,
        damaged(KS2, impossible, index),
        f"{KS2.name} line {line} column {column}: 99,999 pupils {counted} is beyond any real "
        "count for a school",
    )


def test_group_cohorts_that_do_not_add_up_to_all_pupils_are_refused(ks2_store, tmp_path) -> None:
    index, line, fields = full_school_row(KS4, "TPUP", "TFSM6CLA1A", "TNOTFSM6CLA1A")
    table = read_table(KS4)
    pupils = int(fields[table.column("TPUP")])
    group = int(fields[table.column("TFSM6CLA1A")])
    others = int(fields[table.column("TNOTFSM6CLA1A")])

    def more_others(row: list[str], at: dict[str, int]) -> None:
        row[at["TNOTFSM6CLA1A"]] = str(others - 3)

    assert_rejected(
        ks2_store,
        tmp_path,
        KS4.name,
        damaged(KS4, more_others, index),
        f"{KS4.name} line {line} column TPUP: {pupils:,} pupils in all, but TFSM6CLA1A "
        f"{group:,} + TNOTFSM6CLA1A {others - 3:,} = {group + others - 3:,}",
    )


def test_published_counts_of_destinations_must_add_up(ks2_store, tmp_path) -> None:
    index, line, _ = full_school_row(DESTINATIONS, "OVERALL_DEST_DIS", "COHORT_DIS")

    def fewer(row: list[str], at: dict[str, int]) -> None:
        row[at["OVERALL_DEST_DIS"]] = str(int(row[at["OVERALL_DEST_DIS"]]) - 1)

    assert_rejected(
        ks2_store,
        tmp_path,
        DESTINATIONS.name,
        damaged(DESTINATIONS, fewer, index),
        f"{DESTINATIONS.name} line {line} column OVERALL_DEST: ",
        period="2018/19",
    )


def test_a_percentage_beyond_the_rounding_of_its_groups_is_refused(ks2_store, tmp_path) -> None:
    index, line, fields = full_school_row(
        KS2, "PTRWM_EXP", "PTRWM_EXP_FSM6CLA1A", "PTRWM_EXP_NotFSM6CLA1A"
    )
    table = read_table(KS2)
    published = int(fields[table.column("PTRWM_EXP")].rstrip("%"))

    def shifted(row: list[str], at: dict[str, int]) -> None:
        row[at["PTRWM_EXP"]] = f"{published + 10 if published < 90 else published - 10}%"

    assert_rejected(
        ks2_store,
        tmp_path,
        KS2.name,
        damaged(KS2, shifted, index),
        f"{KS2.name} line {line} column PTRWM_EXP: ",
    )
    refusal = assert_rejected(
        ks2_store, tmp_path, KS2.name, damaged(KS2, shifted, index), "beyond the rounding"
    )
    assert "PTRWM_EXP_FSM6CLA1A" in refusal and "PTRWM_EXP_NotFSM6CLA1A" in refusal
