"""Pure chart builders for the Children and Young People's Plan: the turn-the-curve picture, the
coverage of gaps per outcome, and who spends what. Each builder has a text alternative.

They take plain frames and return plotly figures, like ``ecm.charts``, whose style they share.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.breaks import break_points, describe_breaks, mark_breaks, point_hover, segments
from ecm.charts.style import (
    ENGLAND_COLOUR,
    SERIES_COLOURS,
    fmt,
    ink,
    interval_bars,
    style_for,
    wrap,
)
from ecm.charts.style import finish as _finish
from ecm.charts.style import require as _require
from ecm.units import counted, money

POINT_COLUMNS = ("period", "value", "lower", "upper")
HISTORY_COLOUR, FORECAST_COLOUR, TARGET_COLOUR = SERIES_COLOURS[0], ENGLAND_COLOUR, "#009E73"


def period_order(periods: Sequence[str]) -> list[str]:
    """Periods of any style in time order, each once. A four-digit year is the year a period
    ends, so "2009" is 2008/09 (``ecm.places.profile.period_start``)."""
    from ecm.periods import period_start

    return sorted(dict.fromkeys(str(p) for p in periods), key=lambda p: (period_start(p), p))


def turn_the_curve_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    path: pd.DataFrame,
    target: dict | None,
    y_title: str,
    presentation: bool = False,
) -> go.Figure:
    """The results-based-accountability "turn the curve" picture for one gap or value.

    Parameters
    ----------
    history
        ``period, value, lower, upper``: the figures so far with their 95% intervals (solid);
        an optional ``series_break`` marks a series break (a dashed line, no line across it).
    forecast
        ``period, value, lower, upper``: where the curve goes if nothing changes (dashed, with
        its band shaded); may be empty.
    path
        ``period, value``: the straight path from the baseline to the target (dotted); may be
        empty.
    target
        ``{"period", "value"}`` of the target (a star), or None.
    y_title
        The value axis title with its unit, e.g. "Gap (percentage points)".
    """
    _require(history, POINT_COLUMNS, "turn_the_curve_chart: history")
    style = style_for(presentation)
    fig = go.Figure()
    periods = period_order(
        [
            *history["period"],
            *forecast.get("period", []),
            *path.get("period", []),
            *([target["period"]] if target else []),
        ]
    )
    if not forecast.empty:
        band = forecast.dropna(subset=["lower", "upper"])
        if not band.empty:
            fig.add_trace(
                go.Scatter(
                    x=[*band["period"], *band["period"][::-1]],
                    y=[*band["upper"], *band["lower"][::-1]],
                    fill="toself",
                    fillcolor="rgba(85,85,85,0.15)",
                    mode="lines",
                    line={"width": 0},
                    hoverinfo="skip",
                    name="Forecast range (95%)",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=forecast["period"],
                y=forecast["value"],
                mode="lines+markers",
                name="If nothing changes",
                line={"color": FORECAST_COLOUR, "width": style.line, "dash": "dash"},
                marker={"symbol": "circle-open", "size": style.marker, "color": FORECAST_COLOUR},
                hovertemplate=f"Forecast, %{{x}}<br>{y_title}: %{{y:,.1f}}<extra></extra>",
            )
        )
    if not path.empty:
        fig.add_trace(
            go.Scatter(
                x=path["period"],
                y=path["value"],
                mode="lines",
                name="Path to the target",
                line={"color": TARGET_COLOUR, "width": style.line, "dash": "dot"},
                hovertemplate=f"Path to target, %{{x}}<br>{y_title}: %{{y:,.1f}}<extra></extra>",
            )
        )
    breaks = break_points(history)
    # One trace per stretch between series breaks: the actual line is never joined across one.
    for part, rows in enumerate(segments(history, breaks, periods)):
        value = rows["value"].astype(float)
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=value,
                mode="lines+markers",
                name="Actual",
                legendgroup="Actual",
                showlegend=part == 0,
                line={"color": HISTORY_COLOUR, "width": style.line},
                marker={"symbol": "circle", "size": style.marker, "color": HISTORY_COLOUR},
                error_y=interval_bars(
                    value, rows["lower"], rows["upper"], HISTORY_COLOUR, style.line * 0.75, 4
                ),
                **point_hover(rows, value, breaks, "Actual", y_title),
            )
        )
    mark_breaks(fig, breaks, periods)
    if target:
        fig.add_trace(
            go.Scatter(
                x=[target["period"]],
                y=[target["value"]],
                mode="markers+text",
                name="Target",
                text=[f"Target {fmt(target['value'])}"],
                textposition="top center",
                marker={"symbol": "star", "size": style.marker * 1.6, "color": TARGET_COLOUR},
                hovertemplate=f"Target, %{{x}}<br>{y_title}: %{{y:,.1f}}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line={"color": "#999999", "width": 1})
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
        yaxis={"title": {"text": wrap(y_title)}},
        height=480 if presentation else 400,
    )
    return _finish(fig, style)


def describe_turn_the_curve(
    history: pd.DataFrame, forecast: pd.DataFrame, target: dict | None, y_title: str
) -> str:
    """A text alternative of :func:`turn_the_curve_chart`."""
    _require(history, POINT_COLUMNS, "describe_turn_the_curve: history")
    known = history.dropna(subset=["value"])
    if known.empty:
        return f"Turn-the-curve chart of {y_title} with no figures."
    first, last = known.iloc[0], known.iloc[-1]
    parts = [
        f"Turn-the-curve chart of {y_title}: {fmt(first['value'])} in {first['period']}, "
        f"{fmt(last['value'])} in {last['period']} (95% interval {fmt(last['lower'])} to "
        f"{fmt(last['upper'])})"
    ]
    if not forecast.empty:
        end = forecast.iloc[-1]
        parts.append(f"if nothing changes, {fmt(end['value'])} by {end['period']}")
    if target:
        parts.append(f"target {fmt(target['value'])} by {target['period']}")
    return "; ".join(parts) + "." + describe_breaks(break_points(history))


COVERAGE_COLUMNS = ("outcome", "covered", "uncovered", "off_track")
#: Coverage categories: column, words, colour (Okabe-Ito) and bar pattern, so print and
#: colour-blind readers can tell them apart without colour.
COVERAGE_STYLE = (
    ("covered", "Gaps with an action", "#0072B2", ""),
    ("uncovered", "Gaps with no action", "#D55E00", "/"),
    ("off_track", "Actions off track by the figures", "#E69F00", "x"),
)


def coverage_chart(by_outcome: pd.DataFrame, presentation: bool = False) -> go.Figure:
    """Per outcome, how many significant or widening gaps the plan covers and leaves without
    an action, and how many of its actions the figures say are off track (horizontal bars,
    each category with its own colour, pattern and number)."""
    _require(by_outcome, COVERAGE_COLUMNS, "coverage_chart: by_outcome")
    style = style_for(presentation)
    fig = go.Figure()
    for column, words, colour, pattern in COVERAGE_STYLE:
        counts = by_outcome[column].astype(int)
        fig.add_trace(
            go.Bar(
                y=by_outcome["outcome"],
                x=counts,
                orientation="h",
                name=words,
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": ink(colour)}},
                text=[str(c) for c in counts],
                textposition="outside",
                textangle=0,
                cliponaxis=False,
                textfont={"size": style.font},
                hovertemplate=f"%{{y}}<br>{words}: %{{x}}<extra></extra>",
            )
        )
    most = by_outcome[["covered", "uncovered", "off_track"]].to_numpy().max(initial=0)
    fig.update_layout(
        barmode="group",
        # Whole gaps only: ticks every gap while the counts are small.
        xaxis={"title": {"text": "Number"}, "dtick": 1 if most <= 10 else None},
        yaxis={"autorange": "reversed"},
        height=(120 if presentation else 90) * max(3, len(by_outcome)),
    )
    return _finish(fig, style)


def describe_coverage_chart(by_outcome: pd.DataFrame) -> str:
    """A text alternative of :func:`coverage_chart`."""
    _require(by_outcome, COVERAGE_COLUMNS, "describe_coverage_chart: by_outcome")
    if by_outcome.empty:
        return "Coverage chart with no gaps."
    parts = [
        f"{r.outcome}: {counted(int(r.covered), 'gap')} with an action, {int(r.uncovered)} "
        f"with none, {counted(int(r.off_track), 'action')} off track"
        for r in by_outcome.itertuples(index=False)
    ]
    return (
        "Significant or widening gaps and off-track actions by outcome. " + "; ".join(parts) + "."
    )


SPEND_COLUMNS = ("partner", "outcome", "amount")


def spend_matrix_chart(spend: pd.DataFrame, presentation: bool = False) -> go.Figure:
    """Who puts in what: partners (rows) by outcome (columns), each cell's spend written in
    thousands of pounds, shaded from light to dark blue; empty cells are blank."""
    _require(spend, SPEND_COLUMNS, "spend_matrix_chart: spend")
    style = style_for(presentation)
    matrix = spend.pivot_table(
        index="partner", columns="outcome", values="amount", aggfunc="sum", sort=False
    )
    matrix = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]
    values = matrix.to_numpy(dtype=float)
    text = [[money(v) if not np.isnan(v) and v else "" for v in row] for row in values]
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=[wrap(c, 18) for c in matrix.columns],
            y=list(matrix.index),
            text=text,
            texttemplate="%{text}",
            textfont={"size": style.font},
            colorscale="Blues",
            # The scale's ticks written as the cells are ("£2.1m", not plotly's "£2M").
            colorbar={"title": {"text": "Spend"}, **_money_ticks(values)},
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        height=max(300, (40 if not presentation else 56) * len(matrix) + 120),
    )
    return _finish(fig, style)


def _money_ticks(values: np.ndarray) -> dict:
    """Colour-bar ticks at round amounts between the smallest and largest cell, each written
    by :func:`ecm.units.money`."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return {}
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return {"tickvals": [low], "ticktext": [money(low)]}
    rough = (high - low) / 4
    magnitude = 10 ** np.floor(np.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    ticks = np.arange(np.ceil(low / step) * step, high + step / 2, step)
    return {"tickvals": list(ticks), "ticktext": [money(t) for t in ticks]}


def describe_spend_matrix(spend: pd.DataFrame) -> str:
    """A text alternative of :func:`spend_matrix_chart`: the total and the largest cells."""
    _require(spend, SPEND_COLUMNS, "describe_spend_matrix: spend")
    if spend.empty:
        return "Spend by partner and outcome: no spend recorded."
    cells = spend.groupby(["partner", "outcome"], as_index=False)["amount"].sum()
    top = cells.sort_values("amount", ascending=False).head(3)
    largest = "; ".join(
        f"{r.partner} on {r.outcome}, {money(r.amount)}" for r in top.itertuples(index=False)
    )
    return (
        f"Spend by partner and outcome, {money(cells['amount'].sum())} in all from "
        f"{cells['partner'].nunique()} partners. Largest: {largest}."
    )
