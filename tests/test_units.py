"""Units in words: every figure and gap says what it counts."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ecm import units
from ecm.units import gap_unit, gap_with_unit, with_unit


def test_gap_units_in_words() -> None:
    assert gap_unit("%") == "percentage points"
    assert gap_unit("score") == "points"
    assert gap_unit("per 10,000") == "per 10,000"
    assert gap_unit("days") == "days"
    assert gap_unit("count") == "" and gap_unit(None) == "" and gap_unit(math.nan) == ""


def test_figures_and_gaps_with_their_units() -> None:
    assert with_unit(49.04, "%") == "49.0%"
    assert with_unit(47.6, "score") == "47.6 points"
    assert with_unit(12.34, "per 10,000") == "12.3 per 10,000"
    assert with_unit(1234.0, "count") == "1,234"
    assert with_unit(6.06, "days") == "6.1 days"
    assert gap_with_unit(30.21, "%") == "30.2 percentage points"
    assert gap_with_unit(-4.05, "score", digits=2) == "-4.05 points"


@given(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(["%", "score", "per 1,000", "days"]))
def test_a_figure_starts_with_its_number(value: float, unit: str) -> None:
    assert with_unit(value, unit).startswith(f"{value:,.1f}")
    assert gap_with_unit(value, unit).endswith(gap_unit(unit))


def test_each_kind_of_figure_has_one_way_to_be_written() -> None:
    assert units.percent(49.04) == "49.0%"
    assert units.rate(12.34, "per 10,000") == "12.3 per 10,000"
    assert units.points(4.06) == "4.1 points"
    assert units.points(30.21, "%") == "30.2 percentage points"
    assert units.count(12345.0) == "12,345"
    assert units.money(2_100_000) == "£2.1m" and units.money(340_400) == "£340k"
    assert units.money(900) == "£900"
    assert units.number(1.9) == "1.9" and units.number(1.94999, "%") == "1.9"
    assert units.number(0.0366, "%", indicator="ni_114") == "0.04"
    assert units.interval(15.08, 42.13) == "15.1 to 42.1" and units.interval(None, 3.0) == ""


def test_a_missing_figure_reads_the_same_everywhere_and_says_when_it_was_withheld() -> None:
    assert units.number(None) == units.figure(math.nan, "%") == "no figure"
    assert units.number(None, "%", "c") == units.figure(None, "%", "SUPP") == "withheld"
    assert units.number(math.nan, "%", "NE") == "no figure (NE)"
    assert units.number(math.nan, "%", "-") == units.number(None, "%", "x") == "no figure"
    assert units.is_missing_text("no figure (NE)") and units.is_missing_text("withheld")
    assert not units.is_missing_text("62.0")


def test_tables_round_to_the_published_precision_and_write_the_same_text_in_every_mode() -> None:
    values = pd.Series([1.94999, 62.04, None])
    assert units.rounded(values).tolist()[:2] == [1.9, 62.0]
    by_row = units.rounded(pd.Series([0.0366, 0.0366]), "%", pd.Series(["ni_114", "ni_73"]))
    assert by_row.tolist() == [0.04, 0.0]
    table = pd.DataFrame(
        {
            "URN": [124938, 140810],
            "Size": [1.9, 12.0],
            "Pupils": [12345.0, None],
            "Name": ["a", None],
        }
    )
    text = units.table_text(table)
    assert text.to_dict("list") == {
        "URN": ["124938", "140810"],
        "Size": ["1.9", "12.0"],
        "Pupils": ["12,345", "no figure"],
        "Name": ["a", ""],
    }
    # The grid off the projector writes each cell with the same function.
    assert [units.column_writer("Size", table["Size"])(v) for v in table["Size"]] == ["1.9", "12.0"]
    assert units.column_decimals(pd.Series([0.04, 0.1])) == 2
    assert units.column_decimals(pd.Series([1.23456])) == 2
