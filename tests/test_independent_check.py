"""An independent reimplementation of the dashboard's numbers, checked against the product.

Everything below the "reimplementation" line is written from METHODOLOGY.md and the published
methods it cites (Wilson 1927; exact Poisson and Byar, PHE Technical Guide; Newcombe 1998;
Zou and Donner 2008; Armitage 1955; Spiegelhalter 2005; LAIT's quartile bands; Fingertips'
recent-trend rule), using only numpy, scipy and the store's own tables read with SQL. It never
calls or copies ``ecm.stats``, ``ecm.figures`` or ``ecm.places``: the product is reached only
through the functions the pages call (:func:`ecm.places.profile.build_profile` and
:func:`ecm.places.explorer.explore_gaps`), and each of their figures is compared with the
reimplementation's.

Kinds compared, each a section: intervals of figures, comparisons with England, standings
(quartile bands among LAs, regions and schools of the phase), similar-school pools, gaps and
their verdicts, value and gap trends, and funnel positions. Stores: the tiny demo, and stores
built from the real files by the session's fixtures (``real_stores``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sqlalchemy import Engine, text

from ecm.places.explorer import explore_gaps
from ecm.places.profile import build_profile
from ecm.store.engine import make_engine
from tests.helpers import REPO_ROOT

Z95 = stats.norm.ppf(0.975)
Z998 = stats.norm.ppf(0.999)
#: Values and limits agree when within this (the profile rounds to four decimals).
TOLERANCE = 2e-4

# ================================================================================================
# The reimplementation (METHODOLOGY.md and the published methods; no product code)
# ================================================================================================


def first_year(period: str) -> int:
    """The academic year a period falls in, by its first calendar year: "2008/09" and "2008-09"
    are 2008; a four-digit year is the year a period ends, so "2009" is 2008 too."""
    start = int(str(period)[:4])
    return start - 1 if len(str(period)) == 4 else start


def wilson(count: float | np.ndarray, n: float, z: float) -> tuple[float, float]:
    """Wilson score limits of count/n as fractions (METHODOLOGY formula, Wilson 1927); counts
    may be an array."""
    p = count / n
    root = z * np.sqrt(z * z + 4 * count * (1 - p))
    return (2 * count + z * z - root) / (2 * (n + z * z)), (2 * count + z * z + root) / (
        2 * (n + z * z)
    )


def poisson_count_limits(count: float, z: float) -> tuple[float, float]:
    """Limits of a Poisson count: exact (chi-squared) below 10 events, Byar's from 10."""
    alpha = 2 * (1 - stats.norm.cdf(z))
    if count < 10:
        lower = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
        return lower, stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


@dataclass
class Figure:
    """One shown figure of the store, with the interval METHODOLOGY gives it.

    Where the numerator was derived from a rounded percentage, ``least`` and ``most`` are the
    least and greatest whole numerator the percentage allows (METHODOLOGY, "Rounding of
    derived numerators"); both are the numerator itself where the count is exact."""

    value: float
    numerator: float | None
    denominator: float | None
    lower: float | None
    upper: float | None
    counted: bool  # counts that count pupils (an interval, gap and trend from counts)
    least: float | None = None
    most: float | None = None
    # The lowest lower and highest upper 95% limit over the numerators the rounding allows
    # (the point interval's limits where nothing is derived or the interval is published).
    widest_lower: float | None = None
    widest_upper: float | None = None
    # Whether the interval was worked out here from the counts (none was published).
    from_counts: bool = False

    @property
    def ranged(self) -> bool:
        """Whether the numerator is only known to lie in a range (derived from a rounding)."""
        return (
            self.least is not None
            and self.most is not None
            and self.denominator is not None
            and self.denominator > 0
        )

    def value_ends(self, mult: float, point: float | None = None) -> tuple[float, float]:
        """The least and greatest value the figure can have: its possible numerators over the
        denominator, times the multiplier; ``point`` (default the value) where it is exact."""
        if not self.ranged:
            if point is None:
                # Published counts are exact: the value they give, not the printed rounding.
                point = self.numerator / self.denominator * mult if self.from_counts else self.value
            return point, point
        return self.least / self.denominator * mult, self.most / self.denominator * mult


class Store:
    """The store's tables, read with plain SQL, and every shown figure with its interval."""

    def __init__(self, engine: Engine) -> None:
        with engine.connect() as c:
            read = lambda sql: pd.read_sql(text(sql), c)  # noqa: E731
            self.indicators = read("SELECT * FROM indicator").set_index("code")
            self.comparator_of = dict(
                read(
                    "SELECT code, comparator_code FROM pupil_group"
                    " WHERE comparator_code IS NOT NULL"
                ).itertuples(index=False, name=None)
            )
            self.schools = read("SELECT * FROM school").set_index("urn")
            self.las = read("SELECT * FROM local_authority").set_index("code")
            self.regions = read("SELECT * FROM region").set_index("code")
            self.neighbours = read("SELECT la_code, neighbour_code FROM statistical_neighbour")
            obs = read(
                "SELECT indicator_code, level, area_code, group_code, period, value, numerator,"
                " numerator_low, numerator_high, denominator, lower_ci, upper_ci, pupils,"
                " published_vs_england, withheld"
                " FROM observation"
            )
        # Codes as plain Python strings: membership tests (``isin``) on Arrow-backed strings
        # walk every element in Python, seconds per call on the real stores.
        for frame in (obs, self.neighbours):
            for column in ("area_code", "la_code", "neighbour_code"):
                if column in frame:
                    frame[column] = frame[column].astype(object)
        self.schools.index = self.schools.index.astype(object)
        self.las.index = self.las.index.astype(object)
        self.regions.index = self.regions.index.astype(object)
        # A withheld figure shows nothing (disclosure decisions are stored with each figure).
        hidden = obs["withheld"].fillna(1).astype(bool)
        for column in (
            "value",
            "numerator",
            "numerator_low",
            "numerator_high",
            "denominator",
            "lower_ci",
            "upper_ci",
        ):
            obs.loc[hidden, column] = np.nan
        obs.loc[hidden, "published_vs_england"] = None
        self.all_rows = obs
        self.shown = obs[obs["value"].notna()].copy()
        self.shown["year"] = self.shown["period"].map(first_year)
        # One lookup per indicator, not per row: ``.loc`` per row took minutes on every file.
        self.meta = {code: (row.statistic, float(row.multiplier))
                     for code, row in self.indicators.iterrows()}  # fmt: skip
        self.figures: dict[tuple, Figure] = {
            (r.indicator_code, r.level, r.area_code, r.group_code, r.period): self._figure(r)
            for r in self.shown.itertuples(index=False)
        }
        self.series: dict[tuple, dict[str, Figure]] = {}
        for (indicator, level, code, group, period), fig in self.figures.items():
            self.series.setdefault((indicator, level, code, group), {})[period] = fig
        self.published = self.shown.set_index(
            ["indicator_code", "level", "area_code", "group_code", "period"]
        )["published_vs_england"].to_dict()
        # Every place's figures of one indicator, group, period and level: peers and pools.
        key = ["indicator_code", "group_code", "period", "level"]
        self.peers = dict(tuple(self.shown.groupby(key)))
        self.rows_of = dict(tuple(self.all_rows.groupby(key)))
        self.breaks = pd.read_csv(REPO_ROOT / "data" / "series_breaks.csv")

    def _figure(self, r) -> Figure:  # noqa: ANN001
        statistic, mult = self.meta[r.indicator_code]
        num, den = _num(r.numerator), _num(r.denominator)
        # Counts whose denominator exceeds the pupils behind them (absence sessions) are not
        # independent trials: no interval from them.
        pupils = _num(r.pupils)
        counted = (
            num is not None and den is not None and den > 0 and (pupils is None or den <= pupils)
        )
        lower, upper = _num(r.lower_ci), _num(r.upper_ci)
        least, most = _num(r.numerator_low), _num(r.numerator_high)
        if num is None or least is None or most is None:
            least = most = None
        widest_lower, widest_upper = lower, upper
        from_counts = lower is None and counted and statistic in ("proportion", "rate")
        if from_counts:
            lower, upper = self.interval(statistic, num, den, mult, Z95)
            widest_lower, widest_upper = lower, upper
            if least is not None:
                # The lowest lower and highest upper limit over every whole numerator the
                # rounding allows, found by trying them all (METHODOLOGY says they are at the
                # ends; this does not rely on it).
                counts = np.arange(least, most + 1)
                if statistic == "proportion":
                    lows, highs = (limit * mult for limit in wilson(counts, den, Z95))
                else:
                    lows, highs = np.array(
                        [self.interval(statistic, k, den, mult, Z95) for k in counts]
                    ).T.reshape(2, -1)
                widest_lower = min(lower, float(lows.min(initial=lower)))
                widest_upper = max(upper, float(highs.max(initial=upper)))
        return Figure(
            float(r.value), num, den, lower, upper, counted, least, most,
            widest_lower, widest_upper, from_counts,
        )  # fmt: skip

    @staticmethod
    def interval(statistic: str, num: float, den: float, mult: float, z: float) -> tuple:
        """The interval of num/den times the multiplier (Wilson, or exact Poisson / Byar)."""
        if statistic == "proportion":
            lo, hi = wilson(num, den, z)
        else:
            lo, hi = (limit / den for limit in poisson_count_limits(num, z))
        return lo * mult, hi * mult

    def figure(self, indicator: str, level: str, code: str, group: str, period: str) -> Figure:
        return self.figures.get((indicator, level, code, group, period))

    def country_of(self, level: str, code: str) -> str | None:
        region = {
            "school": lambda: self.las.region_code.get(self.schools.la_code.get(code)),
            "la": lambda: self.las.region_code.get(code),
            "region": lambda: code,
        }[level]()
        return self.regions.country_code.get(region) if isinstance(region, str) else None

    def since_break(self, indicator: str, years: list[int]) -> int:
        """The first year of the series the latest of ``years`` belongs to (no trend crosses a
        series break)."""
        latest, start = max(years), -1
        for row in self.breaks.itertuples(index=False):
            if indicator in str(row.indicators).split(";"):
                year = first_year(row.first_period)
                if year <= latest:
                    start = max(start, year)
        return start


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --- comparisons -------------------------------------------------------------------------------


def sign_of(polarity: str) -> float:
    """+1 where higher is better, -1 where lower is better."""
    return 1.0 if polarity == "higher_is_better" else -1.0


def compare_with(
    fig: Figure,
    comparator: float | None,
    polarity: str,
    published=None,  # noqa: ANN001
    comparator_ends: tuple[float, float] | None = None,
) -> str:
    """The Fingertips rule: different when the comparator lies outside the 95% interval; a
    figure without one uses its publisher's word against England, its direction the figure's
    own, and not the word when the two contradict.

    Allowing for rounding (METHODOLOGY, "Rounding of derived numerators"), the difference must
    also hold at both ends: the comparator's greatest possible value (``comparator_ends``, the
    comparator itself where absent) below the lowest lower limit of the figure's interval over
    its possible numerators, or its least value above the highest upper limit."""
    if comparator is None or pd.isna(comparator):
        return "not compared"
    if fig.lower is not None and fig.upper is not None:
        least, most = comparator_ends or (comparator, comparator)
        above = comparator < fig.lower and most < fig.widest_lower
        below = comparator > fig.upper and least > fig.widest_upper
        differs = above or below
        # The interval says which side (a printed 96 can sit below an interval from 96.00).
        higher = above
    elif isinstance(published, str) and published in (
        "better",
        "worse",
        "similar",
        "higher",
        "lower",
    ):
        differs = published != "similar"
    else:
        return "not compared"
    if not differs:
        return "similar"
    above = higher if fig.lower is not None else fig.value > comparator
    if polarity == "neither":
        word = "higher" if above else "lower"
    else:
        word = "better" if above == (polarity == "higher_is_better") else "worse"
    if published is not None and fig.lower is None and published != "similar":
        opposite = {"better": "worse", "worse": "better", "higher": "lower", "lower": "higher"}
        if opposite.get(published) == word:
            return "not compared"
    return word


def quarter(rank: int, of: int) -> str:
    """LAIT's band of a rank among ``of``: quarters of rank / of."""
    position = rank / of
    return "A" if position <= 0.25 else "B" if position <= 0.5 else "C" if position <= 0.75 else "D"


def rank_among(value: float, others: np.ndarray, polarity: str) -> int:
    """1 = best by polarity; ties share the better rank."""
    better = others > value if polarity != "lower_is_better" else others < value
    return 1 + int(better.sum())


# --- trends ------------------------------------------------------------------------------------


def chi_square_for_trend(r: np.ndarray, n: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Armitage's chi-squared for linear trend (X², and the sign of T)."""
    p = r.sum() / n.sum()
    t = (r * x).sum() - p * (n * x).sum()
    v = p * (1 - p) * ((n * x * x).sum() - (n * x).sum() ** 2 / n.sum())
    return (t * t / v if v > 0 else 0.0), np.sign(t)


def weighted_slope_z(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, x: np.ndarray) -> float:
    """Inverse-variance weighted regression of y on x (SE from the 95% interval): slope / SE."""
    se = (hi - lo) / (2 * Z95)
    if np.any(~np.isfinite(se)) or np.any(se <= 0):
        return float("nan")
    w = 1 / se**2
    xm = (w * x).sum() / w.sum()
    sxx = (w * (x - xm) ** 2).sum()
    slope = (w * (x - xm) * y).sum() / sxx
    return slope / math.sqrt(1 / sxx)


def direction(values: list[float]) -> str:
    """LAIT-style untested direction of travel over 3-5 points (METHODOLOGY)."""
    values = np.asarray(values, float)
    net, steps = values[-1] - values[0], np.diff(values)
    allowed = 0 if len(values) == 3 else 1
    for word, run, against in (("rising", net, -steps), ("falling", -net, steps)):
        backwards = against[against >= 0]
        if run > 0 and len(backwards) <= allowed and np.all(backwards < run):
            return word
    return "no clear change"


def chi_square_at_worst_ends(
    least: np.ndarray, most: np.ndarray, n: np.ndarray, x: np.ndarray, rising: bool
) -> float:
    """X² for a trend in the direction found, at the ends METHODOLOGY names ("Rounding of
    derived numerators"): T = Σrᵢ(xᵢ − x̄), x̄ the denominator-weighted mean year, with the
    points before x̄ at their greatest count and those after at their least for a rising trend
    (the reverse for falling); V with the greatest p̄(1 − p̄) the summed ranges allow. Zero when
    T at those ends points the other way."""
    mean_year = (n * x).sum() / n.sum()
    before = x < mean_year
    r = np.where(before == rising, most, least)
    t = (r * (x - mean_year)).sum()
    p = min(max(0.5, least.sum() / n.sum()), most.sum() / n.sum())
    v = p * (1 - p) * ((n * x * x).sum() - (n * x).sum() ** 2 / n.sum())
    if v <= 0 or (t > 0) != rising or t == 0:
        return 0.0
    return t * t / v


def recent_trend(points: pd.DataFrame, latest: int, counts: bool) -> tuple[str | None, bool]:
    """ "increasing" / "decreasing" / "no significant change" by Fingertips' test on the five
    years up to ``latest``, or None where it cannot be made (not five tested points); and
    whether a trend significant at the point counts was lost to their rounding.

    ``points``: year, value, lower, upper, numerator, denominator, counted, least, most."""
    window = points[points["year"] > latest - 5]
    if counts:
        window = window[window["counted"]]
    else:
        window = window[window["lower"].notna() & window["upper"].notna()]
    if len(window) < 5:
        return None, False
    x = window["year"].to_numpy(float) - latest + 5
    lost = False
    if counts:
        n = window["denominator"].to_numpy(float)
        chi2, sign = chi_square_for_trend(window["numerator"].to_numpy(float), n, x)
        significant = chi2 > Z998**2
        if significant:
            at_ends = chi_square_at_worst_ends(
                window["least"].to_numpy(float), window["most"].to_numpy(float), n, x, sign > 0
            )
            significant = bool(at_ends > Z998**2)
            lost = not significant
    else:
        lo, hi = (window[c].to_numpy(float) for c in ("lower", "upper"))
        z = weighted_slope_z(window["value"].to_numpy(float), lo, hi, x)
        significant, sign = abs(z) > Z998, np.sign(z)
        if significant and "gap_least" in window:
            # A gap known only within a range (rounded percentages on either side) must trend
            # the same way at every corner of the ranges: the slope is linear in each gap, so
            # the corners hold its extremes. Tried one by one (2^5 of them).
            corners = itertools.product(*zip(window["gap_least"], window["gap_most"], strict=True))
            significant = all(
                np.sign(zc := weighted_slope_z(np.array(c, float), lo, hi, x)) == sign
                and abs(zc) > Z998
                for c in corners
            )
            lost = not significant
    if not significant:
        return "no significant change", lost
    return ("increasing" if sign > 0 else "decreasing"), False


def untested_direction(points: pd.DataFrame, latest: int) -> str | None:
    window = points[points["year"] > latest - 5]
    return direction(list(window["value"])) if len(window) >= 3 else None


# --- gaps --------------------------------------------------------------------------------------


def difference_limits(
    statistic: str, comp: tuple[float, float], focus: tuple[float, float], mult: float
) -> tuple[float, float, float]:
    """comparator - focus from counts (numerator, denominator) with its 95% interval: Newcombe's
    hybrid score method for proportions, MOVER with each rate's Poisson limits for rates,
    reaching zero where the exact conditional test of the two counts finds no difference."""
    (nc, dc), (nf, df) = comp, focus
    lc = Store.interval(statistic, nc, dc, mult, Z95)
    lf = Store.interval(statistic, nf, df, mult, Z95)
    d, low, high = mover((nc / dc * mult, *lc), (nf / df * mult, *lf))
    if statistic == "rate" and nc + nf > 0:
        share = stats.binomtest(round(nc), round(nc + nf)).proportion_ci(0.95, "exact")
        if share.low <= dc / (dc + df) <= share.high:
            low, high = min(low, 0.0), max(high, 0.0)
    return d, low, high


def mover(first: tuple, second: tuple) -> tuple[float, float, float]:
    """first - second with limits combined from each figure's own (value, lower, upper)."""
    (p1, l1, u1), (p2, l2, u2) = first, second
    d = p1 - p2
    return (
        d,
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def excludes_zero(lower: float, upper: float) -> int:
    """+1 when the interval lies wholly above zero, -1 wholly below, 0 otherwise."""
    return 1 if lower > 0 else -1 if upper < 0 else 0


def gap_of(store: Store, indicator: str, focus: Figure, comp: Figure) -> dict:
    """A gap (positive: the focus group worse off) with its 95% interval where one can be made:
    Newcombe for proportions, MOVER with Poisson limits for rates (both from counts), MOVER with
    the figures' own limits otherwise; none without them (not tested).

    Tested from counts, the gap is significant only if its interval excludes zero on the same
    side at the point counts and with the comparator at its least count and the focus group at
    its greatest, and the other way round (METHODOLOGY, "Rounding of derived numerators");
    ``lost_to_rounding`` marks a gap significant at the point and not at both ends. ``least``
    and ``most`` are the least and greatest gap its possible counts give (the gap itself where
    no count is derived). Shown value and interval stay the point counts'."""
    meta = store.indicators.loc[indicator]
    s, mult, statistic = sign_of(meta["polarity"]), float(meta["multiplier"]), meta["statistic"]
    d = comp.value - focus.value
    least = most = d
    limits, sides = None, []
    if statistic in ("proportion", "rate") and focus.counted and comp.counted:
        # Tested from counts, the gap is the difference of the counts' values (METHODOLOGY:
        # a published whole percentage and its derived numerator differ by under half a point).
        point = lambda f: f.numerator / f.denominator * mult  # noqa: E731
        d, lower, upper = difference_limits(
            statistic, (comp.numerator, comp.denominator), (focus.numerator, focus.denominator),
            mult,
        )  # fmt: skip
        limits = (lower, upper)
        sides.append(excludes_zero(lower, upper))
        c_least, c_most = (
            (comp.least, comp.most) if comp.ranged else (comp.numerator, comp.numerator)
        )
        f_least, f_most = (
            (focus.least, focus.most) if focus.ranged else (focus.numerator, focus.numerator)
        )
        for c, f in ((c_least, f_most), (c_most, f_least)):
            _, lo, hi = difference_limits(
                statistic, (c, comp.denominator), (f, focus.denominator), mult
            )
            sides.append(excludes_zero(lo, hi))
        c_ends = comp.value_ends(mult, point(comp))
        f_ends = focus.value_ends(mult, point(focus))
        least, most = c_ends[0] - f_ends[1], c_ends[1] - f_ends[0]
    elif None not in (focus.lower, focus.upper, comp.lower, comp.upper):
        d, lower, upper = mover(
            (comp.value, comp.lower, comp.upper), (focus.value, focus.lower, focus.upper)
        )
        limits = (lower, upper)
        sides.append(excludes_zero(lower, upper))
        least = most = d
    lower = upper = None
    if limits is not None:
        lower, upper = limits
        if s < 0:
            lower, upper = -upper, -lower
    if s < 0:
        least, most = -most, -least
    at_point = bool(sides) and sides[0] != 0
    significant = None if lower is None else bool(at_point and len(set(sides)) == 1)
    return {
        "gap": s * d,
        "lower": lower,
        "upper": upper,
        "significant": significant,
        "lost_to_rounding": bool(at_point and not significant),
        "least": least,
        "most": most,
    }


# --- funnels -----------------------------------------------------------------------------------


def exact_limit(n: float, p0: float, q: float, poisson: bool) -> float:
    """Spiegelhalter's exact limit (appendix A.1) of a proportion (or rate per person) at size n
    for lower-tail probability q, with his interpolation, clipped at zero."""
    dist = stats.poisson(n * p0) if poisson else stats.binom(int(round(n)), p0)
    r = dist.ppf(q)
    at, below = dist.cdf(r), dist.cdf(r - 1)
    a = (at - q) / (at - below) if at > below else 0.0
    limit = max((r - a) / n, 0.0)
    return limit if poisson else min(limit, 1.0)


def funnel_position(
    gap: float, size: float, centre: float, y0: float, statistic: str, mult: float, s: float,
    sd: float | None, ends: tuple[float, float] = (),
) -> str:  # fmt: skip
    """Where a gap falls against the funnel's limits at its own size: beyond a limit only if
    the gap and both ``ends`` of its possible values (its least and greatest over the derived
    numerators' roundings) are beyond it."""
    if statistic in ("proportion", "rate"):
        y = {q: exact_limit(size, y0 / mult, q, statistic == "rate") * mult
             for q in (0.001, 0.025, 0.975, 0.999)}  # fmt: skip
    else:
        se = sd / math.sqrt(size)
        y = {0.001: y0 - Z998 * se, 0.025: y0 - Z95 * se, 0.975: y0 + Z95 * se,
             0.999: y0 + Z998 * se}  # fmt: skip
    gap_limit = {q: centre - s * (limit - y0) for q, limit in y.items()}
    upper998, upper95 = (
        max(gap_limit[0.001], gap_limit[0.999]),
        max(gap_limit[0.025], gap_limit[0.975]),
    )
    lower998, lower95 = (
        min(gap_limit[0.001], gap_limit[0.999]),
        min(gap_limit[0.025], gap_limit[0.975]),
    )
    # On a limit is not beyond it (a 0% group on the clipped limit), whatever the rounding.
    eps = 1e-9 * max(1.0, abs(gap))
    upper998, upper95, lower998, lower95 = (
        upper998 + eps,
        upper95 + eps,
        lower998 - eps,
        lower95 - eps,
    )
    low, high = min((gap, *ends)), max((gap, *ends))
    if low > upper998:
        return "above 99.8%"
    if low > upper95:
        return "above 95%"
    if high < lower998:
        return "below 99.8%"
    if high < lower95:
        return "below 95%"
    return "within"


# ================================================================================================
# The check: the product's figures (as the pages get them) against the reimplementation's
# ================================================================================================

KINDS = ("intervals", "england", "bands", "pools", "gaps", "trends", "funnel")


@dataclass
class Tally:
    """Figures compared per kind, and every disagreement in words."""

    compared: Counter = field(default_factory=Counter)
    disagreements: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    #: Value trends significant at the derived counts and not at their least favourable ends.
    lost_trends: int = 0

    def check(self, kind: str, where: str, ours: object, theirs: object) -> None:
        self.compared[kind] += 1
        if not _same(ours, theirs):
            self.disagreements[kind].append(f"{where}: ours {ours!r}, product's {theirs!r}")


def _same(a: object, b: object) -> bool:
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    a = None if a is not None and not isinstance(a, str) and pd.isna(a) else a
    b = None if b is not None and not isinstance(b, str) and pd.isna(b) else b
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return abs(a - b) <= TOLERANCE * max(1.0, abs(a))
    return a == b


def trend_words(tested: str | None, untested: str | None, polarity: str) -> str:
    """The words a reader sees: the tested trend by polarity, else the direction of travel."""
    if tested is not None:
        if tested in ("increasing", "decreasing") and polarity != "neither":
            return (
                "getting better"
                if (tested == "increasing") == (polarity == "higher_is_better")
                else "getting worse"
            )  # noqa: E501
        return tested
    if untested in ("rising", "falling") and polarity != "neither":
        return (
            "improving"
            if (untested == "rising") == (polarity == "higher_is_better")
            else "worsening"
        )  # noqa: E501
    return untested or "not enough data"


def gap_trend_words(tested: str | None, untested: str | None, latest_gap: float) -> str:
    """A gap's trend: widening when its distance from zero grows, narrowing when it shrinks."""
    grows = lambda up: up == (latest_gap >= 0)  # noqa: E731
    if tested is not None:
        if tested in ("increasing", "decreasing"):
            return "widening" if grows(tested == "increasing") else "narrowing"
        return tested
    if untested in ("rising", "falling"):
        return "widening (untested)" if grows(untested == "rising") else "narrowing (untested)"
    return untested or "not enough data"


class PlaceCheck:
    """One place's profile (as every page gets it) against the reimplementation."""

    def __init__(self, store: Store, engine: Engine, level: str, code: str, tally: Tally) -> None:
        self.store, self.level, self.code, self.tally = store, level, code, tally
        self.profile = build_profile(engine, level, code)
        self.year = first_year(self.profile["period"]) if self.profile["period"] else None
        self.country = store.country_of(level, code)

    def run(self) -> None:
        for record in self.profile["observations"]:
            if record["value"] is not None:
                self.figure(record)
        for record in self.profile["gaps"]:
            if record["gap"] is not None:
                self.gap(record)

    # --- one figure --------------------------------------------------------------------------

    def figure(self, r: dict) -> None:
        s, where = (
            self.store,
            f"{self.level} {self.code} {r['indicator']} {r['group']} {r['period']}",
        )
        fig = s.figure(r["indicator"], self.level, self.code, r["group"], r["period"])
        if fig is None:
            self.tally.check("intervals", where, "withheld or absent", r["value"])
            return
        self.tally.check(
            "intervals",
            where,
            (fig.value, fig.lower, fig.upper),
            (r["value"], r["lower"], r["upper"]),
        )  # noqa: E501
        polarity = r["polarity"]
        england = s.figure(r["indicator"], "england", self.country, r["group"], r["period"])
        published = s.published[(r["indicator"], self.level, self.code, r["group"], r["period"])]
        mult = float(s.indicators.loc[r["indicator"], "multiplier"])
        vs_england = compare_with(
            fig,
            england.value if england else None,
            polarity,
            published,
            england.value_ends(mult) if england else None,
        )
        if "england" in r["benchmarks"]:
            self.tally.check("england", where, vs_england, r["benchmarks"]["england"])
        self.band(r, fig, vs_england, where)
        if self.level == "school":
            self.pool(r, fig, where)
        self.trend(r, where)

    def band(self, r: dict, fig: Figure, vs_england: str, where: str) -> None:
        s, polarity = self.store, r["polarity"]
        band = rank = of = None
        peers = s.peers[(r["indicator"], r["group"], r["period"], self.level)]
        if self.level in ("la", "region"):
            held = s.las.index if self.level == "la" else s.regions.index
            values = peers[peers.area_code.isin(held)]["value"].to_numpy(float)
            if len(values) >= 4:
                rank, of = rank_among(fig.value, values, polarity), len(values)
                band = quarter(rank, of)
        elif self.level == "school" and r["group"] == "all":
            school = s.schools.loc[self.code]
            same = s.schools[
                (s.schools.phase == school.phase)
                & (s.schools.state_funded.fillna(True).astype(bool))
            ]  # noqa: E501
            values = peers[peers.area_code.isin(same.index)]["value"].to_numpy(float)
            if len(values):
                q1, q2, q3 = np.percentile(values, [25, 50, 75])
                if polarity == "lower_is_better":
                    band = (
                        "A"
                        if fig.value <= q1
                        else "B"
                        if fig.value <= q2
                        else "C"
                        if fig.value <= q3
                        else "D"
                    )  # noqa: E501
                else:
                    band = (
                        "A"
                        if fig.value >= q3
                        else "B"
                        if fig.value >= q2
                        else "C"
                        if fig.value >= q1
                        else "D"
                    )  # noqa: E501
                of = len(values)
        theirs = r["rank"] or {}
        self.tally.check(
            "bands",
            where,
            (band, rank, of),
            (theirs.get("band"), theirs.get("rank"), theirs.get("of")),
        )  # noqa: E501
        words = {
            "A": "best quarter",
            "B": "second quarter",
            "C": "third quarter",
            "D": "worst quarter",
        }  # noqa: E501
        standing = vs_england
        if standing == "not compared" and polarity != "neither" and band:
            standing = words[band]
        self.tally.check("bands", where + " standing", standing, r["standing"])

    def pool(self, r: dict, fig: Figure, where: str) -> None:
        s = self.store
        school = s.schools.loc[self.code]
        value = schools = left_out = None
        if (
            school.phase
            and not pd.isna(school.percent_fsm)
            and fig.numerator is not None
            and fig.denominator is not None
        ):  # noqa: E501
            edges = [0, 8, 20, 35, 50, math.inf]
            band = next(i for i in range(5) if school.percent_fsm < edges[i + 1])
            fsm = s.schools.percent_fsm.fillna(-1)
            state = s.schools.state_funded.fillna(True).astype(bool)
            mates = s.schools[(s.schools.phase == school.phase) & (fsm >= edges[band])
                              & (fsm < edges[band + 1]) & state
                              & (s.schools.index != self.code)]  # fmt: skip
            rows = self._rows(r, mates.index)
            known = rows[rows.numerator.notna() & rows.denominator.notna()]
            schools, left_out = len(known), len(rows) - len(known)
            if schools >= 3 and known.denominator.sum() > 0:
                mult = float(s.indicators.loc[r["indicator"], "multiplier"])
                value = known.numerator.sum() / known.denominator.sum() * mult
        pool = r["similar_schools"] or {}
        if value is None:
            schools = left_out = None
        self.tally.check("pools", where, (value, schools, left_out),
                         (r["comparator_values"].get("similar_schools"), pool.get("schools"), pool.get("left_out")))  # fmt: skip  # noqa: E501
        if value is not None:
            word = compare_with(fig, value, r["polarity"])
            self.tally.check(
                "pools", where + " comparison", word, r["benchmarks"].get("similar_schools")
            )  # noqa: E501

    def _rows(self, r: dict, codes: pd.Index) -> pd.DataFrame:
        """Every row (shown or withheld) of these schools for the figure's indicator, group and
        period: a withheld school is left out of a pool and counted as left out."""
        rows = self.store.rows_of[(r["indicator"], r["group"], r["period"], "school")]
        return rows[rows.area_code.isin(codes)]

    def _points(self, indicator: str, group: str) -> pd.DataFrame:
        rows = [
            {"year": first_year(period), "value": f.value, "lower": f.lower, "upper": f.upper,
             "numerator": f.numerator, "denominator": f.denominator, "counted": f.counted,
             # A published count is exact: its ends are itself.
             "least": f.least if f.ranged else f.numerator,
             "most": f.most if f.ranged else f.numerator}
            for period, f in self.store.series[(indicator, self.level, self.code, group)].items()
        ]  # fmt: skip
        return self._comparable(pd.DataFrame(rows), indicator)

    def _comparable(self, points: pd.DataFrame, indicator: str) -> pd.DataFrame:
        points = points[points["year"] <= self.year].drop_duplicates("year").sort_values("year")
        start = self.store.since_break(indicator, list(points["year"]))
        return points[points["year"] >= start]

    def trend(self, r: dict, where: str) -> None:
        points = self._points(r["indicator"], r["group"])
        statistic = self.store.indicators.loc[r["indicator"], "statistic"]
        counts = statistic == "proportion" and bool(
            points[points.year > self.year - 5]["counted"].all()
        )  # noqa: E501
        tested, lost = recent_trend(points, self.year, counts)
        words = trend_words(tested, untested_direction(points, self.year), r["polarity"])
        self.tally.check("trends", where, words, r["trend"])
        self.tally.check("trends", where + " lost to rounding", lost, r["trend_lost_to_rounding"])
        self.tally.lost_trends += lost

    # --- one gap -----------------------------------------------------------------------------

    def gap_figures(self, indicator: str, focus: str, kind: str, period: str) -> tuple:
        s = self.store
        comparator = s.comparator_of[focus]
        place = {"within": (self.level, self.code),
                 "vs_la": ("la", s.schools.la_code.get(self.code)),
                 "vs_national": ("england", self.country)}[kind]  # fmt: skip
        return (s.figure(indicator, self.level, self.code, focus, period),
                s.figure(indicator, *place, comparator, period))  # fmt: skip

    def gap(self, r: dict) -> None:
        where = f"{self.level} {self.code} {r['indicator']} {r['focus_group']} {r['kind']} {r['period']}"  # noqa: E501
        focus, comp = self.gap_figures(r["indicator"], r["focus_group"], r["kind"], r["period"])
        if focus is None or comp is None:
            self.tally.check("gaps", where, "withheld", r["gap"])
            return
        ours = gap_of(self.store, r["indicator"], focus, comp)
        shown = ("gap", "lower", "upper", "significant", "lost_to_rounding")
        self.tally.check(
            "gaps", where, tuple(ours[k] for k in shown), tuple(r.get(k) for k in shown)
        )
        if first_year(r["period"]) != self.year:
            return
        rows = []
        for period in self.store.series[(r["indicator"], self.level, self.code, r["focus_group"])]:  # noqa: E501
            f, c = self.gap_figures(r["indicator"], r["focus_group"], r["kind"], period)
            if f is not None and c is not None:
                g = gap_of(self.store, r["indicator"], f, c)
                rows.append(
                    {
                        "year": first_year(period),
                        "value": g["gap"],
                        "lower": g["lower"],
                        "upper": g["upper"],
                        "gap_least": g["least"],
                        "gap_most": g["most"],
                    }
                )  # noqa: E501
        points = self._comparable(pd.DataFrame(rows), r["indicator"])
        points = points.astype({"lower": float, "upper": float})
        words = gap_trend_words(recent_trend(points, self.year, False)[0],
                                untested_direction(points, self.year), ours["gap"])  # fmt: skip
        self.tally.check("trends", where, words, r["trend"])


def check_funnel(
    store: Store, engine: Engine, indicator: str, focus: str, level: str, tally: Tally
) -> None:  # noqa: E501
    """Every place's funnel position in the gap explorer against Spiegelhalter's exact limits."""
    found = explore_gaps(engine, indicator, focus, level)
    if found.period is None or found.gaps.empty or found.centre is None:
        return
    meta = store.indicators.loc[indicator]
    s, mult = sign_of(meta["polarity"]), float(meta["multiplier"])
    country = store.regions.country_code.dropna().iloc[0]
    focus0 = comp0 = None
    for period in (
        p for p in {found.period, *store.shown.period} if first_year(p) == first_year(found.period)
    ):  # noqa: E501
        focus0 = focus0 or store.figure(indicator, "england", country, focus, period)
        comp0 = comp0 or store.figure(
            indicator, "england", country, store.comparator_of[focus], period
        )  # noqa: E501
    if focus0 is None or comp0 is None:
        return
    # As a gap tested from counts, the centre and the national focus figure come from counts.
    by_counts = lambda f: f.numerator / f.denominator * mult if f.counted else f.value  # noqa: E731
    y0 = by_counts(focus0)
    centre = s * (by_counts(comp0) - y0)
    tally.check("funnel", f"{indicator} {focus} centre", centre, found.centre)
    sd = None
    if meta["statistic"] == "mean":
        sizes = found.gaps["size"].astype(float)
        sd = float(
            np.nanmedian(
                (found.gaps["focus_upper"] - found.gaps["focus_lower"]) / 2 * np.sqrt(sizes) / Z95
            )
        )  # noqa: E501
    comparator = store.comparator_of[focus]
    for row in found.gaps.itertuples(index=False):
        if row.position is None or pd.isna(row.position) or pd.isna(row.gap):
            continue
        where = f"{indicator} {focus} {level} {row.area_code} n={row.size}"
        if pd.isna(row.size):
            # No funnel limit without a size: a position there is a disagreement, not a crash.
            tally.check("funnel", where, "no size, no position", row.position)
            continue
        # The place's gap against the nation, and its range over the derived numerators.
        own = store.figure(indicator, level, row.area_code, focus, row.period)
        national = store.figure(indicator, "england", country, comparator, row.period)
        if own is None or national is None:
            tally.check("funnel", where, "withheld or absent", (row.gap, row.position))
            continue
        g = gap_of(store, indicator, own, national)
        ours = funnel_position(
            g["gap"], row.size, centre, y0, meta["statistic"], mult, s, sd, (g["least"], g["most"])
        )
        tally.check("funnel", where, (g["gap"], ours), (row.gap, row.position))


# ================================================================================================
# The stores and the tests
# ================================================================================================

#: Places profiled per store: every region, every ``LA_STEP``-th LA and every
#: ``SCHOOL_STEP``-th school. Sampled because the product is the slow part: building one
#: profile (:func:`ecm.places.profile.build_profile`, as the pages do) takes seconds for a
#: school or LA, against well under a second for the check of all its figures; every school of
#: "everything" (24,019) would take a day. The steps keep the whole check, run twice in CI
#: (SQLite and PostgreSQL), to a few minutes a store: on "everything" (every 600th school, every
#: 4th LA, every region) it compares about 26,000 figures in 3.5 minutes on one core. With
#: steps of 7 and 4 (47 schools, 38 LAs) the check found no disagreement on the other stores.
SCHOOL_STEP = {"demo": 6, "ks2_only": 25, "lait_and_neighbours": 1, "everything": 600}
LA_STEP = {"demo": 1, "ks2_only": 1, "lait_and_neighbours": 10, "everything": 4}
#: Funnels checked per store: (indicator, focus group, level).
FUNNELS = {
    "demo": [("ni_73", "fsm", "school"), ("ni_75", "fsm", "school"), ("ni_73", "fsm", "la"),
             ("ni_87", "fsm", "school"), ("ni_72", "boys", "school")],
    "ks2_only": [("ptrwm_exp", "disadvantaged", "school"), ("ptread_exp", "disadvantaged", "school")],  # noqa: E501
    "lait_and_neighbours": [],
    "everything": [("ptrwm_exp", "disadvantaged", "school"), ("ptrwm_exp", "disadvantaged", "la")],  # noqa: E501
}  # fmt: skip


def run_check(engine: Engine, name: str) -> Tally:
    store, tally = Store(engine), Tally()
    places = [("region", c) for c in store.regions.index]
    places += [("la", c) for c in sorted(store.las.index)[:: LA_STEP[name]]]
    with_figures = set(store.shown.loc[store.shown.level == "school", "area_code"])
    places += [("school", u) for u in sorted(with_figures)[:: SCHOOL_STEP[name]]]
    for level, code in places:
        with_own = store.shown[(store.shown.level == level) & (store.shown.area_code == code)]
        if not with_own.empty:
            PlaceCheck(store, engine, level, code, tally).run()
    for indicator, focus, level in FUNNELS[name]:
        check_funnel(store, engine, indicator, focus, level, tally)
    return tally


@pytest.fixture(scope="module", params=["demo", "ks2_only", "lait_and_neighbours", "everything"])
def checked(request: pytest.FixtureRequest) -> tuple[str, Tally]:
    name = request.param
    url = (
        request.getfixturevalue("demo_database_url")
        if name == "demo"
        else request.getfixturevalue("real_stores").url(name)
    )  # noqa: E501
    engine = make_engine(url)
    try:
        tally = run_check(engine, name)
    finally:
        engine.dispose()
    print(f"\n{name}: value trends lost to rounding {tally.lost_trends}")
    print(f"\n{name}: compared {dict(tally.compared)}; disagreements "
          f"{ {k: len(v) for k, v in tally.disagreements.items()} }")  # fmt: skip
    return name, tally


@pytest.mark.realdata
@pytest.mark.parametrize("kind", KINDS)
def test_the_product_agrees_with_the_reimplementation(
    checked: tuple[str, Tally], kind: str
) -> None:  # noqa: E501
    name, tally = checked
    wrong = tally.disagreements[kind]
    assert not wrong, (
        f"{name}: {len(wrong)} of {tally.compared[kind]} {kind} disagree:\n" + "\n".join(wrong[:15])
    )  # noqa: E501
