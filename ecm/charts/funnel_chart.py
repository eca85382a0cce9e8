"""The funnel plot: each place's figure against its size, inside 95% and 99.8% limits.

The limits and each place's position are worked out in :mod:`ecm.stats.funnel`; this only
draws them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import OUTLINE, finish, fmt, optional_column, plain, require, style_for, wrap

FUNNEL_POSITIONS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")
_FUNNEL_STYLE = {  # position -> (colour, symbol, legend words)
    "above 99.8%": ("#D55E00", "triangle-up", "Above the 99.8% limit"),
    "above 95%": ("#D55E00", "triangle-up-open", "Above the 95% limit"),
    "within": ("#999999", "circle", "Within the limits"),
    "below 95%": ("#0072B2", "triangle-down-open", "Below the 95% limit"),
    "below 99.8%": ("#0072B2", "triangle-down", "Below the 99.8% limit"),
}

FUNNEL_POINT_COLUMNS = ("label", "size", "value", "position")
FUNNEL_LIMIT_COLUMNS = ("size", "lower95", "upper95", "lower998", "upper998")


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    centre: float,
    y_title: str,
    x_title: str,
    presentation: bool = False,
) -> go.Figure:
    """A funnel plot: each place's figure against its size, with 95% and 99.8% limits.

    Parameters
    ----------
    points
        Columns ``label``, ``size``, ``value``, ``position`` (one of ``above 99.8%``,
        ``above 95%``, ``within``, ``below 95%``, ``below 99.8%``, worked out by the caller,
        see :mod:`ecm.stats.funnel`) and optionally ``link`` (a URL, kept in ``customdata`` so a
        page can open it on click).
    limits
        Columns ``size``, ``lower95``, ``upper95``, ``lower998``, ``upper998``, sorted by size.
    centre
        The centre line (the national figure).
    y_title, x_title
        Axis titles, e.g. "Gap (percentage points; positive = disadvantaged pupils worse off)"
        and "Disadvantaged pupils".

    The 95% limits are dashed and the 99.8% limits dotted. Places within the limits are grey
    circles; places outside have their own colour and shape (up triangles above, down below,
    filled beyond 99.8%, hollow beyond 95%) and legend words.
    """
    require(points, FUNNEL_POINT_COLUMNS, "funnel_plot: points")
    require(limits, FUNNEL_LIMIT_COLUMNS, "funnel_plot: limits")
    unknown = set(points["position"].astype(str)) - set(FUNNEL_POSITIONS)
    if unknown:
        raise ValueError(f"funnel_plot: unknown position(s) {', '.join(sorted(unknown))}")
    style = style_for(presentation)
    fig = go.Figure()
    sizes = limits["size"].astype(float)
    for level, dash, name in (("95", "dash", "95% limits"), ("998", "dot", "99.8% limits")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=sizes,
                    y=limits[f"{side}{level}"].astype(float),
                    mode="lines",
                    line={"color": "#555555", "dash": dash, "width": style.line * 0.75},
                    name=name,
                    legendgroup=name,
                    showlegend=side == "upper",
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[sizes.min(), sizes.max()] if len(sizes) else [],
            y=[centre, centre] if len(sizes) else [],
            mode="lines",
            line={"color": "#000000", "width": style.line},
            name=f"Centre ({fmt(centre)})",
            hoverinfo="skip",
        )
    )
    links = optional_column(points, "link")
    for position in FUNNEL_POSITIONS:
        mine = points[points["position"].astype(str) == position]
        if mine.empty:
            continue
        colour, symbol, words = _FUNNEL_STYLE[position]
        fig.add_trace(
            go.Scatter(
                x=mine["size"],
                y=mine["value"],
                mode="markers",
                marker={
                    "symbol": symbol,
                    "color": colour,
                    "size": style.marker + (0 if position == "within" else 3),
                    "line": {"color": OUTLINE if "open" not in symbol else colour, "width": 1.5},
                },
                name=words,
                customdata=np.column_stack([mine["label"].map(plain), links.loc[mine.index]]),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    + f"{x_title}: %{{x:,.0f}}<br>{y_title}: %{{y:,.1f}}<br>{words}"
                    + "<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        xaxis={"title": {"text": x_title}, "rangemode": "tozero"},
        yaxis={"title": {"text": wrap(y_title)}},
        height=520 if presentation else 440,
    )
    return finish(fig, style)


def describe_funnel_plot(points: pd.DataFrame, centre: float, y_title: str = "") -> str:
    """A text alternative of :func:`funnel_plot`: how many places sit where, and the outliers."""
    require(points, FUNNEL_POINT_COLUMNS, "describe_funnel_plot: points")
    counts = points["position"].astype(str).value_counts().to_dict()
    words = {p: _FUNNEL_STYLE[p][2].lower() for p in FUNNEL_POSITIONS}
    parts = [f"{counts[p]} {words[p]}" for p in FUNNEL_POSITIONS if counts.get(p)]
    measure = f" of {y_title}" if y_title else ""
    text = (
        f"Funnel plot{measure} for {len(points)} places, centre line at {fmt(centre)}: "
        + (", ".join(parts) if parts else "no places")
        + "."
    )
    for position in ("above 99.8%", "below 99.8%"):
        beyond = points[points["position"] == position]
        if len(beyond):
            names = ", ".join(
                f"{r['label']} ({fmt(r['value'])})" for _, r in beyond.head(5).iterrows()
            )
            more = f" and {len(beyond) - 5} more" if len(beyond) > 5 else ""
            text += f" {words[position].capitalize()}: {names}{more}."
    return text
