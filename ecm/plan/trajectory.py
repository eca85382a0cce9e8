"""A plan target's straight path from baseline to target, whether the latest figure is on it,
and where the series is heading if nothing changes.

Pure arithmetic on one series (period, value, lower, upper with 95% limits); used by
:mod:`ecm.plan.coverage` for off-track evidence and the turn-the-curve view. Methods:
METHODOLOGY.md, "Plan coverage and off-track evidence".

References
----------
- Friedman, M. (2005). *Trying Hard Is Not Good Enough* (results-based accountability: the
  baseline, the forecast "if nothing changes" and turning the curve).
- Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
  *Statistics in Medicine* 24, 1185-1202 (multiplicative over-dispersion, section 4.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from scipy import special

from ecm.periods import period_start
from ecm.stats.intervals import CONFIDENCE_95, z_value
from ecm.units import number

GAP, VALUE = "gap", "value"
WINDOW = 5
MIN_POINTS = 3
#: A forecast on fewer figures than this gives the outlook "uncertain", whatever its band.
MIN_OUTLOOK_POINTS = 4
Z95 = z_value(CONFIDENCE_95)


@dataclass(frozen=True)
class Target:
    """A measurable target: from ``baseline`` in ``baseline_period`` to ``target`` by
    ``target_period``, on the focus group's gap (``measure`` gap) or the value (group all)."""

    indicator_code: str
    group_code: str
    measure: str
    baseline_period: str
    baseline: float
    target_period: str
    target: float

    @property
    def baseline_year(self) -> int:
        """First calendar year of the baseline period."""
        return period_start(self.baseline_period)

    @property
    def target_year(self) -> int:
        """First calendar year of the target period."""
        return period_start(self.target_period)


def measurable_target(row: Mapping) -> Target | None:
    """The target of an ``action_target`` row, or None when it cannot be measured: no
    baseline or target figure for its measure (gap for focus groups, value for ``all``),
    no readable periods, or a target period not after the baseline."""
    measure = VALUE if row.get("group_code") == "all" else GAP
    baseline, target = row.get(f"baseline_{measure}"), row.get(f"target_{measure}")
    start, end = row.get("baseline_period"), row.get("target_period")
    if any(v is None or (not isinstance(v, str) and pd.isna(v)) for v in (baseline, target)):
        return None
    try:
        if period_start(str(end)) <= period_start(str(start)):
            return None
    except ValueError:  # blank or unreadable period
        return None
    return Target(
        indicator_code=str(row["indicator_code"]),
        group_code=str(row["group_code"]),
        measure=measure,
        baseline_period=str(start),
        baseline=float(baseline),
        target_period=str(end),
        target=float(target),
    )


def lower_is_better(target: Target, polarity: str | None = None) -> bool | None:
    """Which way is better: lower for gaps (positive = focus group worse off); for values, by
    the indicator's polarity, else the way the target points; None if it points nowhere."""
    if target.measure == GAP or polarity == "lower_is_better":
        return True
    if polarity == "higher_is_better":
        return False
    if target.target == target.baseline:
        return None
    return target.target < target.baseline


def required_value(target: Target, year: float) -> float:
    """The straight path from (baseline year, baseline) to (target year, target) at ``year``,
    held at the baseline before it and at the target after it."""
    share = (year - target.baseline_year) / (target.target_year - target.baseline_year)
    return target.baseline + (target.target - target.baseline) * min(max(share, 0.0), 1.0)


def period_label(year: int, style: str) -> str:
    """The period starting in ``year`` written like ``style`` (2008/09, 2008-09 or 2009): a
    four-digit year is the year a period ends (``ecm.places.profile.period_start``), so 2008 in the
    style of "2009" is "2009"."""
    end = f"{(year + 1) % 100:02d}"
    if "/" in style:
        return f"{year}/{end}"
    if "-" in style:
        return f"{year}-{end}"
    return str(year + 1) if len(style) == 4 else f"{year}/{end}"


def required_path(target: Target, style: str | None = None) -> pd.DataFrame:
    """The path year by year from baseline to target: period (written like ``style``, default
    the target's period), year, value."""
    years = range(target.baseline_year, target.target_year + 1)
    return pd.DataFrame(
        {
            "period": [period_label(y, style or target.target_period) for y in years],
            "year": list(years),
            "value": [required_value(target, y) for y in years],
        }
    )


@dataclass(frozen=True)
class Trajectory:
    """The latest figure since the baseline against the required path at its period."""

    latest_period: str | None
    latest: float | None
    lower: float | None
    upper: float | None
    required: float | None  # the path's value at the latest period
    on_trajectory: bool | None  # None: not assessable (see verdict)
    verdict: str


def assess_trajectory(
    history: pd.DataFrame, target: Target, lower_better: bool | None
) -> Trajectory:
    """Whether the latest figure after the baseline is on the path to the target.

    The required path is the straight line from the plan's recorded baseline to its target
    (:func:`required_value`). The action is *behind* (``on_trajectory`` False) when the path's
    value at the latest figure's period lies outside the figure's 95% interval on the better
    side: below the lower limit where lower is better (a gap to narrow), above the upper
    limit where higher is better. A figure whose interval contains the path, or that is
    significantly ahead of it, is on trajectory. Not assessable (None) without a figure
    after the baseline, without an interval, or without a better direction. Withheld figures
    (no value) are passed over: the latest *shown* figure is tested, and the verdict says
    when a later year's figure is withheld.
    """
    every = history.assign(year=history["period"].map(period_start))
    every = every[every["year"] > target.baseline_year].sort_values("year")
    rows = every[every["value"].notna()]
    # The latest year's figure, if withheld, is said: the verdict rests on an earlier one.
    last_shown = rows["year"].max() if len(rows) else target.baseline_year
    withheld = every[every["value"].isna() & (every["year"] > last_shown)]
    note = (
        f"; the {withheld['period'].iloc[-1]} {target.measure} is withheld" if len(withheld) else ""
    )
    if rows.empty:
        since = f"no figure since the baseline ({target.baseline_period}){note}"
        return Trajectory(None, None, None, None, None, None, since)
    last = rows.iloc[-1]
    latest, lower, upper = float(last["value"]), _float(last["lower"]), _float(last["upper"])
    required = required_value(target, int(last["year"]))
    period = str(last["period"])

    def found(on: bool | None, verdict: str) -> Trajectory:
        return Trajectory(period, latest, lower, upper, required, on, verdict + note)

    if lower is None or upper is None:
        return found(None, f"the {period} {target.measure} has no interval: not tested")
    if lower_better is None:
        return found(None, "the target does not say which way is better")
    # At the indicator's published precision, as every other sentence writes its figures.
    fmt = partial(number, indicator=target.indicator_code)
    shown = (
        f"{target.measure} {fmt(latest)} in {period} (95% CI {fmt(lower)} to {fmt(upper)}), "
        f"path {fmt(required)}"
    )
    behind = lower > required if lower_better else upper < required
    ahead = upper < required if lower_better else lower > required
    if behind:
        return found(False, f"significantly behind the path to its target: {shown}")
    if ahead:
        return found(True, f"significantly ahead of the path to its target: {shown}")
    return found(True, f"on the path to its target: {shown}")


def _float(value: object) -> float | None:
    """A float, or None for missing."""
    return None if value is None or pd.isna(value) else float(value)


@dataclass(frozen=True)
class Forecast:
    """Where the series is heading if nothing changes."""

    points: int  # figures the line rests on
    slope: float  # change per year
    dispersion: float  # over-dispersion factor (1: the figures' own intervals explain the scatter)
    path: pd.DataFrame  # period, year, value, lower, upper (95% prediction band)
    multiplier: float = Z95  # of the band: 1.96, or t on points - 2 df where φ is estimated

    @property
    def at_end(self) -> dict:
        """The forecast at the horizon: period, year, value, lower, upper."""
        return self.path.iloc[-1].to_dict()


def forecast_if_nothing_changes(
    history: pd.DataFrame,
    until_year: int | None,
    *,
    style: str = "2000/01",
    window: int = WINDOW,
    min_points: int = MIN_POINTS,
) -> Forecast | None:
    """The inverse-variance weighted straight line through the latest figures, carried on.

    Method: the figures with a 95% interval among the ``window`` years up to the latest (at
    least ``min_points``) are weighted by 1/SE², SE = (upper - lower) / (2 × 1.96); the
    weighted least-squares line ŷ(x) = ȳ + b(x - x̄) on the year x gives b = Σw(x - x̄)(y - ȳ)
    / Sxx, Sxx = Σw(x - x̄)². Scatter beyond the figures' own sampling error is allowed for by
    the over-dispersion factor φ = max(1, Σw(y - ŷ)² / (n - 2)). The 95% prediction band for
    a figure in year x₀ is ŷ(x₀) ± m √(φ (1/Σw + (x₀ - x̄)²/Sxx) + φ SE²_latest): the line's
    uncertainty plus a future figure's own sampling error, taken as the latest figure's; m is
    1.96 when the figures' own errors explain the scatter (φ = 1), else the 97.5% point of
    Student's t with n - 2 degrees of freedom, since φ is then estimated from n - 2.
    Returns one row per year from the latest figure's to ``until_year``; None with too few
    figures or no horizon.
    """
    usable = history[history["value"].notna() & (history["upper"] > history["lower"])].copy()
    if usable.empty or until_year is None:
        return None
    usable["year"] = usable["period"].map(period_start)
    usable = usable.sort_values("year").drop_duplicates("year", keep="last")
    latest_year = int(usable["year"].max())
    usable = usable[usable["year"] > latest_year - window]
    if len(usable) < min_points:
        return None
    x = usable["year"].to_numpy(float)
    y = usable["value"].to_numpy(float)
    se = (usable["upper"].to_numpy(float) - usable["lower"].to_numpy(float)) / (2 * Z95)
    w = 1 / se**2
    x_bar, y_bar = np.sum(w * x) / w.sum(), np.sum(w * y) / w.sum()
    sxx = np.sum(w * (x - x_bar) ** 2)
    slope = np.sum(w * (x - x_bar) * (y - y_bar)) / sxx
    residuals = y - (y_bar + slope * (x - x_bar))
    dispersion = max(1.0, float(np.sum(w * residuals**2) / (len(x) - 2)))
    years = np.arange(latest_year, max(until_year, latest_year) + 1)
    fitted = y_bar + slope * (years - x_bar)
    variance = dispersion * (1 / w.sum() + (years - x_bar) ** 2 / sxx + se[-1] ** 2)
    # φ estimated from the residuals rests on n - 2 degrees of freedom: Student's t, not z.
    # stdtrit is Student's t quantile (scipy.special, far lighter to import than scipy.stats).
    multiplier = float(special.stdtrit(len(x) - 2, 0.975)) if dispersion > 1 else Z95
    half = multiplier * np.sqrt(variance)
    path = pd.DataFrame(
        {
            "period": [period_label(int(v), style) for v in years],
            "year": years,
            "value": fitted,
            "lower": fitted - half,
            "upper": fitted + half,
        }
    )
    return Forecast(len(x), float(slope), dispersion, path, multiplier)


def outlook(
    forecast: Forecast | None,
    target: Target | None,
    lower_better: bool | None,
    history: pd.DataFrame | None = None,
) -> str:
    """The target's outlook.

    While the target period is ahead of the history: whether it would be met if
    nothing changes, by the forecast's 95% prediction band at the target period, ``likely
    met`` (the whole band on the target's side of it), ``likely missed`` (the whole band on
    the other side) or ``uncertain`` (the band holds the target, or the forecast rests on
    fewer than :data:`MIN_OUTLOOK_POINTS` figures). Once ``history`` reaches the target period
    (a withheld year included: it is no longer to be forecast), the figure of the target
    period itself is judged (:func:`target_result`). ``not assessed`` without target,
    direction or forecast.
    """
    if target is None or lower_better is None:
        return "not assessed"
    if history is not None and len(history):
        years = history["period"].map(period_start)
        if int(years.max()) >= target.target_year:  # a withheld year counts: it has happened
            at = history[(years == target.target_year) & history["value"].notna()]
            return target_result(at, target, lower_better)
    if forecast is None:
        return "not assessed"
    at = forecast.path[forecast.path["year"] == target.target_year]
    if at.empty:
        return "not assessed"
    if forecast.points < MIN_OUTLOOK_POINTS:
        return "uncertain"
    lower, upper = float(at["lower"].iloc[0]), float(at["upper"].iloc[0])
    if (upper <= target.target) if lower_better else (lower >= target.target):
        return "likely met"
    if (lower > target.target) if lower_better else (upper < target.target):
        return "likely missed"
    return "uncertain"


def target_result(at_target: pd.DataFrame, target: Target, lower_better: bool) -> str:
    """The target judged on the figure of its own period (``at_target``: its shown rows):
    ``met`` when the figure is at or better than the target; ``missed, significantly`` when
    its whole 95% interval is on the worse side; else ``missed, not significantly`` (the
    interval holds the target, or there is none to test). ``not assessed`` when the target
    period has no shown figure (withheld or not published)."""
    if at_target.empty:
        return f"not assessed: no figure shown for {target.target_period}"
    row = at_target.iloc[-1]
    value, lower, upper = float(row["value"]), _float(row["lower"]), _float(row["upper"])
    if (value <= target.target) if lower_better else (value >= target.target):
        return "met"
    bound = lower if lower_better else upper
    if bound is not None and ((bound > target.target) if lower_better else (bound < target.target)):
        return "missed, significantly"
    return "missed, not significantly"
