"""Recent trends of a value or a gap, by the Fingertips recent-trend method.

Over the five most recent years (five points needed, as Fingertips needs five): the
chi-squared test for linear trend for proportions with counts; otherwise an inverse-variance
weighted regression of the value on time. A trend is called when the test is significant at
99.8%, with no further check (Fingertips has none). Results: ``increasing``, ``decreasing``, ``no
significant change`` or ``not enough data`` (fewer than five points: the untested direction of
travel, :mod:`~ecm.stats.direction`, speaks for such a series); turned into better or worse by
polarity, and for gaps into widening or narrowing.

References
----------
- Armitage, P. (1955). Tests for linear trends in proportions and frequencies. *Biometrics*
  11, 375-386 (the chi-squared test for trend).
- Office for Health Improvement and Disparities, *Fingertips: recent trends* (methods note):
  chi-squared test for trend for proportions, weighted regression for other values, 99.8%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ecm.periods import period_start
from ecm.stats.intervals import CONFIDENCE_95, CONFIDENCE_998, counts_pupils, z_value

WINDOW = 5
#: Fingertips calculates a recent trend only from five data points.
MIN_POINTS = 5
INCREASING = "increasing"
DECREASING = "decreasing"
NO_CHANGE = "no significant change"
NOT_ENOUGH = "not enough data"


def chi_square_trend(numerators, denominators) -> tuple[float, int]:  # noqa: ANN001
    """Chi-squared statistic (1 df) for a linear trend over periods 1..k, and its direction."""
    r = np.asarray(numerators, float)
    n = np.asarray(denominators, float)
    x = np.arange(1, len(r) + 1, dtype=float)
    statistic, direction = _chi_square_from_sums(
        n.sum(), r.sum(), (n * x).sum(), (r * x).sum(), (n * x * x).sum()
    )
    return float(statistic), int(direction)


def _chi_square_from_sums(sn, sr, snx, srx, snxx):  # noqa: ANN001, ANN202
    """Armitage's statistic from the five sums (arrays allowed)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = sr / sn
        t = srx - p * snx
        v = p * (1 - p) * (snxx - snx**2 / sn)
        statistic = np.where(v > 0, t * t / v, 0.0)
    return statistic, np.sign(t)


def weighted_slope(values, lower, upper, interval_confidence: float = CONFIDENCE_95):  # noqa: ANN001, ANN201
    """Inverse-variance weighted least-squares slope per period: (slope, standard error, z).

    Each point's standard error is recovered from its interval's width.
    """
    y = np.asarray(values, float)
    se = (np.asarray(upper, float) - np.asarray(lower, float)) / (2 * z_value(interval_confidence))
    w = 1 / se**2
    x = np.arange(1, len(y) + 1, dtype=float)
    slope, standard_error = _slope_from_sums(
        w.sum(), (w * x).sum(), (w * y).sum(), (w * x * x).sum(), (w * x * y).sum()
    )
    return float(slope), float(standard_error), float(slope / standard_error)


def _slope_from_sums(sw, swx, swy, swxx, swxy):  # noqa: ANN001, ANN202
    """Weighted slope and its standard error from the five sums (arrays allowed)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = swxx - swx**2 / sw
        slope = (swxy - swx * swy / sw) / sxx
        standard_error = np.sqrt(1 / sxx)
    return slope, standard_error


def compute_trends(
    figures: pd.DataFrame,
    by: list[str],
    *,
    use_counts: bool | pd.Series = True,
    window: int = WINDOW,
    min_points: int = MIN_POINTS,
    confidence: float = CONFIDENCE_998,
    interval_confidence: float = CONFIDENCE_95,
) -> pd.DataFrame:
    """The recent trend of every series in ``figures``, vectorised across series.

    ``figures`` has the ``by`` columns, ``period`` (sortable text), ``value`` and either
    ``numerator``/``denominator`` (proportions: chi-squared test) or ``lower``/``upper``
    (anything else: weighted regression). ``use_counts`` says, per row or for all, whether the
    series is a proportion with counts. Returns one row per series: the ``by`` columns,
    ``trend``, ``statistic``, ``points``.
    """
    frame = figures.copy()
    frame["_counts"] = use_counts if isinstance(use_counts, bool) else use_counts.to_numpy()
    for column in ("numerator", "denominator", "lower", "upper", "value"):
        if column not in frame:
            frame[column] = np.nan
    usable = np.where(
        frame["_counts"],
        frame["numerator"].notna() & (frame["denominator"] > 0),
        frame["value"].notna() & (frame["upper"] > frame["lower"]),
    )
    frame = frame[usable].copy()
    # Score each period by its first year, so a missing year leaves a gap in the time axis,
    # and keep the periods within ``window`` years of each series' latest.
    # The academic year a period falls in, whatever its style ("2019" in LAIT is 2018/19): a
    # year given in two styles counts once.
    frame["x"] = frame["period"].map(period_start).astype(float)
    frame = frame.drop_duplicates([*by, "x"], keep="last")
    latest = frame.groupby(by, sort=False)["x"].transform("max")
    frame = frame[frame["x"] > latest - window].sort_values([*by, "x"])

    counted = frame[frame["_counts"]]
    regressed = frame[~frame["_counts"]]
    results = [
        _chi_square_trends(counted, by, confidence),
        _regression_trends(regressed, by, confidence, interval_confidence),
    ]
    results = [r for r in results if not r.empty]
    if not results:
        return pd.DataFrame(columns=[*by, "trend", "statistic", "points"])
    result = pd.concat(results, ignore_index=True)
    too_short = result["points"] < min_points
    result.loc[too_short, "trend"] = NOT_ENOUGH
    return result


def _chi_square_trends(frame: pd.DataFrame, by: list[str], confidence: float) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame()
    f = frame.assign(
        n=frame["denominator"],
        r=frame["numerator"],
        nx=frame["denominator"] * frame["x"],
        rx=frame["numerator"] * frame["x"],
        nxx=frame["denominator"] * frame["x"] ** 2,
    )
    sums = f.groupby(by, sort=False)[["n", "r", "nx", "rx", "nxx"]].transform("sum")
    whole, sign = _chi_square_from_sums(sums["n"], sums["r"], sums["nx"], sums["rx"], sums["nxx"])
    return _summarise(f, by, whole, sign, special.chdtri(1, 1 - confidence))


def _regression_trends(
    frame: pd.DataFrame, by: list[str], confidence: float, interval_confidence: float
) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame()
    se = (frame["upper"] - frame["lower"]) / (2 * z_value(interval_confidence))
    w = 1 / se**2
    f = frame.assign(w=w, wx=w * frame["x"], wy=w * frame["value"], wxx=w * frame["x"] ** 2)
    f["wxy"] = f["wx"] * f["value"]
    sums = f.groupby(by, sort=False)[["w", "wx", "wy", "wxx", "wxy"]].transform("sum")
    slope, error = _slope_from_sums(sums["w"], sums["wx"], sums["wy"], sums["wxx"], sums["wxy"])
    return _summarise(f, by, np.abs(slope / error), np.sign(slope), z_value(confidence))


def _summarise(f, by, statistic, sign, threshold) -> pd.DataFrame:  # noqa: ANN001
    """One row per series: its statistic, its number of points and the trend it makes."""
    checks = pd.DataFrame(
        {"statistic": np.asarray(statistic, float), "sign": np.asarray(sign, float)},
        index=f.index,
    )
    checks[by] = f[by]
    summary = (
        checks.groupby(by, sort=False)
        .agg(
            statistic=("statistic", "first"),
            sign=("sign", "first"),
            points=("statistic", "size"),
        )
        .reset_index()
    )
    summary["trend"] = np.where(
        summary["statistic"] > threshold,
        np.where(summary["sign"] > 0, INCREASING, DECREASING),
        NO_CHANGE,
    )
    return summary[[*by, "trend", "statistic", "points"]]


def trend_by_polarity(trend: str, polarity: str) -> str:
    """``increasing``/``decreasing`` turned into ``getting better``/``getting worse``."""
    if trend not in (INCREASING, DECREASING) or polarity == "neither":
        return trend
    better = (trend == INCREASING) == (polarity == "higher_is_better")
    return "getting better" if better else "getting worse"


def gap_trend(trend: str, latest_gap: float) -> str:
    """A gap's trend in words: ``widening`` when its size grows, ``narrowing`` when it shrinks.

    The size is the distance from zero, so a gap that favours the focus group and grows is
    widening too.
    """
    if trend not in (INCREASING, DECREASING) or latest_gap is None or np.isnan(latest_gap):
        return trend
    grows = (trend == INCREASING) == (latest_gap >= 0)
    return "widening" if grows else "narrowing"


def tested_on_counts(figures: pd.DataFrame) -> pd.Series:
    """Which rows the chi-squared test for trend takes: proportions with a numerator whose
    denominator counts pupils (not absence sessions: :func:`ecm.stats.intervals.counts_pupils`)."""
    pupils = figures["pupils"] if "pupils" in figures else np.nan
    return (
        (figures["statistic"] == "proportion")
        & figures["numerator"].notna()
        & counts_pupils(figures["denominator"], pupils)
    )
