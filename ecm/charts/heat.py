"""The heat map: a grid of comparison words (e.g. LAs by indicators), each cell with its symbol."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.style import (
    TEXT_SYMBOLS,
    WORSE,
    category_colours,
    counts_phrase,
    finish,
    label,
    optional_column,
    ordered_categories,
    plain,
    require,
    style_for,
)
from ecm.units import NO_FIGURE, is_missing_text

HEAT_COLUMNS = ("row", "column", "comparison", "text")


def heat_map(
    cells: pd.DataFrame, row_title: str, column_title: str, presentation: bool = False
) -> go.Figure:
    """A grid of comparisons (e.g. LAs by indicators), coloured and marked by comparison word.

    Parameters
    ----------
    cells
        One row per cell: ``row`` (e.g. LA name), ``column`` (e.g. indicator short title),
        ``comparison`` (better, similar, worse, not compared, lower, higher) and ``text``
        (the figure, already formatted), and optionally ``detail`` (e.g. the interval in
        words, shown on hover). Rows and columns appear in the order first met.
    row_title, column_title
        Axis titles.

    Each cell prints its comparison symbol before the figure ("▼ 62.0%") so the meaning never
    rests on colour; hover gives row, column, the comparison in words and the figure. The
    legend names the colours.
    """
    require(cells, HEAT_COLUMNS, "heat_map: cells")
    style = style_for(presentation)
    rows = list(dict.fromkeys(cells["row"].astype(str)))
    columns = list(dict.fromkeys(cells["column"].astype(str)))
    # Only colours a cell carries: a missing figure is drawn on white, whatever its word.
    categories = ordered_categories(cells.loc[~cells["text"].map(_missing), "comparison"])
    colours = category_colours(categories, None)
    code = {c: i for i, c in enumerate(categories)}
    grid = cells.assign(
        row=cells["row"].astype(str),
        column=cells["column"].astype(str),
        comparison=cells["comparison"].astype(str),
        shown=[cell_text(c, t) for c, t in zip(cells["comparison"], cells["text"], strict=True)],
    ).drop_duplicates(["row", "column"], keep="last")
    pivot = grid.set_index(["row", "column"])
    index = pd.MultiIndex.from_product([rows, columns])
    # A missing figure has one look, whether or not the place has a row for it: words on white.
    coloured = pivot["comparison"].map(code).where(~pivot["text"].map(_missing))
    z = coloured.reindex(index).to_numpy(dtype=float).reshape(len(rows), -1)
    # A place with no figure at all for an indicator says so, rather than leaving a blank.
    shown = pivot["shown"].reindex(index).fillna(NO_FIGURE).to_numpy().reshape(len(rows), -1)
    words = pivot["comparison"].reindex(index).fillna(NO_FIGURE).to_numpy()
    figures = pivot["text"].reindex(index).fillna("").astype(str).to_numpy()
    detail = optional_column(pivot, "detail").reindex(index).fillna("").astype(str)
    extra = np.where(detail != "", "<br>" + detail, "")
    custom = np.dstack([a.reshape(len(rows), -1) for a in (words, figures, extra)])
    steps = max(len(categories), 1)
    scale = [
        [edge / steps, colours[c]] for i, c in enumerate(categories) for edge in (i, i + 1)
    ] or [[0, "#FFFFFF"], [1, "#FFFFFF"]]
    fig = go.Figure(
        go.Heatmap(
            z=np.where(np.isnan(z), None, z),
            x=[plain(c) for c in columns],
            y=[plain(r) for r in rows],
            text=shown,
            texttemplate="%{text}",
            textfont={"size": max(style.small, style.font - 2)},
            colorscale=scale,
            zmin=-0.5,
            zmax=steps - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=custom,
            hovertemplate=(
                f"{row_title}: %{{y}}<br>{column_title}: %{{x}}<br>"
                "%{customdata[0]}: %{customdata[1]}%{customdata[2]}<extra></extra>"
            ),
            name="",
        )
    )
    for category in categories:  # the heat map itself has no legend: name each colour
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": style.marker + 2, "color": colours[category]},
                name=label(category),
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        xaxis={"title": {"text": column_title}, "side": "top", "tickangle": -30, "showgrid": False},
        # Every row named, even where plotly would thin crowded category labels.
        yaxis={
            "title": {"text": row_title}, "autorange": "reversed", "showgrid": False,
            "tickmode": "array", "tickvals": [plain(r) for r in rows],
        },
        height=max(300, 28 * len(rows) + 200),
    )  # fmt: skip
    if presentation:
        # Projector type on slanted long titles would take half the screen's height: each
        # column's title level, wrapped onto at most three short lines.
        # The axis title is dropped (the panel's title says what the columns are) and rows
        # are 24 px, so a region's 19 authorities fit under the header at 768 lines.
        fig.update_xaxes(
            tickangle=0, tickmode="array", tickvals=[plain(c) for c in columns], title=None,
            ticktext=[wrapped(c, max(11, 90 // max(len(columns), 1))) for c in columns],
        )  # fmt: skip
    fig = finish(fig, style)
    if presentation:
        fig.update_layout(height=max(300, 24 * len(rows) + 130), margin={"t": 10})
    # The column titles sit on top, so the legend goes underneath.
    fig.update_layout(legend={"yanchor": "top", "y": -0.02})
    return fig


def wrapped(text: str, width: int, lines: int = 3) -> str:
    """``text`` broken onto at most ``lines`` lines of about ``width`` characters (plotly's
    ``<br>``), the last cut with an ellipsis when the words do not fit."""
    parts = textwrap.wrap(
        str(text), width, max_lines=lines, placeholder="…", break_long_words=False
    )
    return "<br>".join(plain(part) for part in parts)


def _missing(text: object) -> bool:
    return is_missing_text(text) or not str(text).strip() or str(text) == "nan"


def cell_text(comparison: str, text: str) -> str:
    """A heat-map cell: the comparison's symbol, then the figure ("▲ 71.2%"); a missing
    figure reads as everywhere else ("no figure", "withheld"), with no symbol."""
    if is_missing_text(text) or not str(text).strip():
        return str(text) if is_missing_text(text) else NO_FIGURE
    symbol = TEXT_SYMBOLS.get(str(comparison), "")
    return f"{symbol} {text}".strip()


def describe_heat_map(cells: pd.DataFrame, row_title: str, column_title: str) -> str:
    """A text alternative of :func:`heat_map`: cell counts by comparison, most "worse" row."""
    require(cells, HEAT_COLUMNS, "describe_heat_map: cells")
    rows = cells["row"].astype(str).nunique()
    columns = cells["column"].astype(str).nunique()
    counts = cells["comparison"].astype(str).value_counts().to_dict()
    order = ordered_categories(cells["comparison"])
    text = (
        f"Heat map of {rows} {row_title} by {columns} {column_title} ({len(cells)} cells): "
        f"{counts_phrase(counts, order) or 'no cells'}."
    )
    worse = cells[cells["comparison"] == WORSE]["row"].astype(str).value_counts()
    if len(worse):
        top = worse[worse == worse.max()]
        names = ", ".join(top.index[:5])
        text += f" Most cells worse: {names} ({int(worse.max())} each)."
    return text
