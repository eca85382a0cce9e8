"""Similar-school pools and phase quartiles on the real files: pooled over the schools whose
counts are known, among state-funded schools only, and saying what they rest on.

The expected values are computed here from the raw published CSV files, not by the product.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecm.places.explorer import explore_gaps
from ecm.places.profile import build_profile
from ecm.stats.benchmarks import pooled_value
from ecm.store.engine import make_engine
from tests.helpers import GIAS, KS2, KS4, build_real_store, drop_database, read

#: A Hampshire primary in the 0-8% FSM band whose other pupils (86%, 69 of 80) reach the KS2
#: expected standard about as often as similar schools' do.
SCHOOL = "132801"


def _raw(path: Path) -> pd.DataFrame:
    """A DfE performance table as published (text cells, markers kept)."""
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)


def _number(cell: str) -> float:
    """A published number or percentage; NaN for a marker (SUPP, NE, ...)."""
    cell = cell.strip().rstrip("%")
    try:
        return float(cell)
    except ValueError:
        return math.nan


def _register_fsm() -> dict[str, float]:
    """% FSM of each school in the real register extract (its ragged rows read by csv)."""
    with GIAS.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        urn, fsm = header.index("URN"), header.index("PercentageFSM")
        return {r[urn]: _number(r[fsm]) for r in rows if len(r) > fsm and r[fsm].strip()}


def _expected_pool() -> tuple[float, float, int, int]:
    """The other state-funded mainstream schools of SCHOOL's band, from the raw files: the pooled
    % of other pupils at the expected standard over the schools with both counts, the same
    summed column by column (the old way), the schools pooled and the schools left out."""
    ks2 = _raw(KS2)
    ks2 = ks2[ks2["RECTYPE"] == "1"]
    fsm = _register_fsm()
    ks2 = ks2[ks2["URN"].map(lambda u: fsm.get(u, math.nan) < 8) & (ks2["URN"] != SCHOOL)]
    # A school with no results (a short row, its cells blank) has no figure to pool or leave out.
    ks2 = ks2[ks2["PTRWM_EXP_NotFSM6CLA1A"].str.strip() != ""]
    percent = ks2["PTRWM_EXP_NotFSM6CLA1A"].map(_number)
    pupils = ks2["TNotFSM6CLA1A"].map(_number)
    # The importer derives a count from a whole-number percentage and the group's size.
    achieved = np.floor(percent * pupils / 100 + 0.5)
    known = achieved.notna() & pupils.notna()
    correct = 100 * achieved[known].sum() / pupils[known].sum()
    column_by_column = 100 * achieved.sum() / pupils.sum()
    return correct, column_by_column, int(known.sum()), int((~known).sum())


@pytest.fixture(scope="module")
def register_and_ks2(real_stores):  # noqa: ANN001, ANN201
    engine = make_engine(real_stores.url("register_and_ks2"))
    yield engine
    engine.dispose()


@pytest.mark.realdata
def test_similar_schools_pool_only_the_schools_whose_counts_are_known(register_and_ks2) -> None:  # noqa: ANN001
    correct, column_by_column, pooled, left_out = _expected_pool()
    assert left_out > 0 and column_by_column < 40 < 75 < correct  # what the fix is about
    profile = build_profile(register_and_ks2, "school", SCHOOL, "2018/19")
    figure = next(
        o
        for o in profile["observations"]
        if (o["indicator"], o["group"], o["period"])
        == ("ptrwm_exp", "not_disadvantaged", "2018/19")
    )
    # (Profile figures are given to four decimal places.)
    assert figure["comparator_values"]["similar_schools"] == pytest.approx(correct, abs=5e-5)
    # 86% (77.0-92.1) against about 80%: similar, where against the column-by-column pool
    # (about 29%) it was called better.
    assert figure["lower"] > column_by_column
    assert figure["benchmarks"]["similar_schools"] == "similar"
    assert figure["similar_schools"] == {
        "schools": pooled,
        "left_out": left_out,
        # The set is named: the state-funded primary schools of SCHOOL's band (below 8% FSM).
        "words": f"similar schools: {pooled} other state-funded primary schools in the 0-8% "
        f"FSM band, {left_out} with withheld figures left out",
    }


@pytest.mark.realdata
def test_a_school_marked_independent_leaves_the_pool(tmp_path: Path) -> None:
    """A copy of the KS2 table names one school of the band independent (``NFTYPE`` ``IND``,
    as DfE marks independent schools in its KS4 tables); the pool of the others is then
    computed without it."""
    fsm = _register_fsm()
    ks2 = _raw(KS2)
    ks2 = ks2[ks2["RECTYPE"] == "1"]
    in_band = ks2[ks2["URN"].map(lambda u: fsm.get(u, math.nan) < 8)]
    counted = in_band[
        in_band["PTRWM_EXP_NotFSM6CLA1A"].map(_number).notna() & (in_band["URN"] != SCHOOL)
    ]
    independent = counted["URN"].iloc[0]
    copy = tmp_path / KS2.name
    text = KS2.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    kind, urn = header.index("NFTYPE"), header.index("URN")
    for i, line in enumerate(lines):
        cells = next(csv.reader([line]))
        if len(cells) > urn and cells[urn] == independent:
            cells[kind] = "IND"
            out = io.StringIO()
            csv.writer(out, lineterminator=line[len(line.rstrip("\r\n")) :]).writerow(cells)
            lines[i] = out.getvalue()
    copy.write_text("".join(lines), encoding="utf-8-sig", newline="")
    url = build_real_store(tmp_path / "store", (GIAS, copy))
    engine = make_engine(url)
    try:
        figure = next(
            o
            for o in build_profile(engine, "school", SCHOOL, "2018/19")["observations"]
            if (o["indicator"], o["group"]) == ("ptrwm_exp", "not_disadvantaged")
            and o["period"] == "2018/19"
        )
        rest = counted[counted["URN"] != independent]
        percent = rest["PTRWM_EXP_NotFSM6CLA1A"].map(_number)
        pupils = rest["TNotFSM6CLA1A"].map(_number)
        achieved = np.floor(percent * pupils / 100 + 0.5)
        expected = 100 * achieved.sum() / pupils.sum()
        assert figure["comparator_values"]["similar_schools"] == pytest.approx(expected, abs=5e-5)
        assert figure["similar_schools"]["schools"] == len(rest)
        # Compared with all schools, the independent one is pooled too, and the set is named.
        chosen = next(
            o
            for o in build_profile(engine, "school", SCHOOL, "2018/19", "all")["observations"]
            if (o["indicator"], o["group"]) == ("ptrwm_exp", "not_disadvantaged")
            and o["period"] == "2018/19"
        )
        percent = counted["PTRWM_EXP_NotFSM6CLA1A"].map(_number)
        pupils = counted["TNotFSM6CLA1A"].map(_number)
        expected_all = 100 * np.floor(percent * pupils / 100 + 0.5).sum() / pupils.sum()
        assert chosen["comparator_values"]["similar_schools"] == pytest.approx(
            expected_all, abs=5e-5
        )
        assert expected_all != pytest.approx(expected, abs=5e-5)
        assert chosen["similar_schools"]["schools"] == len(counted)
        assert chosen["similar_schools"]["words"].startswith(
            f"similar schools: {len(counted)} other primary schools in the 0-8% FSM band "
            "(independent schools included)"
        )
        # The pool with the independent school is kept only for its band.
        assert read(engine, "SELECT COUNT(*) FROM school_benchmark WHERE fsm_band = 'i:0-8%'") != [
            (0,)
        ]
    finally:
        engine.dispose()
        drop_database(url)


@pytest.mark.realdata
def test_phase_quartiles_leave_independent_schools_out(tmp_path: Path) -> None:
    """Hampshire's KS4 table lists independent schools (NFTYPE IND) among its mainstream rows;
    the secondary quartiles and the band's words are those of the state-funded schools."""
    ks4 = _raw(KS4)
    mainstream = ks4[ks4["RECTYPE"] == "1"]
    assert (mainstream["NFTYPE"] == "IND").sum() > 10
    scores = mainstream["ATT8SCR"].map(_number)
    state = scores[(mainstream["NFTYPE"] != "IND").to_numpy()].dropna()
    everyone = scores.dropna()
    expected = state.quantile([0.25, 0.5, 0.75]).to_list()
    assert everyone.quantile([0.25, 0.5, 0.75]).to_list() != expected
    url = build_real_store(tmp_path, (KS4,))
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.exec_driver_sql(
                "SELECT q1, median, q3, schools FROM school_benchmark WHERE indicator_code = "
                "'att8scr' AND phase = 'secondary' AND fsm_band = 'all' AND period = '2017/18'"
            ).one()
        assert list(stored[:3]) == pytest.approx(expected, abs=5e-5)
        assert stored[3] == len(state)
        urn = mainstream.loc[(mainstream["NFTYPE"] != "IND") & scores.notna(), "URN"].iloc[0]
        figure = next(
            o
            for o in build_profile(engine, "school", urn, "2017/18")["observations"]
            if (o["indicator"], o["group"], o["period"]) == ("att8scr", "all", "2017/18")
        )
        assert figure["rank"]["among"] == (
            f"among {len(state)} state-funded secondary schools loaded"
        )
        funnel = explore_gaps(engine, "att8scr", "disadvantaged", "school", "2017/18")
        independent = set(mainstream.loc[mainstream["NFTYPE"] == "IND", "URN"])
        assert set(funnel.gaps["area_code"]) and not set(funnel.gaps["area_code"]) & independent
    finally:
        engine.dispose()
        drop_database(url)


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 50)).map(lambda t: (min(t), t[1])),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 200),
)
def test_a_row_without_its_numerator_leaves_the_pool_unchanged(rows, pupils) -> None:  # noqa: ANN001
    frame = pd.DataFrame(
        {
            "indicator_code": "a",
            "numerator": [float(n) for n, _ in rows],
            "denominator": [float(d) for _, d in rows],
        }
    )
    withheld = pd.concat(
        [
            frame,
            pd.DataFrame({"indicator_code": ["a"], "numerator": [np.nan], "denominator": [pupils]}),
        ],
        ignore_index=True,
    )
    before = pooled_value(frame, ["indicator_code"], 100.0).iloc[0]
    after = pooled_value(withheld, ["indicator_code"], 100.0).iloc[0]
    expected = 100 * sum(n for n, _ in rows) / sum(d for _, d in rows)
    assert after["value"] == pytest.approx(expected) == before["value"]
    assert (after["schools"], after["left_out"]) == (len(rows), 1)
