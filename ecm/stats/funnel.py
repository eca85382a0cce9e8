"""Funnel plot limits for gaps, so that small schools are not shamed by noise.

A place's gap here is its focus group's figure against the comparator group nationally (the
DfE's ``DIFFN`` measure: disadvantaged pupils in the school against other pupils in England).
The national comparator is a fixed target, so a gap varies only with the focus group's own
figure y. If the place's focus group did as well as the focus group does nationally (y0), its
gap would be the national gap (the *centre*) give or take sampling noise that shrinks with the
group's size ``n`` (Spiegelhalter, *Funnel plots for comparing institutional performance*,
Statistics in Medicine 2005). The gap is sign x (national comparator - y), so its limits are
y's limits carried over: centre - sign x (limit - y0).

Limits of y at lower-tail probabilities 0.001, 0.025, 0.975 and 0.999 (95% and 99.8%):

- proportions: exact binomial limits with Spiegelhalter's interpolation (appendix A.1): with
  R ~ Binomial(n, p0), r the smallest count with P(R <= r) >= q and
  a = (P(R <= r) - q) / (P(R <= r) - P(R <= r - 1)), the limit is (r - a) / n, within 0-1;
- rates: the same with R ~ Poisson(n r0), r0 the national rate per person;
- means (scores): y0 +/- z sd / sqrt(n), the pupil-level standard deviation estimated from the
  places' own published intervals (median of half-width x sqrt(n) / z).

The normal form y0 +/- z sqrt(p0 (1 - p0) / n) is not used for proportions or rates: it is far
from the exact limits for small groups, the very places a funnel is for. A place beyond the
99.8% limit is very unlikely to be there by chance alone. Positive gaps mean the focus group is
worse off, so *above* means a wider gap than expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

Z95 = 1.959963984540054
POSITIONS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")


#: Lower-tail probabilities of the limits: 99.8% and 95%, two-sided.
TAILS = {"lower998": 0.001, "lower95": 0.025, "upper95": 0.975, "upper998": 0.999}


def figure_limits(
    statistic: str,
    national_value: float,
    sizes: np.ndarray,
    multiplier: float,
    sd: float | None,
    q: float,
) -> np.ndarray:
    """The limit of a focus group's figure at each size, at lower-tail probability ``q``, if
    the group did as well as nationally (exact binomial or Poisson with Spiegelhalter's
    interpolation; normal for means). NaN where the size or the spread is not known."""
    sizes = np.asarray(sizes, dtype=float)
    if statistic not in ("proportion", "rate"):
        if sd is None or not np.isfinite(sd):
            return np.full(sizes.shape, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            return national_value + stats.norm.ppf(q) * sd / np.sqrt(sizes)
    p0 = national_value / multiplier
    valid = np.isfinite(sizes) & (sizes > 0)
    n = np.where(valid, sizes, 1.0)
    if statistic == "proportion":
        n = np.round(n)
        distribution = stats.binom(n, p0)
    else:
        distribution = stats.poisson(n * p0)
    count = distribution.ppf(q)
    at, below = distribution.cdf(count), distribution.cdf(count - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(at > below, (at - q) / (at - below), 0.0)
    limit = np.clip((count - step) / n, 0.0, 1.0 if statistic == "proportion" else np.inf)
    return np.where(valid, limit * multiplier, np.nan)


def gap_limits(
    centre: float,
    statistic: str,
    national_value: float,
    multiplier: float,
    sizes: np.ndarray,
    sd: float | None = None,
    sign: float = 1.0,
) -> dict[str, np.ndarray]:
    """The gap's limits at each size (``lower95``, ``upper95``, ``lower998``, ``upper998``):
    the figure's limits carried over, centre - sign x (limit - national value)."""
    carried = {
        name: centre - sign * (figure_limits(statistic, national_value, sizes, multiplier, sd, q)
                               - national_value)
        for name, q in TAILS.items()
    }  # fmt: skip
    # Where higher is better (sign +1) the figure's lower limit is the gap's upper one.
    out = {}
    for level in ("95", "998"):
        a, b = carried[f"lower{level}"], carried[f"upper{level}"]
        out[f"lower{level}"], out[f"upper{level}"] = np.fmin(a, b), np.fmax(a, b)
    return out


def pupil_sd(values: pd.Series, lower: pd.Series, upper: pd.Series, sizes: pd.Series) -> float:
    """Pupil-level standard deviation implied by published 95% intervals of means."""
    half = (upper - lower) / 2
    implied = half * np.sqrt(sizes) / Z95
    implied = implied[np.isfinite(implied) & (implied > 0)]
    return float(implied.median()) if len(implied) else float("nan")


def funnel_limits(
    centre: float,
    statistic: str,
    national_value: float,
    multiplier: float,
    max_size: float,
    sd: float | None = None,
    points: int = 60,
    sign: float = 1.0,
) -> pd.DataFrame:
    """Limits at sizes from 5 to ``max_size`` (log-spaced): size, lower95, upper95, lower998,
    upper998."""
    sizes = np.unique(np.round(np.geomspace(5, max(max_size, 6), points)))
    limits = gap_limits(centre, statistic, national_value, multiplier, sizes, sd, sign)
    return pd.DataFrame({"size": sizes, **{k: limits[k] for k in ORDER}})


#: The columns of :func:`funnel_limits` after ``size``.
ORDER = ("lower95", "upper95", "lower998", "upper998")


def positions(
    gaps: np.ndarray,
    sizes: np.ndarray,
    centre: float,
    statistic: str,
    national_value: float,
    multiplier: float,
    sd: float | None = None,
    sign: float = 1.0,
    gap_range: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Where each gap falls against the limits at its own size (one of ``POSITIONS``).

    ``gap_range`` is each gap's least and greatest value over the numerators its figures'
    roundings allow (:func:`ecm.stats.gaps.gap_between`): a gap is placed beyond a limit only
    if both ends are.
    """
    gaps = np.asarray(gaps, dtype=float)
    limits = gap_limits(
        centre, statistic, national_value, multiplier, np.asarray(sizes, float), sd, sign
    )
    # A figure exactly on a clipped limit (0% at the 99.8% limit of a small group) is not beyond
    # it: the gap and the limit are worked out by different sums, so allow for rounding.
    slack = 1e-9 * np.fmax(1.0, np.abs(gaps))
    # Beyond a limit only if both ends of the rounding range are: test the end nearer to it.
    low, high = gaps, gaps
    if gap_range is not None:
        least, most = (np.asarray(a, float) for a in gap_range)
        low = np.fmin(np.where(np.isnan(least), gaps, least), gaps)
        high = np.fmax(np.where(np.isnan(most), gaps, most), gaps)
    out = np.select(
        [
            low > limits["upper998"] + slack,
            low > limits["upper95"] + slack,
            high < limits["lower998"] - slack,
            high < limits["lower95"] - slack,
        ],
        ["above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        "within",
    ).astype(object)
    out[~(np.isfinite(gaps) & np.isfinite(limits["upper998"]))] = None
    return out
