"""Funnel limits: the published formula by hand, and where points fall."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from ecm.stats import funnel


def test_proportion_limits_follow_the_binomial_formula() -> None:
    # National disadvantaged pupils: 60% reach the standard; national gap 19 points.
    limits = funnel.funnel_limits(19.0, "proportion", 60.0, 100.0, max_size=400)
    row = limits.iloc[10]
    se = math.sqrt(0.6 * 0.4 / row["size"]) * 100
    assert row["upper95"] == pytest.approx(19.0 + norm.ppf(0.975) * se, abs=1e-9)
    assert row["lower998"] == pytest.approx(19.0 - norm.ppf(0.999) * se, abs=1e-9)
    # The funnel narrows as groups grow.
    widths = (limits["upper95"] - limits["lower95"]).to_numpy()
    assert np.all(np.diff(widths) < 0)
    assert limits["size"].min() == 5 and limits["size"].max() == 400


def test_rates_use_poisson_and_means_the_pupil_spread() -> None:
    rate = funnel.standard_errors("rate", 50.0, np.array([100.0]), 10_000, None)
    assert rate[0] == pytest.approx(math.sqrt(0.005 / 100) * 10_000)
    mean = funnel.standard_errors("mean", 45.0, np.array([64.0]), 1, sd=16.0)
    assert mean[0] == pytest.approx(2.0)
    assert np.isnan(funnel.standard_errors("mean", 45.0, np.array([64.0]), 1, None)[0])


def test_the_pupil_spread_is_read_back_from_published_intervals() -> None:
    import pandas as pd

    sizes = pd.Series([25.0, 100.0, 400.0])
    half = 1.959963984540054 * 15.0 / np.sqrt(sizes)  # intervals of means with sd 15
    sd = funnel.pupil_sd(pd.Series([0.0] * 3), -half, half, sizes)
    assert sd == pytest.approx(15.0)


def test_points_are_placed_against_the_limits_at_their_own_size() -> None:
    se25 = math.sqrt(0.6 * 0.4 / 25) * 100
    gaps = np.array([19.0, 19 + 2.5 * se25, 19 + 3.5 * se25, 19 - 2.5 * se25, 19 - 3.5 * se25, 40])
    sizes = np.array([25, 25, 25, 25, 25, np.nan])
    assert funnel.positions(gaps, sizes, 19.0, "proportion", 60.0, 100.0).tolist() == [
        "within",
        "above 95%",
        "above 99.8%",
        "below 95%",
        "below 99.8%",
        None,
    ]


@given(
    p=st.floats(0.05, 0.95),
    n=st.integers(5, 5000),
    centre=st.floats(-30, 30),
)
def test_a_gap_at_the_centre_is_always_within(p: float, n: int, centre: float) -> None:
    assert (
        funnel.positions(np.array([centre]), np.array([n]), centre, "proportion", p * 100, 100)[0]
        == "within"
    )
