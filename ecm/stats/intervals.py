"""Confidence intervals and differences by the methods public health analysts publish with.

Every function is vectorised: scalars, numpy arrays or pandas Series in, the same shape out (a
Series keeps its index). A row that is missing or impossible (denominator not positive,
numerator above denominator, negative counts) gives NaN in that row only; a whole column never
fails because one row is odd.

References
----------
- Public Health England (2018), *Technical Guide: Confidence Intervals* (Fingertips methods):
  Wilson score interval for proportions; exact Poisson (below 10 events) and Byar's method
  (10 events or more) for rates; Student's t for means.
- Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  *JASA* 22, 209-212.
- Newcombe, R. G. (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. *Statistics in Medicine* 17, 873-890 (method 10,
  the hybrid score interval).
- Zou, G. Y. and Donner, A. (2008). Construction of confidence limits about effect measures: a
  general approach (MOVER). *Statistics in Medicine* 27, 1693-1702.
- Breslow, N. E. and Day, N. E. (1987). *Statistical Methods in Cancer Research II*, on Byar's
  approximation to the Poisson limits.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import special

#: The two confidence levels the field uses: 95% and 99.8% (about 2 and 3 standard errors).
CONFIDENCE_95 = 0.95
CONFIDENCE_998 = 0.998
#: Below this many events a rate's interval is exact Poisson; from it up, Byar's approximation.
EXACT_POISSON_BELOW = 10

ArrayLike = Any  # scalar, numpy array or pandas Series


class Interval(NamedTuple):
    """An estimate with its lower and upper confidence limits (same shape as the inputs)."""

    value: ArrayLike
    lower: ArrayLike
    upper: ArrayLike


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence`` (1.959964 for 0.95)."""
    return float(special.ndtri(1 - (1 - confidence) / 2))


def _as_arrays(*values: ArrayLike) -> tuple[list[np.ndarray], pd.Index | None, bool]:
    """Float arrays broadcast together, the index of the first Series, and scalar-ness."""
    index = next((v.index for v in values if isinstance(v, pd.Series)), None)
    scalar = all(np.ndim(v) == 0 for v in values)
    arrays = [
        np.asarray(
            pd.to_numeric(v, errors="coerce") if isinstance(v, pd.Series) else v, dtype=float
        )
        if v is not None
        else np.array(np.nan)
        for v in values
    ]
    return list(np.broadcast_arrays(*arrays)), index, scalar


def _wrap(array: np.ndarray, index: pd.Index | None, scalar: bool) -> ArrayLike:
    """Give a result back in the caller's shape."""
    if index is not None:
        return pd.Series(array, index=index)
    if scalar:
        return np.float64(array)
    return array


def _interval(value, lower, upper, index, scalar) -> Interval:  # noqa: ANN001
    return Interval(
        _wrap(value, index, scalar), _wrap(lower, index, scalar), _wrap(upper, index, scalar)
    )


def _wilson(numerator: np.ndarray, denominator: np.ndarray, z: float) -> tuple[np.ndarray, ...]:
    """Wilson score limits of numerator/denominator (as fractions), NaN where impossible."""
    valid = (denominator > 0) & (numerator >= 0) & (numerator <= denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(valid, numerator / denominator, np.nan)
        root = z * np.sqrt(z * z + 4 * numerator * (1 - p))
        scale = 2 * (denominator + z * z)
        lower = (2 * numerator + z * z - root) / scale
        upper = (2 * numerator + z * z + root) / scale
    # At 0 and n events the formula gives exactly 0 and 1; clip the rounding dust.
    lower = np.where(numerator == 0, 0.0, lower)
    upper = np.where(numerator == denominator, 1.0, upper)
    return p, np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)


def proportion_ci(
    numerator: ArrayLike,
    denominator: ArrayLike,
    confidence: float = CONFIDENCE_95,
    multiplier: float = 1,
) -> Interval:
    """A proportion and its Wilson score interval, times ``multiplier`` (100 for a percentage).

    Notes
    -----
    PHE's Technical Guide recommends the Wilson score method for proportions: unlike the normal
    approximation it never leaves [0, 1] and behaves well at 0 and n events and for small n.
    """
    (numerator, denominator), index, scalar = _as_arrays(numerator, denominator)
    p, lower, upper = _wilson(numerator, denominator, z_value(confidence))
    return _interval(p * multiplier, lower * multiplier, upper * multiplier, index, scalar)


def _poisson_limits(count: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits of a Poisson count: exact below 10 events, Byar's from 10 up."""
    alpha = 1 - confidence
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        # chdtri(df, q) is the chi-squared quantile with upper tail q (scipy.special is far
        # lighter to import than scipy.stats, which matters for the command line).
        exact_lower = np.where(count > 0, special.chdtri(2 * count, 1 - alpha / 2) / 2, 0.0)
        exact_upper = special.chdtri(2 * count + 2, alpha / 2) / 2
        byar_lower = count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3
        byar_upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * np.sqrt(count + 1))) ** 3
    exact = count < EXACT_POISSON_BELOW
    return np.where(exact, exact_lower, byar_lower), np.where(exact, exact_upper, byar_upper)


def rate_ci(
    count: ArrayLike,
    denominator: ArrayLike,
    confidence: float = CONFIDENCE_95,
    multiplier: float = 100_000,
) -> Interval:
    """A crude rate (events per ``multiplier`` population) with its Poisson interval.

    Notes
    -----
    Exact limits from the chi-squared distribution below 10 events, Byar's approximation from
    10 events up, as PHE's Technical Guide prescribes for counts and crude rates.
    """
    (count, denominator), index, scalar = _as_arrays(count, denominator)
    valid = (denominator > 0) & (count >= 0)
    lower, upper = _poisson_limits(np.where(valid, count, np.nan), confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(valid, multiplier / denominator, np.nan)
    return _interval(count * scale, lower * scale, upper * scale, index, scalar)


def mean_ci(
    mean: ArrayLike, sd: ArrayLike, n: ArrayLike, confidence: float = CONFIDENCE_95
) -> Interval:
    """A mean with its Student's t interval (NaN when n < 2 or sd is missing or negative)."""
    (mean, sd, n), index, scalar = _as_arrays(mean, sd, n)
    valid = (n >= 2) & (sd >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = special.stdtrit(np.where(valid, n - 1, np.nan), 1 - (1 - confidence) / 2)
        half = t * sd / np.sqrt(n)
    half = np.where(valid, half, np.nan)
    return _interval(mean, mean - half, mean + half, index, scalar)


def interval_difference_ci(
    value1: ArrayLike,
    lower1: ArrayLike,
    upper1: ArrayLike,
    value2: ArrayLike,
    lower2: ArrayLike,
    upper2: ArrayLike,
) -> Interval:
    """The difference value1 - value2 with limits from each value's own interval (MOVER).

    Notes
    -----
    Zou and Donner's method of variance estimates recovery: used where a source publishes
    values with intervals but not the counts behind them (e.g. Progress 8 with its 95% limits).
    With Wilson intervals it is exactly Newcombe's hybrid score method.
    """
    (v1, l1, u1, v2, l2, u2), index, scalar = _as_arrays(
        value1, lower1, upper1, value2, lower2, upper2
    )
    d = v1 - v2
    lower = d - np.sqrt((v1 - l1) ** 2 + (u2 - v2) ** 2)
    upper = d + np.sqrt((u1 - v1) ** 2 + (v2 - l2) ** 2)
    return _interval(d, lower, upper, index, scalar)


def proportion_difference_ci(
    numerator1: ArrayLike,
    denominator1: ArrayLike,
    numerator2: ArrayLike,
    denominator2: ArrayLike,
    confidence: float = CONFIDENCE_95,
    multiplier: float = 1,
) -> Interval:
    """p1 - p2 with Newcombe's hybrid score interval (method 10), times ``multiplier``."""
    (n1, d1, n2, d2), index, scalar = _as_arrays(numerator1, denominator1, numerator2, denominator2)
    z = z_value(confidence)
    p1, l1, u1 = _wilson(n1, d1, z)
    p2, l2, u2 = _wilson(n2, d2, z)
    d, lower, upper = interval_difference_ci(p1, l1, u1, p2, l2, u2)
    return _interval(d * multiplier, lower * multiplier, upper * multiplier, index, scalar)


def rate_difference_ci(
    count1: ArrayLike,
    denominator1: ArrayLike,
    count2: ArrayLike,
    denominator2: ArrayLike,
    confidence: float = CONFIDENCE_95,
    multiplier: float = 100_000,
) -> Interval:
    """r1 - r2 for two crude rates, limits by MOVER from each rate's own Poisson interval.

    Notes
    -----
    Each rate's limits are exact Poisson below 10 events and Byar's from 10 (as
    :func:`rate_ci`); Zou and Donner's MOVER combines them, as Newcombe's method combines
    Wilson limits for proportions. The normal approximation (variances O/n²) it replaces gives
    a zero count no variance at all, so 0 events against 4 in equal populations came out
    significant, where the exact conditional test (4 of 4 events in one of two equal halves)
    gives p = 0.125.

    MOVER can still be bolder than the exact test with few events (3 against 11 in equal
    populations: MOVER excludes zero, the exact conditional test gives p = 0.057). So the
    interval is also held to that test (Przyborowski and Wilenski 1940; R's ``poisson.test``
    for two samples): given the o1 + o2 events, o1 is binomial with probability
    n1 / (n1 + n2) when the rates are equal; where that probability lies inside the
    Clopper-Pearson interval of o1 / (o1 + o2), the rates do not differ at this level, and an
    interval that excludes zero is widened to reach it. Interval and test then never disagree.
    """
    (o1, n1, o2, n2), index, scalar = _as_arrays(count1, denominator1, count2, denominator2)
    valid = (n1 > 0) & (n2 > 0) & (o1 >= 0) & (o2 >= 0)
    counts1, counts2 = np.where(valid, o1, np.nan), np.where(valid, o2, np.nan)
    low1, high1 = _poisson_limits(counts1, confidence)
    low2, high2 = _poisson_limits(counts2, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        s1, s2 = multiplier / n1, multiplier / n2
        d, lower, upper = interval_difference_ci(
            counts1 * s1, low1 * s1, high1 * s1, counts2 * s2, low2 * s2, high2 * s2
        )
        equal_share = n1 / (n1 + n2)
    share_low, share_high = _clopper_pearson(counts1, counts1 + counts2, confidence)
    no_difference = (share_low <= equal_share) & (equal_share <= share_high)
    lower = np.where(no_difference, np.minimum(lower, 0.0), lower)
    upper = np.where(no_difference, np.maximum(upper, 0.0), upper)
    return _interval(d, lower, upper, index, scalar)


def _clopper_pearson(
    successes: np.ndarray, trials: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson (exact) limits of a binomial probability; [0, 1] with no trials."""
    alpha = 1 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(
            successes > 0, special.betaincinv(successes, trials - successes + 1, alpha / 2), 0.0
        )
        high = np.where(
            successes < trials,
            special.betaincinv(successes + 1, trials - successes, 1 - alpha / 2),
            1.0,
        )
    return low, high


def mean_difference_ci(
    mean1: ArrayLike,
    sd1: ArrayLike,
    n1: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    n2: ArrayLike,
    confidence: float = CONFIDENCE_95,
) -> Interval:
    """m1 - m2 with Welch's t interval (unequal variances, Welch-Satterthwaite df)."""
    (m1, s1, k1, m2, s2, k2), index, scalar = _as_arrays(mean1, sd1, n1, mean2, sd2, n2)
    valid = (k1 >= 2) & (k2 >= 2) & (s1 >= 0) & (s2 >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = s1**2 / k1, s2**2 / k2
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (k1 - 1) + v2**2 / (k2 - 1))
        t = special.stdtrit(np.where(valid, df, np.nan), 1 - (1 - confidence) / 2)
    d = m1 - m2
    half = np.where(valid, t * se, np.nan)
    return _interval(d, d - half, d + half, index, scalar)


def value_ci(
    statistic: str,
    numerator: ArrayLike,
    denominator: ArrayLike,
    confidence: float = CONFIDENCE_95,
    multiplier: float = 1,
) -> Interval:
    """The interval for an indicator's statistic kind from its numerator and denominator.

    Proportions get Wilson, rates Poisson (exact/Byar); means and counts have no interval from
    these two numbers alone, so their limits are NaN (a published interval is kept instead).
    """
    if statistic == "proportion":
        return proportion_ci(numerator, denominator, confidence, multiplier)
    if statistic == "rate":
        return rate_ci(numerator, denominator, confidence, multiplier)
    (numerator, denominator), index, scalar = _as_arrays(numerator, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(denominator > 0, numerator / denominator * multiplier, np.nan)
    missing = np.full_like(value, np.nan)
    return _interval(value, missing, missing, index, scalar)


def difference_ci(
    statistic: str,
    first: tuple[ArrayLike, ArrayLike],
    second: tuple[ArrayLike, ArrayLike],
    confidence: float = CONFIDENCE_95,
    multiplier: float = 1,
) -> Interval:
    """first - second for an indicator's statistic kind, each given as (numerator, denominator).

    Proportions: Newcombe's hybrid score; rates: MOVER with exact/Byar Poisson limits. For
    means, call :func:`mean_difference_ci` (it needs standard deviations) or
    :func:`interval_difference_ci`.
    """
    if statistic == "proportion":
        return proportion_difference_ci(*first, *second, confidence, multiplier)
    if statistic == "rate":
        return rate_difference_ci(*first, *second, confidence, multiplier)
    raise ValueError(
        f"difference_ci needs counts: {statistic!r} has none; use interval_difference_ci"
    )


#: A denominator more than this many times the pupils behind a figure counts something else.
PUPIL_SLACK = 1.01


def counts_pupils(denominator: object, pupils: object) -> np.ndarray:
    """Whether each figure's denominator counts pupils (or is not known to count anything else).

    Absence rates count sessions (about 300 a pupil), and one pupil's sessions are not
    independent trials: a binomial interval, trend test or funnel on them would be far too
    narrow. Such figures carry the pupils behind them (``pupils``), and a denominator beyond
    those pupils marks them: their counts are not used for any test.
    """
    d = np.asarray(denominator, float)
    p = np.asarray(pupils, float)
    return np.isnan(p) | np.isnan(d) | (d <= p * PUPIL_SLACK)
