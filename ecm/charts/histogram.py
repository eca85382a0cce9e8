"""The distribution chart: a histogram of one measure across places, with the median marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import finish, fmt, style_for


def distribution(values: pd.Series, title: str, presentation: bool = False) -> go.Figure:
    """A histogram of ``values`` (missing ones dropped) with the median marked and labelled.

    ``title`` names the measure and is the horizontal axis title.
    """
    style = style_for(presentation)
    clean = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    fig = go.Figure(
        go.Histogram(
            x=clean,
            marker={"color": "#0072B2", "line": {"color": "#FFFFFF", "width": 1}},
            name="Number of places",
            hovertemplate="%{x}: %{y} places<extra></extra>",
        )
    )
    if len(clean):
        median = float(clean.median())
        fig.add_vline(
            x=median,
            line={"color": "#000000", "width": style.line, "dash": "dash"},
            annotation={"text": f"Median {fmt(median)}", "font": {"size": style.font}},
            annotation_position="top",
        )
    else:
        fig.add_annotation(text="No figures to show", showarrow=False, xref="paper", yref="paper")
    fig.update_layout(
        xaxis={"title": {"text": title}},
        yaxis={"title": {"text": "Number of places"}},
        showlegend=False,
        bargap=0.05,
        height=420 if presentation else 340,
    )
    return finish(fig, style)


def describe_distribution(values: pd.Series, title: str) -> str:
    """A text alternative of :func:`distribution`: count, median, middle half and range."""
    clean = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if clean.empty:
        return f"Distribution of {title}: no figures."
    q1, median, q3 = clean.quantile([0.25, 0.5, 0.75])
    return (
        f"Distribution of {title} across {len(clean)} places: median {fmt(median)}, "
        f"middle half {fmt(q1)} to {fmt(q3)}, range {fmt(clean.min())} to {fmt(clean.max())}."
    )
