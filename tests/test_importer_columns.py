"""A performance-table file whose columns are not what the mapping reads says so (real KS2 file).

DfE renames and adds columns between years: a measure whose column is missing is named in the
import's summary instead of vanishing with exit 0, and a mapped column that appears twice is
refused, since which to read would be a guess.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecm.errors import DataError
from ecm.importers import import_file
from tests.helpers import KS2

pytestmark = pytest.mark.realdata


def _copy_with_header(tmp_path: Path, change) -> Path:  # noqa: ANN001
    """The real KS2 file with its header line changed by ``change`` (list -> list)."""
    header, rest = KS2.read_bytes().split(b"\n", 1)
    names = header.decode("utf-8-sig").rstrip("\r").split(",")
    path = tmp_path / KS2.name
    path.write_bytes(("\ufeff" + ",".join(change(names)) + "\r").encode() + b"\n" + rest)
    return path


def test_a_renamed_measure_column_is_named_in_the_summary(catalogue_store, tmp_path) -> None:
    path = _copy_with_header(
        tmp_path, lambda names: [("PTMAT_EXQ" if n == "PTMAT_EXP" else n) for n in names]
    )
    outcome = import_file(catalogue_store, path, dry_run=True)
    whole = import_file(catalogue_store, KS2, dry_run=True)
    assert outcome.figures < whole.figures
    assert outcome.notes == [
        "not in this file, so not loaded: ptmat_exp (all); DfE renames columns between years, "
        "and data/mappings/performance_tables.csv lists the names read"
    ]
    assert whole.notes == []


def test_a_mapped_column_that_appears_twice_is_refused(catalogue_store, tmp_path) -> None:
    path = _copy_with_header(
        tmp_path, lambda names: [("PTRWM_EXP" if n == "PTREAD_EXP" else n) for n in names]
    )
    with pytest.raises(DataError) as refused:
        import_file(catalogue_store, path)
    assert (
        "ks2final.csv line 1 column PTRWM_EXP: appears 2 times, so which to read is unclear"
        in str(refused.value)
    )
