"""Units in words: every figure and gap says what it counts."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

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
