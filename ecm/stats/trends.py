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
from ecm.stats.rounding import ends

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
    series is a proportion with counts. Counts derived from roundings (``numerator_low``,
    ``numerator_high``) and gaps' ranges (``gap_least``, ``gap_most``) make a trend hold at
    their least favourable ends (``lost_to_rounding`` where it holds only at the point).
    Returns one row per series: the ``by`` columns, ``trend``, ``statistic``, ``points``,
    ``lost_to_rounding``.
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
    # Score each period by its first year, so a missing year leaves a gap in the time axis,
    # and keep the periods within ``window`` years of each series' latest.
    # The academic year a period falls in, whatever its style ("2019" in LAIT is 2018/19): a
    # year given in two styles counts once.
    frame["x"] = frame["period"].map(period_start).astype(float)
    # The window ends at the series' latest figure, testable or not: Fingertips tests the five
    # most recent values, so a latest value without counts or an interval (LAIT's 2025
    # looked-after rates) leaves four testable points and no trend, rather than a trend of the
    # five years before it shown beside the latest figure.
    frame["_latest"] = (
        frame.assign(_shown=frame["x"].where(frame["value"].notna() | usable))
        .groupby(by, sort=False)["_shown"]
        .transform("max")
    )
    frame = frame[usable].drop_duplicates([*by, "x"], keep="last")
    frame = frame[frame["x"] > frame["_latest"] - window].sort_values([*by, "x"])

    for column in ("numerator_low", "numerator_high"):
        if column not in frame:
            frame[column] = np.nan
    counted = frame[frame["_counts"]]
    regressed = frame[~frame["_counts"]]
    results = [
        _chi_square_trends(counted, by, confidence),
        _regression_trends(regressed, by, confidence, interval_confidence),
    ]
    results = [r for r in results if not r.empty]
    if not results:
        return pd.DataFrame(columns=[*by, "trend", "statistic", "points", "lost_to_rounding"])
    result = pd.concat(results, ignore_index=True)
    too_short = result["points"] < min_points
    result.loc[too_short, "trend"] = NOT_ENOUGH
    result["lost_to_rounding"] = result["lost_to_rounding"].astype(bool) & ~too_short
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
    least, most = ends(f["numerator"], f["numerator_low"], f["numerator_high"])
    f = f.assign(least=least, most=most, sign=sign)
    f["worst"] = least_favourable_numerators(f["x"], f["n"], least, most, sign, f[by])
    f["worst_x"] = f["worst"] * (f["x"] - sums["nx"] / sums["n"])
    worst = f.groupby(by, sort=False)[["least", "most", "worst_x"]].transform("sum")
    at_ends = worst_case_statistic(
        worst["worst_x"], worst["least"], worst["most"], sums["n"], sums["nx"], sums["nxx"], sign
    )
    return _summarise(f, by, whole, sign, special.chdtri(1, 1 - confidence), at_ends)


def least_favourable_numerators(x, n, least, most, sign, keys) -> np.ndarray:  # noqa: ANN001
    """Each point's numerator at the end least favourable to its series' trend (``sign``: +1
    rising, -1 falling): for a rising trend, points before the series' mean year (weighted by
    the denominators) at their greatest count and points after it at their least; the reverse
    for a falling one. ``keys`` (a DataFrame of the series columns) groups the rows."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    frame = pd.DataFrame({"n": n, "nx": n * x}, index=keys.index)
    frame[list(keys.columns)] = keys
    sums = frame.groupby(list(keys.columns), sort=False)[["n", "nx"]].transform("sum")
    before = x < (sums["nx"] / sums["n"]).to_numpy()
    rising = np.asarray(sign, float) > 0
    return np.where(before == rising, np.asarray(most, float), np.asarray(least, float))


def worst_case_statistic(t, sr_least, sr_most, sn, snx, snxx, sign):  # noqa: ANN001, ANN201
    """A lower bound of the chi-squared statistic for trend over every numerator the roundings
    allow, on the side of the point trend (0 where some allowed numerators reverse it).

    Armitage's T is Σrᵢ(xᵢ − x̄), x̄ the mean year weighted by the denominators (which the
    rounding leaves alone), so T is linear in each count with coefficient xᵢ − x̄: for a rising
    trend, T is least with the points before x̄ at their greatest count and those after at
    their least (``t``, from :func:`least_favourable_numerators`), and the reverse for a
    falling one. X² = T²/V, and V = p̄(1 − p̄)[Σnᵢxᵢ² − (Σnᵢxᵢ)²/Σnᵢ] also moves with the counts,
    through the pooled proportion p̄ alone, so the least T is not exactly the least X² (a
    combination that brings p̄ nearer one half widens V). Dividing the least T² by the
    greatest p̄(1 − p̄) over the pooled proportions the counts allow (``sr_least``/``sn`` to
    ``sr_most``/``sn``) bounds X² from below at every combination: a trend significant at this
    bound is significant whatever the true counts. The bound gives away little: the pooled
    proportion moves by at most half a point, so V by a few per cent at most.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        lowest, highest = sr_least / sn, sr_most / sn
        p = np.clip(0.5, lowest, highest)
        v = p * (1 - p) * (snxx - snx**2 / sn)
        statistic = np.where((v > 0) & (np.sign(t) == np.sign(sign)), t * t / v, 0.0)
    return statistic


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
    at_ends = None
    if "gap_least" in f and "gap_most" in f:
        at_ends = _slope_at_least_favourable_ends(f, by, sums, slope, error)
    return _summarise(f, by, np.abs(slope / error), np.sign(slope), z_value(confidence), at_ends)


def _slope_at_least_favourable_ends(f, by, sums, slope, error) -> np.ndarray:  # noqa: ANN001
    """|z| of the weighted slope of gaps with each gap at the end of its range (``gap_least``,
    ``gap_most``: the least and greatest over the numerators its roundings allow,
    :func:`ecm.stats.gaps.compute_gaps`) least favourable to the trend found; 0 where those
    ends reverse it.

    The weighted slope is Σwᵢ(xᵢ − x̄)yᵢ / Sxx with x̄ the weighted mean year, linear in each
    value with coefficient wᵢ(xᵢ − x̄): for a rising trend it is least with the points before x̄
    at their greatest and those after at their least (the reverse for a falling one). The
    weights stay those of the point intervals: a count moved by the rounding changes an
    interval's width by a fraction of a per cent, not the trend's verdict."""
    least, most = ends(f["value"], f["gap_least"], f["gap_most"])
    mean_x = sums["wx"] / sums["w"]
    rising = np.asarray(slope, float) > 0
    before = (f["x"] < mean_x).to_numpy()
    worst = np.where(before == rising, most, least)
    moment = (f["w"] * (f["x"] - mean_x) * worst).groupby([f[c] for c in by], sort=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        worst_slope = moment.transform("sum").to_numpy() * np.asarray(error, float) ** 2
        z = np.abs(worst_slope / np.asarray(error, float))
    return np.where(np.sign(worst_slope) == np.sign(slope), z, 0.0)


def _summarise(f, by, statistic, sign, threshold, at_ends=None) -> pd.DataFrame:  # noqa: ANN001
    """One row per series: its statistic, its number of points and the trend it makes.

    ``at_ends`` is the statistic at the least favourable numerators the roundings allow (the
    statistic itself where none is derived): a trend significant at the point counts and not
    there is no significant change, marked ``lost_to_rounding``."""
    at_ends = statistic if at_ends is None else at_ends
    checks = pd.DataFrame(
        {"statistic": np.asarray(statistic, float), "sign": np.asarray(sign, float),
         "at_ends": np.asarray(at_ends, float)},
        index=f.index,
    )  # fmt: skip
    checks[by] = f[by]
    summary = (
        checks.groupby(by, sort=False)
        .agg(
            statistic=("statistic", "first"),
            sign=("sign", "first"),
            at_ends=("at_ends", "first"),
            points=("statistic", "size"),
        )
        .reset_index()
    )
    at_point = summary["statistic"] > threshold
    summary["lost_to_rounding"] = at_point & ~(summary["at_ends"] > threshold)
    summary["trend"] = np.where(
        at_point & ~summary["lost_to_rounding"],
        np.where(summary["sign"] > 0, INCREASING, DECREASING),
        NO_CHANGE,
    )
    return summary[[*by, "trend", "statistic", "points", "lost_to_rounding"]]


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
