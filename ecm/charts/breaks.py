"""Series breaks on time charts: a dashed line and a label at each break, lines never joined
across one, and the words for hover and text alternatives.

A frame marks a break in its optional ``series_break`` column: on the first shown period of a
new series, the break's short label ("new KS2 standard"); elsewhere empty. The places layer
fills it from the catalogue (:func:`ecm.stats.breaks.break_labels`).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import fmt

BREAK_COLUMN = "series_break"
BREAK_COLOUR = "#555555"


def break_points(frame: pd.DataFrame) -> dict[str, str]:
    """Period -> label of every break the frame marks, in the frame's order."""
    if BREAK_COLUMN not in frame:
        return {}
    marked = frame[frame[BREAK_COLUMN].fillna("").astype(str) != ""]
    return dict(zip(marked["period"].astype(str), marked[BREAK_COLUMN].astype(str), strict=True))


def segments(rows: pd.DataFrame, breaks: dict[str, str], order: list[str]) -> list[pd.DataFrame]:
    """``rows`` (one line's points) cut at each break, so no segment spans one; ``order`` is
    the chart's period order. Empty segments are dropped."""
    position = {period: index for index, period in enumerate(order)}
    cuts = sorted(position[p] for p in breaks if p in position)
    # A point's segment is the number of breaks at or before it.
    part = np.searchsorted(cuts, rows["period"].astype(str).map(position).to_numpy(), "right")
    return [rows[part == number] for number in dict.fromkeys(part)]


def hover_notes(periods: pd.Series, breaks: dict[str, str]) -> list[str]:
    """A hover line for each point that opens a new series, "" for the others (escaped: the
    label is catalogue text, never markup)."""
    return [
        f"<br>Series break before {html.escape(p)}: {html.escape(breaks[p])}" if p in breaks else ""
        for p in periods.astype(str)
    ]


def point_hover(
    rows: pd.DataFrame, value: pd.Series, breaks: dict[str, str], lead: str, y_title: str
) -> dict:
    """A line's ``customdata`` and ``hovertemplate``: the point's value, its 95% interval and,
    on the first point after a break, the break."""
    return {
        "customdata": np.column_stack(
            [
                rows["lower"].map(fmt),
                rows["upper"].map(fmt),
                value.map(fmt),
                hover_notes(rows["period"], breaks),
            ]
        ),
        "hovertemplate": (
            f"{lead}, %{{x}}<br>{y_title}: %{{customdata[2]}}"
            "<br>95% interval: %{customdata[0]} to %{customdata[1]}"
            "%{customdata[3]}<extra></extra>"
        ),
    }


def mark_breaks(fig: go.Figure, breaks: dict[str, str], order: list[str]) -> None:
    """A dashed vertical line just before each break's period, labelled "series break: ..."."""
    for period, label in breaks.items():
        if period not in order:
            continue
        fig.add_vline(
            x=order.index(period) - 0.5,
            line={"color": BREAK_COLOUR, "width": 1.5, "dash": "dash"},
            annotation={
                "text": html.escape(f"series break: {label}"),
                "font": {"color": BREAK_COLOUR},
                "showarrow": False,
            },
            annotation_position="top",
        )


def describe_breaks(breaks: dict[str, str]) -> str:
    """The text alternative's sentence on breaks ("" without any)."""
    if not breaks:
        return ""
    each = "; ".join(f"before {period} ({label})" for period, label in breaks.items())
    return (
        f" Series break {each}: figures either side are not comparable, so the lines are "
        "not joined across it and no trend is computed across it."
    )
