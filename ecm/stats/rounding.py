"""Rounding error of derived numerators, carried into comparisons.

DfE performance tables publish a percentage rounded to a whole percent with its group's size;
the importer derives the numerator (percentage x size / 100, rounded) and keeps the range of
whole numerators the rounded percentage allows (``numerator_low``, ``numerator_high``; missing
where the count was published). The derived numerator can be off by up to half a percentage
point of the group, which is not small against England's interval (about +-0.12 points) or an
LA's (about +-0.8).

A comparison that calls a difference significant must then hold at every numerator the
published figures allow. Intervals are monotone in the numerator (Wilson and Poisson limits
rise with the count, and so do Newcombe's and MOVER's limits of a difference with the first
count and fall with the second), so the least favourable case for each side of a verdict is at
an end of each range: a figure above its comparator is tested with its own lowest numerator and
the comparator's highest, and the other way round. Intervals shown stay those of the point
value. Pure functions on arrays.
"""

from __future__ import annotations

import numpy as np

from ecm.stats import intervals as stats

ArrayLike = np.ndarray | list | float


def ends(numerator: ArrayLike, low: ArrayLike, high: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest numerator of each row: the published range where there is one,
    else the numerator itself (a published count is exact)."""
    point = np.asarray(numerator, float)
    low = np.broadcast_to(np.asarray(low, float), point.shape)
    high = np.broadcast_to(np.asarray(high, float), point.shape)
    ranged = ~(np.isnan(low) | np.isnan(high) | np.isnan(point))
    return np.where(ranged, low, point), np.where(ranged, high, point)


def value_range(
    value: ArrayLike,
    numerator: ArrayLike,
    low: ArrayLike,
    high: ArrayLike,
    denominator: ArrayLike,
    multiplier: ArrayLike = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value the published figures allow (numerator range over the
    denominator, times the multiplier; the point numerator where there is no range); the value
    itself where there are no counts."""
    value = np.asarray(value, float)
    denominator = np.broadcast_to(np.asarray(denominator, float), value.shape)
    multiplier = np.broadcast_to(np.asarray(multiplier, float), value.shape)
    least, most = ends(np.broadcast_to(np.asarray(numerator, float), value.shape), low, high)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_low = least / denominator * multiplier
        from_high = most / denominator * multiplier
    # Worked out from the counts wherever there are counts, even a range of one count: the
    # published whole percentage (88 for 7 of 8) is not a value the counts allow.
    counted = np.isfinite(from_low) & np.isfinite(from_high)
    return np.where(counted, from_low, value), np.where(counted, from_high, value)


def widest_limits(
    statistic: str,
    numerator: ArrayLike,
    low: ArrayLike,
    high: ArrayLike,
    denominator: ArrayLike,
    confidence: float = stats.CONFIDENCE_95,
    multiplier: ArrayLike = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """The lowest lower limit and the highest upper limit of a figure's interval over the
    numerators its rounding allows: the lower limit at the least numerator, the upper at the
    greatest (Wilson for proportions, exact/Byar Poisson for rates; NaN for other kinds)."""
    least, most = ends(numerator, low, high)
    at_least = stats.value_ci(statistic, least, denominator, confidence, multiplier)
    at_most = stats.value_ci(statistic, most, denominator, confidence, multiplier)
    return np.asarray(at_least.lower, float), np.asarray(at_most.upper, float)


def widest_difference_limits(
    statistic: str,
    first: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    second: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    confidence: float = stats.CONFIDENCE_95,
    multiplier: ArrayLike = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """The lowest lower limit and the highest upper limit of first - second over the
    numerators both figures' roundings allow; each figure is (numerator, low, high,
    denominator). The lower limit is least with the first at its least and the second at its
    greatest numerator, the upper the other way round."""
    first_least, first_most = ends(*first[:3])
    second_least, second_most = ends(*second[:3])
    lowest = stats.difference_ci(
        statistic, (first_least, first[3]), (second_most, second[3]), confidence, multiplier
    )
    highest = stats.difference_ci(
        statistic, (first_most, first[3]), (second_least, second[3]), confidence, multiplier
    )
    return np.asarray(lowest.lower, float), np.asarray(highest.upper, float)


def excludes(lower: np.ndarray, upper: np.ndarray, target: ArrayLike = 0.0) -> np.ndarray:
    """Whether each interval lies wholly above or wholly below ``target`` (False where NaN)."""
    lower, upper, target = (np.asarray(a, float) for a in (lower, upper, target))
    return (lower > target) | (upper < target)
