"""Gap trends across a region's LAs: each authority's own gap (focus group against its
comparator group in the same authority) year by year, with its trend by the Fingertips method,
and the region's own gap beside England's. What a Government Office team asks: in which of my
authorities is the disadvantage gap widening?

Figures come through ``ecm.figures.many_places``, after disclosure control among siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from ecm.catalogue import series_breaks
from ecm.figures import many_places, queries
from ecm.periods import period_aliases, period_start
from ecm.places.profile import with_intervals
from ecm.stats.breaks import break_labels, since_latest_break
from ecm.stats.direction import (
    GAP_NARROWING,
    GAP_WIDENING,
    NO_CLEAR_CHANGE,
    direction_of_travel,
    gap_direction,
)
from ecm.stats.gaps import compute_gaps
from ecm.stats.trends import NOT_ENOUGH, WINDOW, compute_trends, gap_trend

#: Trend words in the order a priorities meeting reads them.
TREND_ORDER = {
    "widening": 0,
    "no significant change": 1,
    "narrowing": 2,
    GAP_WIDENING: 3,
    NO_CLEAR_CHANGE: 4,
    GAP_NARROWING: 5,
    NOT_ENOUGH: 6,
}


@dataclass
class RegionGapTrends:
    """One indicator's gap for one focus group across a region's LAs, over the recent years."""

    indicator: dict
    focus_group: str
    comparator_group: str
    periods: list[str]  # the years shown, oldest first
    authorities: pd.DataFrame  # la_code, la_name, one column per period, interval, trend
    series: pd.DataFrame = field(default_factory=pd.DataFrame)  # region and England by period


def region_gap_trends(
    engine: Engine,
    region_code: str,
    indicator: str,
    focus_group: str = "disadvantaged",
    period: str | None = None,
) -> RegionGapTrends:
    """Each LA's gap over the five years up to ``period`` (default: the latest), widening
    first, and the region's and England's gap for a trend chart."""
    catalogue = queries.load_indicators(engine)
    meta = catalogue.set_index("code").loc[indicator]
    comparator = (
        queries.load_pupil_groups(engine).set_index("code").loc[focus_group, "comparator_code"]
    )
    pair = [focus_group, comparator]
    record = {"code": indicator, **{k: meta[k] for k in ("title", "unit", "polarity")}}
    national = many_places.load_national_series(engine, indicator, pair)
    periods = sorted(national["period"].unique(), key=period_start)
    if period is not None:
        periods = [p for p in periods if period_start(p) <= period_start(period)]
    periods = periods[-WINDOW:]
    if not periods:
        return RegionGapTrends(record, focus_group, comparator, [], pd.DataFrame())
    shown = set().union(*(period_aliases(p) for p in periods))
    las = many_places.load_level_figures(
        engine, indicator, "la", shown, pair, within=("region", region_code)
    )
    region = many_places.load_area_series(engine, indicator, "region", region_code, pair)
    figures = with_intervals(
        pd.concat([national, las, region[region["period"].isin(shown)]], ignore_index=True),
        catalogue,
    )
    figures = figures[figures["period"].isin(shown)]
    gaps = compute_gaps(figures, catalogue, {focus_group: comparator}, kinds=("within",))
    return RegionGapTrends(
        record,
        focus_group,
        comparator,
        periods,
        _authority_table(engine, gaps[gaps["level"] == "la"], periods),
        _series(gaps[gaps["level"] != "la"], engine, region_code),
    )


def _authority_table(engine: Engine, gaps: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """One row per LA: its gap in each period, the latest interval and the trend in words."""
    if gaps.empty:
        return pd.DataFrame()
    # No trend crosses a series break: each authority's gaps from the latest break on.
    series = gaps.rename(columns={"gap": "value"})
    series = since_latest_break(series, series_breaks(), ["area_code"])
    trends = compute_trends(series, ["area_code"], use_counts=False)
    directions = direction_of_travel(series, ["area_code"]).set_index("area_code")["direction"]
    latest = gaps.loc[gaps.groupby("area_code")["period"].idxmax()].set_index("area_code")
    wide = gaps.pivot_table(index="area_code", columns="period", values="gap", aggfunc="first")
    wide = wide.reindex(columns=[p for p in periods if p in wide.columns])
    names = many_places.load_place_names(engine, "la", list(wide.index)).set_index("area_code")
    table = wide.reset_index().rename(columns={"area_code": "la_code"})
    table.insert(1, "la_name", table["la_code"].map(names["name"]))
    raw = trends.set_index("area_code")["trend"]
    table["lower"] = table["la_code"].map(latest["lower"])
    table["upper"] = table["la_code"].map(latest["upper"])
    table["trend"] = [
        _gap_words(raw.get(code, NOT_ENOUGH), directions.get(code), latest["gap"].get(code))
        for code in table["la_code"]
    ]
    table["_order"] = table["trend"].map(TREND_ORDER).fillna(len(TREND_ORDER))
    table["_latest"] = table["la_code"].map(latest["gap"])
    table = table.sort_values(["_order", "_latest"], ascending=[True, False])
    return table.drop(columns=["_order", "_latest"]).reset_index(drop=True)


def _gap_words(tested: str, direction: object, latest_gap: float) -> str:
    """A gap's trend: tested where it could be, else its untested direction of travel."""
    if tested != NOT_ENOUGH:
        return gap_trend(tested, latest_gap)
    return gap_direction(direction, latest_gap) or NOT_ENOUGH


def _series(gaps: pd.DataFrame, engine: Engine, region_code: str) -> pd.DataFrame:
    """The region's and England's gap by period: name, period, value, lower, upper and
    series_break (a break's label on the first period after it)."""
    columns = ["name", "period", "value", "lower", "upper", "series_break"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    names = many_places.load_place_names(engine, "region", [region_code])
    region_name = names["name"].iloc[0] if not names.empty else region_code
    out = gaps.assign(name=gaps["level"].map({"region": region_name, "england": "England"}))
    out = out.rename(columns={"gap": "value"})
    code = str(out["indicator_code"].iloc[0])
    out = out.assign(series_break=break_labels(out["period"], code, series_breaks()))[columns]
    return out.iloc[out["period"].map(period_start).argsort(kind="stable")].reset_index(drop=True)
