"""The charts' shared look and helpers: palette, marker shapes, sizes, number formats, frame.

Everything here is used by more than one chart builder in :mod:`ecm.charts` (and by
:mod:`ecm.charts.plan_charts`); the reasons for the colours and shapes are in the package docstring.
"""

from __future__ import annotations

import html
import json
import textwrap
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecm.units import figure

BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not compared"
LOWER, HIGHER = "lower", "higher"
#: Untested positions (LAIT's quartile bands A-D among the places ranked), for figures that
#: cannot be tested against England. Shades of one purple, darkest for the worst quarter (so
#: the places that most need attention never look like the pale greys of context): a hue of
#: their own, so none is read as a tested better, similar or worse.
QUARTERS = ("best quarter", "second quarter", "third quarter", "worst quarter")
COMPARISONS = (BETTER, SIMILAR, WORSE, *QUARTERS, NOT_COMPARED, LOWER, HIGHER)

COLOURS = {
    BETTER: "#0072B2",  # Okabe-Ito blue
    SIMILAR: "#E69F00",  # orange
    WORSE: "#D55E00",  # vermillion
    NOT_COMPARED: "#999999",
    LOWER: "#56B4E9",  # sky blue
    HIGHER: "#CC79A7",  # reddish purple
    # ColorBrewer Purples: distinct in lightness, so they stay apart in greyscale too.
    QUARTERS[0]: "#CBC9E2",
    QUARTERS[1]: "#9E9AC8",
    QUARTERS[2]: "#756BB1",
    QUARTERS[3]: "#54278F",
}
SYMBOLS = {
    BETTER: "triangle-up",
    SIMILAR: "circle",
    WORSE: "triangle-down",
    NOT_COMPARED: "diamond",
    LOWER: "star-triangle-down",
    HIGHER: "star-triangle-up",
    QUARTERS[0]: "square",
    QUARTERS[1]: "pentagon",
    QUARTERS[2]: "hexagon",
    QUARTERS[3]: "hourglass",
}
TEXT_SYMBOLS = {
    BETTER: "▲",
    SIMILAR: "●",
    WORSE: "▼",
    NOT_COMPARED: "◆",
    LOWER: "▽",
    HIGHER: "△",
    # LAIT's band letters: the words and "untested" are in the legend and the hover text.
    QUARTERS[0]: "A",
    QUARTERS[1]: "B",
    QUARTERS[2]: "C",
    QUARTERS[3]: "D",
}
#: Further Okabe-Ito colours for categories that are not comparison words (gap buckets, series).
EXTRA_COLOURS = ("#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "x", "star")
ENGLAND_COLOUR = "#555555"
OUTLINE = "#333333"

#: An empty TopoJSON outline as a data URL: plotly.js appends "<name>.json", which the "#"
#: turns into a fragment, so the request is answered from the page with no network.
EMPTY_TOPOJSON_URL = (
    "data:application/json,"
    + urllib.parse.quote(json.dumps({"type": "Topology", "objects": {}, "arcs": []}))
    + "#"
)
#: The plotly config every chart should be shown with (see the :mod:`ecm.charts` docstring).
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "topojsonURL": EMPTY_TOPOJSON_URL}


@dataclass(frozen=True)
class Style:
    """Sizes for a screen or a projector: ``small`` is the floor for secondary text (cell
    labels, attributions), which is set a few pixels under ``font``."""

    font: int
    marker: int
    line: float
    small: int = 8


def style_for(presentation: bool) -> Style:
    """Screen sizes, or larger ones for a meeting-room screen."""
    # 20 px: the projector's smallest type (ecm.ui.presenting.SMALLEST_TYPE_PX).
    return Style(22, 18, 3.0, small=20) if presentation else Style(14, 11, 2.0)


def plain(text: object) -> str:
    """Text from data (a school's or an authority's name) as plotly shows it: its own
    characters, never markup (plotly reads ``<b>``, ``<a href>`` and entities in any text)."""
    return html.escape(str(text), quote=False)


def require(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise a ValueError naming any missing column, so a caller's mistake is plain."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{where} is missing column(s): {', '.join(missing)}")


def optional_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """An optional text column (e.g. ``link``) with blanks for missing values, or all blanks."""
    if column in frame.columns:
        return frame[column].fillna("")
    return pd.Series("", index=frame.index)


def fmt(value: Any, unit: object = "") -> str:
    """A figure as people read it (62.0%, 12.5 per 1,000, 47.6 points; "no figure" when
    missing): :func:`ecm.units.figure`, the one way every screen and export writes it."""
    return figure(value, unit or None)


def label(word: str) -> str:
    """A comparison word with its symbol ("▲ better"); other categories unchanged."""
    if word in QUARTERS:
        return f"{TEXT_SYMBOLS[word]} {word} (untested)"
    return f"{TEXT_SYMBOLS[word]} {word}" if word in TEXT_SYMBOLS else str(word)


def category_colours(categories: Sequence[str], colours: Mapping[str, str] | None) -> dict:
    """Colours for categories: given ones first, then COLOURS, then spare Okabe-Ito colours."""
    chosen: dict[str, str] = {}
    spare = iter(EXTRA_COLOURS * (len(categories) // len(EXTRA_COLOURS) + 1))
    for category in categories:
        given = (colours or {}).get(category) or COLOURS.get(category)
        chosen[category] = given if given else next(spare)
    return chosen


def ordered_categories(values: pd.Series, colours: Mapping[str, str] | None = None) -> list[str]:
    """Comparison words in their usual order, then categories in the order of ``colours``,
    then any others as first seen."""
    seen = list(dict.fromkeys(values.astype(str)))
    first = [w for w in COMPARISONS if w in seen] + [c for c in colours or {} if c in seen]
    return first + [c for c in seen if c not in first]


def counts_phrase(counts: Mapping[str, int], order: Sequence[str]) -> str:
    """ "3 better, 7 similar" for the categories that occur, in the given order."""
    return ", ".join(f"{counts[c]} {c}" for c in order if counts.get(c))


def _luminance(colour: str) -> float:
    channels = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def ink(colour: str) -> str:
    """Black or white, whichever contrasts more with a ``#RRGGBB`` background (WCAG)."""
    light = _luminance(colour)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#FFFFFF"


def wrap(title: str, width: int = 45) -> str:
    """Break a long axis title over lines (plotly does not wrap), so it is never cut off."""
    return "<br>".join(textwrap.wrap(str(title), width)) or str(title)


def interval_bars(
    value: pd.Series, lower: pd.Series, upper: pd.Series, colour: str, thickness: float, width: int
) -> dict[str, Any]:
    """Asymmetric error bars (``error_x`` or ``error_y``) from ``value`` out to an interval."""
    return {
        "type": "data",
        "symmetric": False,
        "array": (upper.astype(float) - value).to_numpy(),
        "arrayminus": (value - lower.astype(float)).to_numpy(),
        "color": colour,
        "thickness": thickness,
        "width": width,
    }


def finish(fig: go.Figure, style: Style, title: str | None = None) -> go.Figure:
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
