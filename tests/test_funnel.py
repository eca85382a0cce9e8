"""Funnel limits: the published formula by hand, and where points fall."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom, norm, poisson

from ecm.stats import funnel


def test_proportion_limits_are_exact_binomial_with_interpolation() -> None:
    # National disadvantaged pupils: 60% reach the standard; national gap 19 points.
    limits = funnel.funnel_limits(19.0, "proportion", 60.0, 100.0, max_size=400)
    row = limits.iloc[10]
    n = int(row["size"])
    # Spiegelhalter (2005) A.1 by hand: the 2.5% point of Binomial(n, 0.6), interpolated.
    r = next(k for k in range(n + 1) if binom.cdf(k, n, 0.6) >= 0.025)
    a = (binom.cdf(r, n, 0.6) - 0.025) / (binom.cdf(r, n, 0.6) - binom.cdf(r - 1, n, 0.6))
    # Higher is better: the figure's lower limit is the gap's upper one.
    assert row["upper95"] == pytest.approx(19.0 - ((r - a) / n * 100 - 60.0), abs=1e-9)
    widths = (limits["upper95"] - limits["lower95"]).to_numpy()
    assert np.all(np.diff(widths) < 0)
    assert limits["size"].min() == 5 and limits["size"].max() == 400


def test_small_groups_differ_from_the_normal_form() -> None:
    # At n = 10 and p0 = 0.6 the exact 99.8% limits are far from 60 +/- 3.09 x 15.5 points.
    exact = funnel.figure_limits("proportion", 60.0, np.array([10.0]), 100.0, None, 0.999)[0]
    normal = 60.0 + norm.ppf(0.999) * math.sqrt(0.6 * 0.4 / 10) * 100
    # The exact limit stays a possible figure (at most 100%); the normal one does not.
    assert 90 < exact <= 100 < normal


def test_rates_use_exact_poisson_and_means_the_pupil_spread() -> None:
    rate = funnel.figure_limits("rate", 50.0, np.array([100.0]), 10_000, None, 0.975)[0]
    # Poisson(0.5): P(R <= 1) = 0.910 < 0.975 <= P(R <= 2) = 0.986, so r = 2, interpolated.
    at, below = poisson.cdf(2, 0.5), poisson.cdf(1, 0.5)
    assert rate == pytest.approx((2 - (at - 0.975) / (at - below)) / 100 * 10_000)
    mean = funnel.figure_limits("mean", 45.0, np.array([64.0]), 1, 16.0, 0.975)[0]
    assert mean == pytest.approx(45.0 + norm.ppf(0.975) * 2.0)
    assert np.isnan(funnel.figure_limits("mean", 45.0, np.array([64.0]), 1, None, 0.975)[0])


def test_the_pupil_spread_is_read_back_from_published_intervals() -> None:
    import pandas as pd

    sizes = pd.Series([25.0, 100.0, 400.0])
    half = 1.959963984540054 * 15.0 / np.sqrt(sizes)  # intervals of means with sd 15
    sd = funnel.pupil_sd(pd.Series([0.0] * 3), -half, half, sizes)
    assert sd == pytest.approx(15.0)


def test_points_are_placed_against_the_limits_at_their_own_size() -> None:
    n, p0 = 25, 0.6
    limits = funnel.gap_limits(19.0, "proportion", 60.0, 100.0, np.array([n]))
    up95, up998 = limits["upper95"][0], limits["upper998"][0]
    low95, low998 = limits["lower95"][0], limits["lower998"][0]
    gaps = np.array([19.0, (up95 + up998) / 2, up998 + 1, (low95 + low998) / 2, low998 - 1, 40])
    sizes = np.array([n, n, n, n, n, np.nan])
    assert funnel.positions(gaps, sizes, 19.0, "proportion", p0 * 100, 100.0).tolist() == [
        "within",
        "above 95%",
        "above 99.8%",
        "below 95%",
        "below 99.8%",
        None,
    ]


def test_lower_is_better_turns_the_limits_over() -> None:
    # A gap is sign x (comparator - figure): where lower is better a high figure is a wide gap.
    higher = funnel.gap_limits(0.0, "proportion", 20.0, 100.0, np.array([30.0]), sign=1.0)
    lower = funnel.gap_limits(0.0, "proportion", 20.0, 100.0, np.array([30.0]), sign=-1.0)
    assert lower["upper998"][0] == pytest.approx(-higher["lower998"][0])
    assert lower["upper998"][0] != pytest.approx(higher["upper998"][0])


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
