"""Ranked gaps: a dot and 95% interval per place, largest gap first, significant ones filled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import finish, fmt, interval_bars, optional_column, require, style_for, wrap

GAP_COLUMNS = ("label", "gap", "lower", "upper", "significant")


def ranked_gaps(rows: pd.DataFrame, x_title: str, presentation: bool = False) -> go.Figure:
    """Dot-and-whisker chart of gaps with 95% intervals, in the order given (first at top).

    Parameters
    ----------
    rows
        ``label``, ``gap``, ``lower``, ``upper``, ``significant`` (bool: the interval excludes
        zero) and optionally ``link`` (a URL, kept in ``customdata``). Sort before calling,
        largest first.
    x_title
        The gap axis title, e.g. "Gap (percentage points; positive = disadvantaged pupils
        worse off)".

    Significant gaps are filled dots labelled "significant"; the others hollow. A vertical
    line marks zero (no gap).
    """
    require(rows, GAP_COLUMNS, "ranked_gaps: rows")
    style = style_for(presentation)
    rows = rows.reset_index(drop=True)
    y = np.arange(len(rows))
    links = optional_column(rows, "link")
    significant = rows["significant"].fillna(False).astype(bool)
    fig = go.Figure()
    for flag, name in ((True, "Significant (interval excludes zero)"), (False, "Not significant")):
        mine = significant == flag
        part = rows[mine]
        gap = part["gap"].astype(float)
        fig.add_trace(
            go.Scatter(
                x=gap,
                y=y[mine.to_numpy()],
                mode="markers+text" if flag else "markers",
                text=["significant"] * len(part) if flag else None,
                textposition="top center",
                textfont={"size": max(10, style.font - 3)},
                marker={
                    "symbol": "circle" if flag else "circle-open",
                    "size": style.marker + 2,
                    "color": "#0072B2",
                    "line": {"color": "#0072B2", "width": 2},
                },
                error_x=interval_bars(
                    gap, part["lower"], part["upper"], "#0072B2", style.line, width=0
                ),
                name=name,
                customdata=np.column_stack(
                    [
                        part["label"].astype(str),
                        part["lower"].map(fmt),
                        part["upper"].map(fmt),
                        links[mine],
                    ]
                )
                if len(part)
                else None,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Gap: %{x:,.1f} (95% interval %{customdata[1]} "
                    f"to %{{customdata[2]}})<br>{name.split(' (')[0]}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=0, line={"color": "#000000", "width": style.line * 0.75})
    fig.update_layout(
        xaxis={"title": {"text": wrap(x_title, 90)}, "zeroline": False},
        yaxis={
            "tickvals": y,
            "ticktext": rows["label"].astype(str).tolist(),
            "autorange": "reversed",
            "range": None,
        },
        height=max(300, (48 if presentation else 36) * len(rows) + 140),
    )
    return finish(fig, style)


def describe_ranked_gaps(rows: pd.DataFrame, x_title: str) -> str:
    """A text alternative of :func:`ranked_gaps`: counts and the first (largest) gap."""
    require(rows, GAP_COLUMNS, "describe_ranked_gaps: rows")
    if rows.empty:
        return f"Ranked gaps ({x_title}): none to show."
    significant = int(rows["significant"].fillna(False).astype(bool).sum())
    first = rows.iloc[0]
    flag = "significant" if bool(first["significant"]) else "not significant"
    return (
        f"Ranked gaps ({x_title}) for {len(rows)} places: {significant} significant, "
        f"{len(rows) - significant} not significant. Largest: {first['label']}, "
        f"{fmt(first['gap'])} (95% interval {fmt(first['lower'])} to {fmt(first['upper'])}, "
        f"{flag})."
    )
