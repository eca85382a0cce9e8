"""Funnel plot limits for gaps, so that small schools are not shamed by noise.

A place's gap here is its focus group's figure against the comparator group nationally (the
DfE's ``DIFFN`` measure: disadvantaged pupils in the school against other pupils in England).
The national comparator is a fixed target, so a gap varies only with the focus group's own
figure. If the place's focus group did as well as the focus group does nationally, its gap
would be the national gap (the *centre*) give or take sampling noise that shrinks with the
group's size ``n`` (Spiegelhalter, *Funnel plots for comparing institutional performance*,
Statistics in Medicine 2005):

- proportions: standard error ``sqrt(p0 (1 - p0) / n)`` x multiplier, ``p0`` the national
  focus-group proportion;
- rates: ``sqrt(r0 / n)`` x multiplier (Poisson), ``r0`` the national rate per person;
- means (scores): ``sd / sqrt(n)``, the pupil-level standard deviation estimated from the
  places' own published intervals (median of half-width x sqrt(n) / z).

Limits are the centre +/- 1.96 and 3.09 standard errors (95% and 99.8%). A place beyond the
99.8% limit is very unlikely to be there by chance alone. Positive gaps mean the focus group is
worse off, so *above* means a wider gap than expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
Z998 = 3.090232306167813
POSITIONS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")


def standard_errors(
    statistic: str, national_value: float, sizes: np.ndarray, multiplier: float, sd: float | None
) -> np.ndarray:
    """The standard error of a focus group's figure at each size under the national value."""
    sizes = np.asarray(sizes, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if statistic == "proportion":
            p0 = national_value / multiplier
            return np.sqrt(p0 * (1 - p0) / sizes) * multiplier
        if statistic == "rate":
            return np.sqrt((national_value / multiplier) / sizes) * multiplier
        if sd is None or not np.isfinite(sd):
            return np.full(sizes.shape, np.nan)
        return sd / np.sqrt(sizes)


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
) -> pd.DataFrame:
    """Limits at sizes from 5 to ``max_size`` (log-spaced): size, lower95, upper95, lower998,
    upper998."""
    sizes = np.unique(np.round(np.geomspace(5, max(max_size, 6), points)))
    se = standard_errors(statistic, national_value, sizes, multiplier, sd)
    return pd.DataFrame(
        {
            "size": sizes,
            "lower95": centre - Z95 * se,
            "upper95": centre + Z95 * se,
            "lower998": centre - Z998 * se,
            "upper998": centre + Z998 * se,
        }
    )


def positions(
    gaps: np.ndarray,
    sizes: np.ndarray,
    centre: float,
    statistic: str,
    national_value: float,
    multiplier: float,
    sd: float | None = None,
    gap_range: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Where each gap falls against the limits at its own size (one of ``POSITIONS``).

    ``gap_range`` is each gap's least and greatest value over the numerators its figures'
    roundings allow (:func:`ecm.stats.gaps.gap_between`): a gap is placed beyond a limit only
    if both ends are, else at the nearer of the two (within where they straddle the centre).
    """
    gaps = np.asarray(gaps, dtype=float)
    se = standard_errors(statistic, national_value, np.asarray(sizes, float), multiplier, sd)
    z = (gaps - centre) / se
    if gap_range is not None:
        least, most = (np.asarray(a, float) for a in gap_range)
        z_least = (np.where(np.isnan(least), gaps, least) - centre) / se
        z_most = (np.where(np.isnan(most), gaps, most) - centre) / se
        nearer = np.where(np.abs(z_least) < np.abs(z_most), z_least, z_most)
        # Ends on both sides of the centre: the place may be at the centre itself.
        z = np.where(np.isfinite(z), np.where(z_least * z_most <= 0, 0.0, nearer), z)
    out = np.select(
        [z > Z998, z > Z95, z < -Z998, z < -Z95],
        ["above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        "within",
    ).astype(object)
    out[~np.isfinite(z)] = None
    return out
