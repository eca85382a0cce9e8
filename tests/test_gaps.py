"""Gaps: signed by polarity, with Newcombe / MOVER intervals, of three kinds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm.stats.gaps import compute_gaps, gap_between, polarity_sign

CATALOGUE = pd.DataFrame(
    {
        "code": ["ks2", "absence", "fsm_share", "p8"],
        "statistic": ["proportion", "proportion", "proportion", "mean"],
        "polarity": ["higher_is_better", "lower_is_better", "neither", "higher_is_better"],
        "multiplier": [100.0, 100.0, 100.0, 1.0],
    }
)
COMPARATORS = {"disadvantaged": "not_disadvantaged"}


def figures(numerator, denominator, value=None, lower=None, upper=None) -> pd.DataFrame:
    n = len(numerator)
    return pd.DataFrame(
        {
            "value": value if value is not None else np.divide(numerator, denominator) * 100,
            "numerator": numerator,
            "denominator": denominator,
            "lower_ci": lower if lower is not None else [np.nan] * n,
            "upper_ci": upper if upper is not None else [np.nan] * n,
        },
        dtype=float,
    )


def test_newcombe_gap_for_a_higher_is_better_percentage() -> None:
    # Newcombe (1998) example (a): 56/70 against 48/80 gives 0.0524 to 0.3339.
    result = gap_between(
        figures([48], [80]), figures([56], [70]), "proportion", "higher_is_better", 100
    )
    assert result["gap"][0] == pytest.approx(20.0)
    assert result["lower"][0] == pytest.approx(5.24, abs=0.005)
    assert result["upper"][0] == pytest.approx(33.39, abs=0.005)
    assert bool(result["significant"][0])


def test_lower_is_better_turns_more_absence_into_a_positive_gap() -> None:
    result = gap_between(
        figures([56], [70]), figures([48], [80]), "proportion", "lower_is_better", 100
    )
    assert result["gap"][0] == pytest.approx(20.0)
    assert result["lower"][0] == pytest.approx(5.24, abs=0.005)


def test_mover_is_used_when_only_published_intervals_exist() -> None:
    focus = figures([np.nan], [np.nan], value=[-0.5], lower=[-0.7], upper=[-0.3])
    comparator = figures([np.nan], [np.nan], value=[0.1], lower=[0.05], upper=[0.15])
    result = gap_between(focus, comparator, "mean", "higher_is_better", 1)
    assert result["gap"][0] == pytest.approx(0.6)
    assert result["lower"][0] == pytest.approx(0.6 - np.hypot(0.05, 0.2))
    assert result["upper"][0] == pytest.approx(0.6 + np.hypot(0.05, 0.2))


def test_no_interval_means_not_significant() -> None:
    focus = figures([np.nan], [np.nan], value=[40.0])
    comparator = figures([np.nan], [np.nan], value=[60.0])
    result = gap_between(focus, comparator, "proportion", "higher_is_better", 100)
    assert result["gap"][0] == pytest.approx(20.0)
    assert not bool(result["significant"][0])


counts = st.integers(0, 200)


@settings(max_examples=200, deadline=None)
@given(a=counts, extra_a=counts, b=counts, extra_b=counts)
def test_gap_sign_flips_with_polarity_and_interval_contains_it(a, extra_a, b, extra_b) -> None:
    focus, comparator = figures([a], [a + extra_a + 1]), figures([b], [b + extra_b + 1])
    up = gap_between(focus, comparator, "proportion", "higher_is_better", 100)
    down = gap_between(focus, comparator, "proportion", "lower_is_better", 100)
    assert down["gap"][0] == pytest.approx(-up["gap"][0], abs=1e-9)
    assert down["lower"][0] == pytest.approx(-up["upper"][0], abs=1e-9)
    assert up["lower"][0] <= up["gap"][0] + 1e-9 <= up["upper"][0] + 2e-9
    assert bool(up["significant"][0]) == (up["lower"][0] > 0 or up["upper"][0] < 0)
    assert polarity_sign("higher_is_better") == -polarity_sign("lower_is_better")


def observations() -> pd.DataFrame:
    rows = [
        # indicator, level, area, group, period, numerator, denominator, suppressed
        ("ks2", "school", "S1", "disadvantaged", "2009/10", 10, 20, False),
        ("ks2", "school", "S1", "not_disadvantaged", "2009/10", 60, 80, False),
        ("ks2", "la", "L1", "not_disadvantaged", "2009/10", 600, 800, False),
        ("ks2", "england", "E", "not_disadvantaged", "2009/10", 70_000, 90_000, False),
        ("ks2", "school", "S2", "disadvantaged", "2009/10", np.nan, np.nan, True),
        ("ks2", "school", "S2", "not_disadvantaged", "2009/10", np.nan, np.nan, True),
        ("fsm_share", "school", "S1", "disadvantaged", "2009/10", 5, 10, False),
        ("fsm_share", "school", "S1", "not_disadvantaged", "2009/10", 5, 10, False),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator_code",
            "level",
            "area_code",
            "group_code",
            "period",
            "numerator",
            "denominator",
            "suppressed",
        ],
    )
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    return frame


def test_three_kinds_of_gap_for_a_school() -> None:
    gaps = compute_gaps(
        observations(),
        CATALOGUE,
        COMPARATORS,
        la_of_school=pd.Series({"S1": "L1", "S2": "L1"}),
        national_code="E",
    ).set_index(["area_code", "kind"])
    assert gaps.loc[("S1", "within"), "gap"] == pytest.approx(25.0)  # 75% - 50%
    assert gaps.loc[("S1", "vs_la"), "gap"] == pytest.approx(25.0)  # 75% - 50%
    assert gaps.loc[("S1", "vs_national"), "gap"] == pytest.approx(70_000 / 90_000 * 100 - 50)
    assert gaps.loc[("S1", "vs_national"), "comparator_group"] == "not_disadvantaged"
    # Polarity "neither" has no better or worse, so no gap for the FSM share.
    assert "fsm_share" not in set(gaps["indicator_code"])


def test_a_gap_involving_a_suppressed_figure_is_suppressed() -> None:
    gaps = compute_gaps(observations(), CATALOGUE, COMPARATORS, national_code="E")
    s2 = gaps[gaps["area_code"] == "S2"]
    assert len(s2) == 2  # within and against the nation
    assert s2["suppressed"].all() and s2["gap"].isna().all() and not s2["significant"].any()


def test_only_area_limits_the_work_to_one_place() -> None:
    gaps = compute_gaps(
        observations(), CATALOGUE, COMPARATORS, national_code="E", only_area=("school", "S1")
    )
    assert set(gaps["area_code"]) == {"S1"}
