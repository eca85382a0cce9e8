"""The spine chart: a place's figure on each indicator against England and its comparators."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import (
    BETTER,
    COLOURS,
    EXTRA_COLOURS,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    OUTLINE,
    QUARTERS,
    SIMILAR,
    SYMBOLS,
    WORSE,
    counts_phrase,
    finish,
    fmt,
    label,
    ordered_categories,
    require,
    style_for,
)

RANGE_GREY, IQR_GREY = "#E3E3E3", "#ABABAB"

SPINE_COLUMNS = (
    "indicator",
    "unit",
    "polarity",
    "value",
    "england",
    "worst",
    "q1",
    "q3",
    "best",
    "comparison",
)


def spine_positions(rows: pd.DataFrame) -> pd.DataFrame:
    """Fingertips spine-chart scaling of each row's figures to [0, 1].

    Each row is scaled on its own so that England sits at 0.5 and the farthest of worst and
    best from England lands at 0 or 1; worst is always to the left and best to the right,
    whatever the polarity (``worst`` and ``best`` arrive already oriented). The half-width
    also covers the place's value and the quartiles, so a place outside its comparators'
    range still stays on the chart. A row whose figures all equal England's sits at 0.5.

    Returns a frame with the same index and columns ``value``, ``worst``, ``q1``, ``q3``,
    ``best`` in chart units (``value`` is NaN where the place has no figure).
    """
    require(rows, ("value", "england", "worst", "q1", "q3", "best"), "spine_positions: rows")
    figures = rows[["value", "worst", "q1", "q3", "best"]].astype(float)
    england = rows["england"].astype(float)
    offsets = figures.sub(england, axis=0)
    half = offsets.abs().max(axis=1, skipna=True)
    # Best to the right: flip rows where best is numerically below worst (lower is better).
    direction = np.where(figures["best"] >= figures["worst"], 1.0, -1.0)
    # A half-width below the smallest normal float (a subnormal) cannot be divided by: such
    # rows are England's value to all intents, and sit at the centre.
    wide = half > np.finfo(float).tiny
    scale = np.where(wide, direction / (2 * half.where(wide, 1.0)), 0.0)
    return 0.5 + offsets.mul(scale, axis=0)


def _unit(unit: Any) -> str:
    return str(unit) if pd.notna(unit) else ""


def _spine_hover(row: pd.Series) -> str:
    unit = _unit(row["unit"])
    return "<br>".join(
        [
            f"<b>{row['indicator']}</b>",
            f"This area: {fmt(row['value'], unit)} ({label(str(row['comparison']))})",
            f"England: {fmt(row['england'], unit)}",
            f"Worst: {fmt(row['worst'], unit)}; best: {fmt(row['best'], unit)}",
            f"Middle half: {fmt(row['q1'], unit)} to {fmt(row['q3'], unit)}",
        ]
    )


SPINE_LEGEND = {
    BETTER: "Better than England",
    SIMILAR: "Similar to England",
    WORSE: "Worse than England",
    NOT_COMPARED: "Not compared",
    LOWER: "Lower than England",
    HIGHER: "Higher than England",
    **{quarter: f"{quarter.capitalize()} of all (untested)" for quarter in QUARTERS},
}


def spine_chart(rows: pd.DataFrame, presentation: bool = False) -> go.Figure:
    """A Fingertips-style spine chart: one row per indicator against England's range.

    Parameters
    ----------
    rows
        One row per indicator, drawn top to bottom in input order, with columns
        ``indicator`` (title), ``unit``, ``polarity`` (``higher_is_better``,
        ``lower_is_better`` or ``neither``), ``value`` (the place's figure; NaN for none),
        ``england``, ``worst``, ``q1``, ``q3``, ``best`` (the comparators' distribution,
        worst and best already oriented by polarity) and ``comparison`` (better, similar,
        worse, not compared, lower, higher).
    presentation
        Larger fonts and markers for a projector.

    Scaling as :func:`spine_positions`. The light bar is the comparators' range (worst to
    best), the dark bar their middle half (25th to 75th percentile), the line England; the
    place's marker has the comparison's colour and shape. Hover gives the real figures.
    """
    require(rows, SPINE_COLUMNS, "spine_chart: rows")
    style = style_for(presentation)
    rows = rows.reset_index(drop=True)
    scaled = spine_positions(rows)
    y = np.arange(len(rows))
    hover = [_spine_hover(row) for _, row in rows.iterrows()]
    fig = go.Figure()
    for ends, colour, name in (
        (["worst", "best"], RANGE_GREY, "Range of comparators (worst to best)"),
        (["q1", "q3"], IQR_GREY, "Middle half of comparators"),
    ):
        low, high = scaled[ends].min(axis=1), scaled[ends].max(axis=1)
        fig.add_trace(
            go.Bar(
                x=high - low,
                base=low,
                marker={"color": colour},
                name=name,
                orientation="h",
                y=y,
                width=0.6,
                hoverinfo="text",
                hovertext=hover,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0.5, 0.5],
            y=[-0.5, len(rows) - 0.5],
            mode="lines",
            line={"color": "#000000", "width": style.line},
            name="England",
            hoverinfo="skip",
        )
    )
    has_value = scaled["value"].notna()
    for word in ordered_categories(rows.loc[has_value, "comparison"]):
        mine = has_value & (rows["comparison"].astype(str) == word)
        fig.add_trace(
            go.Scatter(
                x=scaled.loc[mine, "value"],
                y=y[mine.to_numpy()],
                mode="markers",
                marker={
                    "symbol": SYMBOLS.get(word, "circle"),
                    "color": COLOURS.get(word, EXTRA_COLOURS[0]),
                    "size": style.marker + 3,
                    "line": {"color": OUTLINE, "width": 1.5},
                },
                name=SPINE_LEGEND.get(word, word),
                hoverinfo="text",
                hovertext=[hover[i] for i in np.flatnonzero(mine)],
            )
        )
    fig.update_layout(
        barmode="overlay",
        # Room for the legend, which wraps onto several lines at projector sizes.
        height=(48 if presentation else 32) * len(rows) + (340 if presentation else 160),
        xaxis={
            "range": [-0.03, 1.03],
            "tickvals": [0, 0.5, 1],
            "ticktext": ["Worst", "England", "Best"],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={
            "tickvals": y,
            "ticktext": rows["indicator"].astype(str).tolist(),
            "autorange": "reversed",
            "showgrid": False,
        },
    )
    return finish(fig, style)


def describe_spine_chart(rows: pd.DataFrame) -> str:
    """A text alternative of :func:`spine_chart`: counts by comparison, and the worse ones."""
    require(rows, SPINE_COLUMNS, "describe_spine_chart: rows")
    if rows.empty:
        return "Spine chart with no indicators."
    present = rows[rows["value"].notna()]
    counts = present["comparison"].astype(str).value_counts().to_dict()
    parts = []
    if counts.get(BETTER):
        parts.append(f"{counts[BETTER]} significantly better than England")
    if counts.get(SIMILAR):
        parts.append(f"{counts[SIMILAR]} similar")
    if counts.get(WORSE):
        parts.append(f"{counts[WORSE]} significantly worse")
    ranked = counts_phrase(counts, QUARTERS)
    parts += [f"untested, by quarter among all: {ranked}"] if ranked else []
    rest = counts_phrase(counts, [NOT_COMPARED, LOWER, HIGHER])
    parts += [rest] if rest else []
    missing = len(rows) - len(present)
    if missing:
        parts.append(f"{missing} with no figure")
    noun = "indicator" if len(rows) == 1 else "indicators"
    text = f"Spine chart of {len(rows)} {noun}: {', '.join(parts)}"
    worse = present[present["comparison"] == WORSE]
    if len(worse):
        listed = "; ".join(
            f"{r['indicator']}: {fmt(r['value'], _unit(r['unit']))}, worse"
            for _, r in worse.iterrows()
        )
        text += f" ({listed})"
    return text + "."
