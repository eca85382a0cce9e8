"""Maps of categories by area: a hex cartogram and a boundary choropleth, with no basemap.

The geometry (hex layouts, boundary files) comes from :mod:`ecm.charts.map_geometry`; this only
draws it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.charts.map_geometry import hex_centres, hex_polygon
from ecm.charts.style import (
    TEXT_SYMBOLS,
    WORSE,
    Style,
    category_colours,
    counts_phrase,
    finish,
    ink,
    label,
    ordered_categories,
    plain,
    require,
    style_for,
)

HEX_COLUMNS = ("code", "name", "q", "r", "category", "text")
AREA_COLUMNS = ("code", "name", "category", "text")
_MINOR_WORDS = {"and", "of", "the", "upon", "on", "with", "in", "city", "county"}


def _major_words(name: str) -> list[str]:
    words = [w for w in str(name).replace(",", " ").replace("-", " ").split() if w]
    return [w for w in words if w.lower() not in _MINOR_WORDS] or words or [""]


def short_label(name: str, extra: int = 0) -> str:
    """A hex's label: initials of a many-word name ("Kensington and Chelsea" -> "KC"), else
    the first three letters ("Birmingham" -> "Bir"), and an "s" for a shire ("Derbyshire" ->
    "Ders", apart from "Derby" -> "Der"); ``extra`` more letters of the first word
    where that label is shared ("Har" -> "Harr", "ST" -> "StoT")."""
    major = _major_words(name)
    if len(major) >= 2:
        first = major[0][: 1 + extra]
        return first[:1].upper() + first[1:] + "".join(w[0].upper() for w in major[1:3])
    word = major[0]
    stem = word[:-5] if word.lower().endswith("shire") else ""
    if len(stem) > 3 + extra:  # a county in the usual style: Hertfordshire -> "Hers", "Herts"
        return word[: 3 + extra] + "s"
    return word[: 3 + extra]


def unique_labels(names: Sequence[str]) -> dict[str, str]:
    """A label for each name that no other name of the map shares: :func:`short_label`, with
    more letters of the first word for the names that share one until none does (a name
    whose letters run out takes a number). Every hex keeps its full name in its hover."""
    distinct = list(dict.fromkeys(str(n) for n in names))
    extra = dict.fromkeys(distinct, 0)
    labels = {n: short_label(n) for n in distinct}
    while True:
        holders: dict[str, list[str]] = {}
        for name, text in labels.items():
            holders.setdefault(text.lower(), []).append(name)
        shared = [group for group in holders.values() if len(group) > 1]
        if not shared:
            return labels
        grew = False
        for group in shared:
            for name in group:
                longer = short_label(name, extra[name] + 1)
                if longer != labels[name]:
                    extra[name] += 1
                    labels[name], grew = longer, True
        if not grew:  # the same letters all the way: number them
            for group in shared:
                for number, name in enumerate(group[1:], start=2):
                    labels[name] = f"{labels[name]}{number}"


def _finish_map(fig: go.Figure, style: Style, attribution: str) -> go.Figure:
    """The common frame, then the data publisher's attribution line under the map."""
    finish(fig, style)
    if attribution:
        fig.add_annotation(
            text=attribution,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-4,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"size": max(style.small, style.font - 4), "color": "#555555"},
        )
        fig.update_layout(margin={"b": 20 + style.font})
    return fig


def hex_map(
    hexes: pd.DataFrame,
    layout: str,
    presentation: bool = False,
    colours: Mapping[str, str] | None = None,
    attribution: str = "",
) -> go.Figure:
    """A hex cartogram: one equal-sized hex per area, coloured and labelled by category.

    Parameters
    ----------
    hexes
        ``code``, ``name``, ``q``, ``r`` (HexJSON cell, see :mod:`ecm.charts.map_geometry`),
        ``category`` (a comparison word or e.g. a gap bucket) and ``text`` (the figure, for hover).
    layout
        The HexJSON layout: ``odd-r``, ``even-r``, ``odd-q`` or ``even-q``.
    colours
        Colours for categories that are not comparison words, in the order to show them
        (e.g. a sequential scale for gap buckets); spare Okabe-Ito colours otherwise.
    attribution
        A line printed under the map, e.g. :data:`ecm.charts.map_geometry.HEX_ATTRIBUTION`.

    One filled trace per category (hexes separated by ``None``), so the legend names the
    categories in words; each hex is labelled with a short name and, for comparison words,
    the symbol. Equal aspect ratio, no axes.
    """
    require(hexes, HEX_COLUMNS, "hex_map: hexes")
    style = style_for(presentation)
    hexes = hexes.reset_index(drop=True)
    x, y = hex_centres(hexes["q"], hexes["r"], layout)
    categories = ordered_categories(hexes["category"], colours)
    palette = category_colours(categories, colours)
    fig = go.Figure()
    for category in categories:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for i in np.flatnonzero(hexes["category"].astype(str) == category):
            corners = hex_polygon(float(x[i]), float(y[i]), layout)
            xs += [p[0] for p in corners] + [None]
            ys += [p[1] for p in corners] + [None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=palette[category],
                line={"color": "#FFFFFF", "width": 1},
                name=label(category),
                hoverinfo="skip",
            )
        )
    category = hexes["category"].astype(str)
    short = {name: plain(label) for name, label in unique_labels(hexes["name"]).items()}
    labels = [
        f"{TEXT_SYMBOLS[c]}<br>{short[str(n)]}" if c in TEXT_SYMBOLS else short[str(n)]
        for c, n in zip(category, hexes["name"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=labels,
            textfont={
                "size": max(style.small, style.font - 5),
                "color": [ink(palette[c]) for c in category],
            },
            marker={"size": style.marker * 2, "color": "rgba(0,0,0,0)"},
            customdata=np.column_stack(
                [hexes["name"].map(plain), category.map(label), hexes["text"]]
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[2]}"
            "<extra></extra>",
            showlegend=False,
            name="",
        )
    )
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        height=760 if presentation else 640,
        plot_bgcolor="#FFFFFF",
    )
    return _finish_map(fig, style, attribution)


def boundary_map(
    geojson: dict[str, Any],
    areas: pd.DataFrame,
    code_property: str,
    presentation: bool = False,
    colours: Mapping[str, str] | None = None,
    attribution: str = "",
) -> go.Figure:
    """A choropleth of boundaries, one colour per category, with no basemap.

    Parameters
    ----------
    geojson
        A FeatureCollection (e.g. :func:`ecm.charts.map_geometry.load_boundaries`).
    areas
        ``code`` (matching the features' ``code_property``), ``name``, ``category`` and
        ``text`` (the figure, for hover). Features with no row are drawn pale grey, "no figure".
    code_property
        The feature property holding the code, e.g. ``CTYUA23CD``.
    colours, attribution
        As for :func:`hex_map`.

    One ``go.Choropleth`` trace per category (each a one-colour scale), so the legend lists
    the categories in words; geography hidden (``visible=False``) and the view fitted to the
    areas. Show it with ``PLOTLY_CONFIG`` to work offline (see the :mod:`ecm.charts` docstring).
    """
    require(areas, AREA_COLUMNS, "boundary_map: areas")
    style = style_for(presentation)
    key = f"properties.{code_property}"
    categories = ordered_categories(areas["category"], colours)
    palette = category_colours(categories, colours)
    codes = [f["properties"].get(code_property) for f in geojson.get("features", [])]
    fig = go.Figure()
    known = set(areas["code"].astype(str))
    absent = [c for c in codes if c not in known]
    groups = [(c, areas[areas["category"].astype(str) == c]) for c in categories]
    if absent:
        blank = pd.DataFrame({"code": absent, "name": absent, "category": "", "text": ""})
        groups.append(("no figure", blank))
        palette["no figure"] = "#F2F2F2"
    for number, (category, part) in enumerate(groups):
        fig.add_trace(
            go.Choropleth(
                geojson=geojson,
                featureidkey=key,
                locations=part["code"].astype(str),
                z=[number] * len(part),
                colorscale=[[0, palette[category]], [1, palette[category]]],
                showscale=False,
                showlegend=True,
                name=label(category),
                marker={"line": {"color": "#555555", "width": 0.5}},
                customdata=np.column_stack([part["name"], part["text"]]),
                hovertemplate=f"<b>%{{customdata[0]}}</b><br>{label(category)}: "
                "%{customdata[1]}<extra></extra>",
            )
        )
    fig.update_geos(visible=False, fitbounds="locations", projection={"type": "mercator"})
    fig.update_layout(height=760 if presentation else 640)
    return _finish_map(fig, style, attribution)


def _describe_areas(kind: str, frame: pd.DataFrame) -> str:
    counts = frame["category"].astype(str).value_counts().to_dict()
    order = ordered_categories(frame["category"])
    text = f"{kind} of {len(frame)} areas: {counts_phrase(counts, order) or 'none'}."
    worse = frame[frame["category"] == WORSE]["name"].astype(str)
    if 0 < len(worse) <= 10:
        text += f" Worse: {', '.join(worse)}."
    return text


def describe_hex_map(hexes: pd.DataFrame) -> str:
    """A text alternative of :func:`hex_map`: areas by category, naming worse ones (up to 10)."""
    require(hexes, HEX_COLUMNS, "describe_hex_map: hexes")
    return _describe_areas("Hex map", hexes)


def describe_boundary_map(areas: pd.DataFrame) -> str:
    """A text alternative of :func:`boundary_map`, as :func:`describe_hex_map`."""
    require(areas, AREA_COLUMNS, "describe_boundary_map: areas")
    return _describe_areas("Map", areas)
