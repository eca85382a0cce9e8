"""Chart builders: pandas DataFrames in, ``plotly.graph_objects.Figure`` out, no Streamlit.

Every builder has a companion ``describe_<name>(...) -> str`` that writes a one-paragraph text
alternative of what the chart shows, for screen readers, reports and the "view as text" toggle.

Accessibility
-------------
- **Palette.** Okabe and Ito's colour-blind-safe set (Okabe & Ito 2008, *Color Universal
  Design*). *Better* is blue (#0072B2) and *worse* vermillion (#D55E00): blue against
  orange-red is the contrast that survives protanopia, deuteranopia and tritanopia. *Similar*
  is orange (#E69F00), which sits between them in hue but well apart in lightness (CIE L* 71
  against 54 for vermillion, still 15-19 apart after simulating each of the three
  dichromacies with Machado et al. 2009), and *not compared* is mid grey. Context measures
  with no polarity are *lower* (sky blue) or *higher* (reddish purple), neither of which reads
  as good or bad.
- **Never colour alone.** Each word has its own marker shape (``SYMBOLS``) and text symbol
  (``TEXT_SYMBOLS``); legends and hover text say the word; heat-map cells and hexes print the
  symbol. Markers carry a dark outline because orange and grey alone fall short of 3:1
  contrast with a white background; text on a coloured cell is black or white, whichever
  contrasts more.
- **Presentation mode.** ``presentation=True`` on any builder sets a 22px base font (14px
  otherwise) and larger markers and lines, for a meeting-room screen.

Maps
----
``boundary_map`` draws a ``go.Choropleth`` without a basemap. plotly.js still asks its CDN for a
world outline whenever a choropleth is drawn, and without a network the whole map fails, so
pass ``PLOTLY_CONFIG`` as the chart's config (``st.plotly_chart(fig, config=PLOTLY_CONFIG)``,
``fig.to_html(config=PLOTLY_CONFIG)``): it points that request at an empty outline held in the
page itself.
"""

from __future__ import annotations

import json
import textwrap
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.maps import hex_centres, hex_polygon

BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not compared"
LOWER, HIGHER = "lower", "higher"
COMPARISONS = (BETTER, SIMILAR, WORSE, NOT_COMPARED, LOWER, HIGHER)

COLOURS = {
    BETTER: "#0072B2",  # Okabe-Ito blue
    SIMILAR: "#E69F00",  # orange
    WORSE: "#D55E00",  # vermillion
    NOT_COMPARED: "#999999",
    LOWER: "#56B4E9",  # sky blue
    HIGHER: "#CC79A7",  # reddish purple
}
SYMBOLS = {
    BETTER: "triangle-up",
    SIMILAR: "circle",
    WORSE: "triangle-down",
    NOT_COMPARED: "diamond",
    LOWER: "star-triangle-down",
    HIGHER: "star-triangle-up",
}
TEXT_SYMBOLS = {
    BETTER: "▲",
    SIMILAR: "●",
    WORSE: "▼",
    NOT_COMPARED: "◆",
    LOWER: "▽",
    HIGHER: "△",
}
#: Further Okabe-Ito colours for categories that are not comparison words (gap buckets, series).
EXTRA_COLOURS = ("#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "x", "star")
ENGLAND_COLOUR = "#555555"
OUTLINE = "#333333"
RANGE_GREY, IQR_GREY = "#E3E3E3", "#ABABAB"

#: An empty TopoJSON outline as a data URL: plotly.js appends "<name>.json", which the "#"
#: turns into a fragment, so the request is answered from the page with no network.
EMPTY_TOPOJSON_URL = (
    "data:application/json,"
    + urllib.parse.quote(json.dumps({"type": "Topology", "objects": {}, "arcs": []}))
    + "#"
)
#: The plotly config every chart should be shown with (see the module docstring).
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "topojsonURL": EMPTY_TOPOJSON_URL}

FUNNEL_POSITIONS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")
_FUNNEL_STYLE = {  # position -> (colour, symbol, legend words)
    "above 99.8%": ("#D55E00", "triangle-up", "Above the 99.8% limit"),
    "above 95%": ("#D55E00", "triangle-up-open", "Above the 95% limit"),
    "within": ("#999999", "circle", "Within the limits"),
    "below 95%": ("#0072B2", "triangle-down-open", "Below the 95% limit"),
    "below 99.8%": ("#0072B2", "triangle-down", "Below the 99.8% limit"),
}


@dataclass(frozen=True)
class Style:
    """Sizes for a screen or a projector."""

    font: int
    marker: int
    line: float


def style_for(presentation: bool) -> Style:
    """Screen sizes, or larger ones for a meeting-room screen."""
    return Style(22, 18, 3.0) if presentation else Style(14, 11, 2.0)


# --- shared helpers ---------------------------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise a ValueError naming any missing column, so a caller's mistake is plain."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{where} is missing column(s): {', '.join(missing)}")


def fmt(value: Any, unit: str = "") -> str:
    """A figure as people read it: 62.0%, 12.5 per 1,000; "no figure" when missing."""
    if value is None or pd.isna(value):
        return "no figure"
    text = f"{float(value):,.1f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def label(word: str) -> str:
    """A comparison word with its symbol ("▲ better"); other categories unchanged."""
    return f"{TEXT_SYMBOLS[word]} {word}" if word in TEXT_SYMBOLS else str(word)


def _category_colours(categories: Sequence[str], colours: Mapping[str, str] | None) -> dict:
    """Colours for categories: given ones first, then COLOURS, then spare Okabe-Ito colours."""
    chosen: dict[str, str] = {}
    spare = iter(EXTRA_COLOURS * (len(categories) // len(EXTRA_COLOURS) + 1))
    for category in categories:
        given = (colours or {}).get(category) or COLOURS.get(category)
        chosen[category] = given if given else next(spare)
    return chosen


def _ordered_categories(values: pd.Series, colours: Mapping[str, str] | None = None) -> list[str]:
    """Comparison words in their usual order, then categories in the order of ``colours``,
    then any others as first seen."""
    seen = list(dict.fromkeys(values.astype(str)))
    first = [w for w in COMPARISONS if w in seen] + [c for c in colours or {} if c in seen]
    return first + [c for c in seen if c not in first]


def _luminance(colour: str) -> float:
    channels = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def ink(colour: str) -> str:
    """Black or white, whichever contrasts more with a ``#RRGGBB`` background (WCAG)."""
    light = _luminance(colour)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#FFFFFF"


def _finish(fig: go.Figure, style: Style, title: str | None = None) -> go.Figure:
    """The common frame: white template, readable fonts, legend above the plot."""
    fig.update_layout(
        template="plotly_white",
        font={"size": style.font, "family": "Arial, Helvetica, sans-serif", "color": "#222222"},
        hoverlabel={"font": {"size": style.font}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        margin={"l": 10, "r": 10, "t": 60 if title else 40, "b": 10},
    )
    if title:
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"})
    return fig


def wrap(title: str, width: int = 45) -> str:
    """Break a long axis title over lines (plotly does not wrap), so it is never cut off."""
    return "<br>".join(textwrap.wrap(str(title), width)) or str(title)


def _counts_phrase(counts: Mapping[str, int], order: Sequence[str]) -> str:
    """ "3 better, 7 similar" for the categories that occur, in the given order."""
    return ", ".join(f"{counts[c]} {c}" for c in order if counts.get(c))


def _attribute(fig: go.Figure, attribution: str, style: Style) -> None:
    """Print the data publisher's attribution line under a map."""
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
            font={"size": max(10, style.font - 4), "color": "#555555"},
        )
        fig.update_layout(margin={"b": 20 + style.font})


# --- 1. spine chart ---------------------------------------------------------------------------

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
    _require(rows, ("value", "england", "worst", "q1", "q3", "best"), "spine_positions: rows")
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
    _require(rows, SPINE_COLUMNS, "spine_chart: rows")
    style = style_for(presentation)
    rows = rows.reset_index(drop=True)
    scaled = spine_positions(rows)
    y = np.arange(len(rows))
    hover = [_spine_hover(row) for _, row in rows.iterrows()]
    lows, highs = scaled[["worst", "best"]].min(axis=1), scaled[["worst", "best"]].max(axis=1)
    q_lo, q_hi = scaled[["q1", "q3"]].min(axis=1), scaled[["q1", "q3"]].max(axis=1)
    bar = {"orientation": "h", "y": y, "width": 0.6, "hoverinfo": "text", "hovertext": hover}
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=highs - lows,
            base=lows,
            marker={"color": RANGE_GREY},
            name="Range of comparators (worst to best)",
            **bar,
        )
    )
    fig.add_trace(
        go.Bar(
            x=q_hi - q_lo,
            base=q_lo,
            marker={"color": IQR_GREY},
            name="Middle half of comparators",
            **bar,
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
    for word in _ordered_categories(rows.loc[has_value, "comparison"]):
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
    return _finish(fig, style)


def describe_spine_chart(rows: pd.DataFrame) -> str:
    """A text alternative of :func:`spine_chart`: counts by comparison, and the worse ones."""
    _require(rows, SPINE_COLUMNS, "describe_spine_chart: rows")
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
    rest = _counts_phrase(counts, [NOT_COMPARED, LOWER, HIGHER])
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


# --- 2. funnel plot ---------------------------------------------------------------------------

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
        see :mod:`ecm.funnel`) and optionally ``link`` (a URL, kept in ``customdata`` so a
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
    _require(points, FUNNEL_POINT_COLUMNS, "funnel_plot: points")
    _require(limits, FUNNEL_LIMIT_COLUMNS, "funnel_plot: limits")
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
    links = points["link"] if "link" in points.columns else pd.Series("", index=points.index)
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
                customdata=np.column_stack([mine["label"], links.loc[mine.index].fillna("")]),
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
    return _finish(fig, style)


def describe_funnel_plot(points: pd.DataFrame, centre: float, y_title: str = "") -> str:
    """A text alternative of :func:`funnel_plot`: how many places sit where, and the outliers."""
    _require(points, FUNNEL_POINT_COLUMNS, "describe_funnel_plot: points")
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


# --- 3. trend chart ---------------------------------------------------------------------------

TREND_COLUMNS = ("name", "period", "value", "lower", "upper")


def trend_chart(series: pd.DataFrame, y_title: str, presentation: bool = False) -> go.Figure:
    """Lines over time, one per series, with 95% intervals as error bars.

    Parameters
    ----------
    series
        Long format: ``name`` (series, e.g. a place or a pupil group), ``period`` (shown as
        categories in the order first met), ``value``, ``lower``, ``upper`` (the interval; NaN
        where there is none). A series named ``England`` is drawn dashed grey.
    y_title
        The value axis title, with its unit.

    Each series has its own colour and its own marker shape, so lines can be told apart
    without colour; the legend and hover name them.
    """
    _require(series, TREND_COLUMNS, "trend_chart: series")
    style = style_for(presentation)
    periods = list(dict.fromkeys(series["period"].astype(str)))
    fig = go.Figure()
    names = list(dict.fromkeys(series["name"].astype(str)))
    # England last, so that it is drawn over the others and ends the legend.
    names = [n for n in names if n != "England"] + [n for n in names if n == "England"]
    for index, name in enumerate(names):
        mine = series[series["name"].astype(str) == name]
        england = name == "England"
        colour = ENGLAND_COLOUR if england else SERIES_COLOURS[index % len(SERIES_COLOURS)]
        value = mine["value"].astype(float)
        fig.add_trace(
            go.Scatter(
                x=mine["period"].astype(str),
                y=value,
                mode="lines+markers",
                name=name,
                line={"color": colour, "width": style.line, "dash": "dash" if england else "solid"},
                marker={
                    "symbol": "square" if england else SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)],
                    "size": style.marker,
                    "color": colour,
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (mine["upper"].astype(float) - value).to_numpy(),
                    "arrayminus": (value - mine["lower"].astype(float)).to_numpy(),
                    "color": colour,
                    "thickness": style.line * 0.75,
                    "width": 4,
                },
                customdata=np.column_stack(
                    [mine["lower"].map(fmt), mine["upper"].map(fmt), value.map(fmt)]
                ),
                hovertemplate=(
                    f"<b>{name}</b>, %{{x}}<br>{y_title}: %{{customdata[2]}}"
                    "<br>95% interval: %{customdata[0]} to %{customdata[1]}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
        yaxis={"title": {"text": wrap(y_title)}},
        height=480 if presentation else 400,
    )
    return _finish(fig, style)


def describe_trend_chart(series: pd.DataFrame, y_title: str) -> str:
    """A text alternative of :func:`trend_chart`: each series' first and latest figure."""
    _require(series, TREND_COLUMNS, "describe_trend_chart: series")
    periods = list(dict.fromkeys(series["period"].astype(str)))
    if not periods:
        return f"Trend chart of {y_title} with no figures."
    names = list(dict.fromkeys(series["name"].astype(str)))
    parts = []
    for name in names:
        mine = series[(series["name"].astype(str) == name) & series["value"].notna()]
        if mine.empty:
            parts.append(f"{name}: no figures")
            continue
        first, last = mine.iloc[0], mine.iloc[-1]
        change = float(last["value"]) - float(first["value"])
        way = "up" if change > 0 else "down" if change < 0 else "no change"
        step = f", {way} {fmt(abs(change))}" if change else ", no change"
        parts.append(
            f"{name} from {fmt(first['value'])} in {first['period']} "
            f"to {fmt(last['value'])} in {last['period']}{step}"
        )
    span = periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"
    return (
        f"Trend chart of {y_title}, {len(names)} series over {len(periods)} periods "
        f"({span}): " + "; ".join(parts) + "."
    )


# --- 4. ranked gaps ---------------------------------------------------------------------------

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
    _require(rows, GAP_COLUMNS, "ranked_gaps: rows")
    style = style_for(presentation)
    rows = rows.reset_index(drop=True)
    y = np.arange(len(rows))
    links = rows["link"].fillna("") if "link" in rows.columns else pd.Series("", index=rows.index)
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
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (part["upper"].astype(float) - gap).to_numpy(),
                    "arrayminus": (gap - part["lower"].astype(float)).to_numpy(),
                    "color": "#0072B2",
                    "thickness": style.line,
                    "width": 0,
                },
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
    return _finish(fig, style)


def describe_ranked_gaps(rows: pd.DataFrame, x_title: str) -> str:
    """A text alternative of :func:`ranked_gaps`: counts and the first (largest) gap."""
    _require(rows, GAP_COLUMNS, "describe_ranked_gaps: rows")
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


# --- 5. heat map ------------------------------------------------------------------------------

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
    _require(cells, HEAT_COLUMNS, "heat_map: cells")
    style = style_for(presentation)
    rows = list(dict.fromkeys(cells["row"].astype(str)))
    columns = list(dict.fromkeys(cells["column"].astype(str)))
    categories = _ordered_categories(cells["comparison"])
    colours = _category_colours(categories, None)
    code = {c: i for i, c in enumerate(categories)}
    grid = cells.assign(
        row=cells["row"].astype(str),
        column=cells["column"].astype(str),
        comparison=cells["comparison"].astype(str),
        shown=[cell_text(c, t) for c, t in zip(cells["comparison"], cells["text"], strict=True)],
    ).drop_duplicates(["row", "column"], keep="last")
    pivot = grid.set_index(["row", "column"])
    index = pd.MultiIndex.from_product([rows, columns])
    z = pivot["comparison"].map(code).reindex(index).to_numpy(dtype=float).reshape(len(rows), -1)
    shown = pivot["shown"].reindex(index).fillna("").to_numpy().reshape(len(rows), -1)
    words = pivot["comparison"].reindex(index).fillna("no figure").to_numpy()
    figures = pivot["text"].reindex(index).fillna("").astype(str).to_numpy()
    detail = (
        pivot["detail"].reindex(index).fillna("").astype(str)
        if "detail" in pivot
        else pd.Series("", index=index)
    )
    extra = np.where(detail != "", "<br>" + detail, "")
    custom = np.dstack([a.reshape(len(rows), -1) for a in (words, figures, extra)])
    steps = max(len(categories), 1)
    scale = [
        [edge / steps, colours[c]] for i, c in enumerate(categories) for edge in (i, i + 1)
    ] or [[0, "#FFFFFF"], [1, "#FFFFFF"]]
    fig = go.Figure(
        go.Heatmap(
            z=np.where(np.isnan(z), None, z),
            x=columns,
            y=rows,
            text=shown,
            texttemplate="%{text}",
            textfont={"size": max(10, style.font - 2)},
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
        yaxis={"title": {"text": row_title}, "autorange": "reversed", "showgrid": False},
        height=max(300, (40 if presentation else 28) * len(rows) + 200),
    )
    fig = _finish(fig, style)
    # The column titles sit on top, so the legend goes underneath.
    fig.update_layout(legend={"yanchor": "top", "y": -0.02})
    return fig


def cell_text(comparison: str, text: str) -> str:
    """A heat-map cell: the comparison's symbol, then the figure ("▲ 71.2%")."""
    symbol = TEXT_SYMBOLS.get(str(comparison), "")
    return f"{symbol} {text}".strip()


def describe_heat_map(cells: pd.DataFrame, row_title: str, column_title: str) -> str:
    """A text alternative of :func:`heat_map`: cell counts by comparison, most "worse" row."""
    _require(cells, HEAT_COLUMNS, "describe_heat_map: cells")
    rows = cells["row"].astype(str).nunique()
    columns = cells["column"].astype(str).nunique()
    counts = cells["comparison"].astype(str).value_counts().to_dict()
    order = _ordered_categories(cells["comparison"])
    text = (
        f"Heat map of {rows} {row_title} by {columns} {column_title} ({len(cells)} cells): "
        f"{_counts_phrase(counts, order) or 'no cells'}."
    )
    worse = cells[cells["comparison"] == WORSE]["row"].astype(str).value_counts()
    if len(worse):
        top = worse[worse == worse.max()]
        names = ", ".join(top.index[:5])
        text += f" Most cells worse: {names} ({int(worse.max())} each)."
    return text


# --- 6. distribution --------------------------------------------------------------------------


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
    return _finish(fig, style)


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


# --- 7. maps ----------------------------------------------------------------------------------

HEX_COLUMNS = ("code", "name", "q", "r", "category", "text")
AREA_COLUMNS = ("code", "name", "category", "text")
_MINOR_WORDS = {"and", "of", "the", "upon", "on", "with", "in", "city", "county"}


def short_label(name: str) -> str:
    """A hex's label: initials of a many-word name ("Kensington and Chelsea" -> "KC"), else
    the first three letters ("Birmingham" -> "Bir")."""
    words = [w for w in str(name).replace(",", " ").replace("-", " ").split() if w]
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    if len(major) >= 2:
        return "".join(w[0].upper() for w in major[:3])
    return (major or words or [""])[0][:3]


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
        ``code``, ``name``, ``q``, ``r`` (HexJSON cell, see :mod:`ecm.maps`), ``category``
        (a comparison word or e.g. a gap bucket) and ``text`` (the figure, for hover).
    layout
        The HexJSON layout: ``odd-r``, ``even-r``, ``odd-q`` or ``even-q``.
    colours
        Colours for categories that are not comparison words, in the order to show them
        (e.g. a sequential scale for gap buckets); spare Okabe-Ito colours otherwise.
    attribution
        A line printed under the map, e.g. :data:`ecm.maps.HEX_ATTRIBUTION`.

    One filled trace per category (hexes separated by ``None``), so the legend names the
    categories in words; each hex is labelled with a short name and, for comparison words,
    the symbol. Equal aspect ratio, no axes.
    """
    _require(hexes, HEX_COLUMNS, "hex_map: hexes")
    style = style_for(presentation)
    hexes = hexes.reset_index(drop=True)
    x, y = hex_centres(hexes["q"], hexes["r"], layout)
    categories = _ordered_categories(hexes["category"], colours)
    palette = _category_colours(categories, colours)
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
    labels = [
        f"{TEXT_SYMBOLS[c]}<br>{short_label(n)}" if c in TEXT_SYMBOLS else short_label(n)
        for c, n in zip(category, hexes["name"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=labels,
            textfont={
                "size": max(8, style.font - 5),
                "color": [ink(palette[c]) for c in category],
            },
            marker={"size": style.marker * 2, "color": "rgba(0,0,0,0)"},
            customdata=np.column_stack([hexes["name"], category.map(label), hexes["text"]]),
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
    fig = _finish(fig, style)
    _attribute(fig, attribution, style)
    return fig


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
        A FeatureCollection (e.g. :func:`ecm.maps.load_boundaries`).
    areas
        ``code`` (matching the features' ``code_property``), ``name``, ``category`` and
        ``text`` (the figure, for hover). Features with no row are drawn pale grey, "no figure".
    code_property
        The feature property holding the code, e.g. ``CTYUA23CD``.
    colours, attribution
        As for :func:`hex_map`.

    One ``go.Choropleth`` trace per category (each a one-colour scale), so the legend lists
    the categories in words; geography hidden (``visible=False``) and the view fitted to the
    areas. Show it with ``PLOTLY_CONFIG`` to work offline (see the module docstring).
    """
    _require(areas, AREA_COLUMNS, "boundary_map: areas")
    style = style_for(presentation)
    key = f"properties.{code_property}"
    categories = _ordered_categories(areas["category"], colours)
    palette = _category_colours(categories, colours)
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
    fig = _finish(fig, style)
    _attribute(fig, attribution, style)
    return fig


def _describe_areas(kind: str, frame: pd.DataFrame) -> str:
    counts = frame["category"].astype(str).value_counts().to_dict()
    order = _ordered_categories(frame["category"])
    text = f"{kind} of {len(frame)} areas: {_counts_phrase(counts, order) or 'none'}."
    worse = frame[frame["category"] == WORSE]["name"].astype(str)
    if 0 < len(worse) <= 10:
        text += f" Worse: {', '.join(worse)}."
    return text


def describe_hex_map(hexes: pd.DataFrame) -> str:
    """A text alternative of :func:`hex_map`: areas by category, naming worse ones (up to 10)."""
    _require(hexes, HEX_COLUMNS, "describe_hex_map: hexes")
    return _describe_areas("Hex map", hexes)


def describe_boundary_map(areas: pd.DataFrame) -> str:
    """A text alternative of :func:`boundary_map`, as :func:`describe_hex_map`."""
    _require(areas, AREA_COLUMNS, "describe_boundary_map: areas")
    return _describe_areas("Map", areas)
