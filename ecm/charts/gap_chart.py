"""Ranked gaps: a dot and 95% interval per place, largest gap first, significant ones filled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import (
    finish,
    fmt,
    interval_bars,
    optional_column,
    plain,
    require,
    style_for,
    wrap,
)

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
    tested = rows["lower"].notna() & rows["upper"].notna()
    significant = rows["significant"].fillna(False).astype(bool) & tested
    kinds = (
        (significant, "Significant (interval excludes zero)", "circle"),
        (tested & ~significant, "Not significant", "circle-open"),
        # Figures published without counts have no interval: nothing to test them by.
        (~tested, "Not tested (no interval)", "diamond-open"),
    )
    fig = go.Figure()
    for mine, name, symbol in kinds:
        if not mine.any() and name != "Not significant":
            continue
        part = rows[mine]
        gap = part["gap"].astype(float)
        flag = symbol == "circle"
        fig.add_trace(
            go.Scatter(
                x=gap,
                y=y[mine.to_numpy()],
                mode="markers+text" if flag else "markers",
                text=["significant"] * len(part) if flag else None,
                textposition="top center",
                textfont={"size": max(style.small, style.font - 3)},
                marker={
                    "symbol": symbol,
                    "size": style.marker + 2,
                    "color": "#0072B2",
                    "line": {"color": "#0072B2", "width": 2},
                },
                error_x=interval_bars(
                    gap, part["lower"], part["upper"], "#0072B2", style.line, width=0
                ),
                name=name,
                showlegend=True,
                customdata=np.column_stack(
                    [
                        part["label"].map(plain),
                        list(map(_interval_words, part["lower"], part["upper"])),
                        links[mine],
                    ]
                )
                if len(part)
                else None,
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Gap: %{x:,.1f} (%{customdata[1]})"
                    f"<br>{name.split(' (')[0]}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=0, line={"color": "#000000", "width": style.line * 0.75})
    fig.update_layout(
        xaxis={"title": {"text": wrap(x_title, 90)}, "zeroline": False},
        yaxis={
            "tickvals": y,
            "ticktext": rows["label"].map(plain).tolist(),
            "autorange": "reversed",
            "range": None,
        },
        height=max(300, (48 if presentation else 36) * len(rows) + 140),
    )
    return finish(fig, style)


def _interval_words(lower: float, upper: float) -> str:
    if pd.isna(lower) or pd.isna(upper):
        return "no interval: published without counts"
    return f"95% interval {fmt(lower)} to {fmt(upper)}"


def describe_ranked_gaps(rows: pd.DataFrame, x_title: str, of: int | None = None) -> str:
    """A text alternative of :func:`ranked_gaps`: counts and the first (largest) gap; ``of``
    is how many places have a gap when the chart shows only some of them."""
    require(rows, GAP_COLUMNS, "describe_ranked_gaps: rows")
    if rows.empty:
        return f"Ranked gaps ({x_title}): none to show."
    tested = rows["lower"].notna() & rows["upper"].notna()
    significant = int((rows["significant"].fillna(False).astype(bool) & tested).sum())
    counts = f"{significant} significant, {int(tested.sum()) - significant} not significant"
    if not tested.all():
        counts += f", {int((~tested).sum())} not tested (no interval)"
    first = rows.iloc[0]
    flag = (
        ("significant" if bool(first["significant"]) else "not significant")
        if tested.iloc[0]
        else "not tested"
    )
    shown = (
        f"the widest and narrowest {len(rows)} of {of} places"
        if of is not None and of > len(rows)
        else f"{len(rows)} places"
    )
    return (
        f"Ranked gaps ({x_title}) for {shown}: {counts}. Largest: {first['label']}, "
        f"{fmt(first['gap'])} ({_interval_words(first['lower'], first['upper'])}, {flag})."
    )
