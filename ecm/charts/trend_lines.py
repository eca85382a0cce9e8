"""The trend chart: a line per series over time, with 95% intervals as error bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecm.charts.breaks import (
    break_points,
    describe_breaks,
    mark_breaks,
    point_hover,
    segments,
)
from ecm.charts.style import (
    ENGLAND_COLOUR,
    SERIES_COLOURS,
    SERIES_SYMBOLS,
    finish,
    fmt,
    interval_bars,
    require,
    style_for,
    wrap,
)

TREND_COLUMNS = ("name", "period", "value", "lower", "upper")


def trend_chart(series: pd.DataFrame, y_title: str, presentation: bool = False) -> go.Figure:
    """Lines over time, one per series, with 95% intervals as error bars.

    Parameters
    ----------
    series
        Long format: ``name`` (series, e.g. a place or a pupil group), ``period`` (shown as
        categories in the order first met), ``value``, ``lower``, ``upper`` (the interval; NaN
        where there is none). A series named ``England`` is drawn dashed grey. An optional
        ``series_break`` column marks the first period of a new series with the break's
        label: a dashed line is drawn before it and no line is joined across it.
    y_title
        The value axis title, with its unit.

    Each series has its own colour and its own marker shape, so lines can be told apart
    without colour; the legend and hover name them.
    """
    require(series, TREND_COLUMNS, "trend_chart: series")
    style = style_for(presentation)
    periods = list(dict.fromkeys(series["period"].astype(str)))
    fig = go.Figure()
    names = list(dict.fromkeys(series["name"].astype(str)))
    # England last, so that it is drawn over the others and ends the legend.
    names = [n for n in names if n != "England"] + [n for n in names if n == "England"]
    breaks = break_points(series)
    for index, name in enumerate(names):
        mine = series[series["name"].astype(str) == name]
        england = name == "England"
        colour = ENGLAND_COLOUR if england else SERIES_COLOURS[index % len(SERIES_COLOURS)]
        # One trace per stretch between series breaks, so no line joins across a break; the
        # stretches share a legend entry.
        for part, rows in enumerate(segments(mine, breaks, periods)):
            value = rows["value"].astype(float)
            fig.add_trace(
                go.Scatter(
                    x=rows["period"].astype(str),
                    y=value,
                    mode="lines+markers",
                    name=name,
                    legendgroup=name,
                    showlegend=part == 0,
                    line={
                        "color": colour,
                        "width": style.line,
                        "dash": "dash" if england else "solid",
                    },
                    marker={
                        "symbol": "square"
                        if england
                        else SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)],
                        "size": style.marker,
                        "color": colour,
                    },
                    error_y=interval_bars(
                        value, rows["lower"], rows["upper"], colour, style.line * 0.75, width=4
                    ),
                    **point_hover(rows, value, breaks, f"<b>{name}</b>", y_title),
                )
            )
    mark_breaks(fig, breaks, periods)
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
        yaxis={"title": {"text": wrap(y_title)}},
        height=480 if presentation else 400,
    )
    return finish(fig, style)


def describe_trend_chart(series: pd.DataFrame, y_title: str) -> str:
    """A text alternative of :func:`trend_chart`: each series' first and latest figure."""
    require(series, TREND_COLUMNS, "describe_trend_chart: series")
    periods = list(dict.fromkeys(series["period"].astype(str)))
    if not periods:
        return f"Trend chart of {y_title} with no figures."
    names = list(dict.fromkeys(series["name"].astype(str)))
    breaks = break_points(series)
    # The change is told within the latest series only: a change across a break is no change.
    since = periods[max((periods.index(p) for p in breaks if p in periods), default=0) :]
    parts = []
    for name in names:
        mine = series[
            (series["name"].astype(str) == name)
            & series["value"].notna()
            & series["period"].astype(str).isin(since)
        ]
        if mine.empty:
            parts.append(f"{name}: no figures")
            continue
        parts.append(_series_sentence(name, mine))
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    return (
        f"Trend chart of {y_title}, {len(names)} series over {len(periods)} periods "
        f"({span}): " + "; ".join(parts) + "." + describe_breaks(breaks)
    )


#: Fewest figures a sentence calls a trend (up, down, no change): one or two figures are told
#: as they are, since a change between two years is not a trend.
TREND_POINTS = 3


def _series_sentence(name: str, mine: pd.DataFrame) -> str:
    """One series told in words: its first and latest figure and the change, or, with fewer
    than :data:`TREND_POINTS` figures, the figures alone and why no trend is told. Figures are
    counted by year (a year held twice is one figure), and the change is the one between the
    figures as written, so "-0.1 to -0.1" is never "up 0.0"."""
    mine = mine.drop_duplicates("period", keep="last")
    first, last = mine.iloc[0], mine.iloc[-1]
    if len(mine) == 1:
        return f"{name}: {fmt(first['value'])} in {first['period']} (one figure, no trend)"
    if len(mine) < TREND_POINTS:
        return (
            f"{name}: {fmt(first['value'])} in {first['period']} and {fmt(last['value'])} "
            f"in {last['period']} (two figures, too few for a trend)"
        )
    change = round(round(float(last["value"]), 1) - round(float(first["value"]), 1), 1)
    way = "up" if change > 0 else "down"
    step = f", {way} {fmt(abs(change))}" if change else ", no change"
    return (
        f"{name} from {fmt(first['value'])} in {first['period']} "
        f"to {fmt(last['value'])} in {last['period']}{step}"
    )
