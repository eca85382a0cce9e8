"""Charts as image files (PNG, SVG) with a provenance footer, drawn offline by plotly's own
engine in Chromium (Kaleido), for downloads and meeting packs.

Kaleido drives the machine's Chromium, so no network is needed: plotly.js comes from the
plotly package and MathJax (which charts here never use) is switched off, since its default is
a CDN. One Chromium is started on first use and kept for the life of the process (starting one
costs about two seconds, drawing a chart with it about a tenth of that); drawings are made one
at a time under a lock because the server is shared by every session of the app.
"""

from __future__ import annotations

import atexit
import copy
import threading
import warnings
from collections.abc import Sequence

import plotly.graph_objects as go

from ecm.charts.style import EMPTY_TOPOJSON_URL, plain

#: The formats a chart downloads as, with their MIME types.
IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
#: Pixels per footer line at the chart's base font.
_LINE_PX = 16

_LOCK = threading.Lock()
_started = False


class ChartImageError(RuntimeError):
    """The chart could not be drawn as an image (no Chromium, or it failed)."""


def chart_image(figure: go.Figure, fmt: str = "png", width: int = 1000, scale: float = 2) -> bytes:
    """``figure`` as PNG or SVG bytes, ``width`` pixels wide at its own height (PNG at
    ``scale`` times the pixels, sharp in print)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"charts are drawn as {', '.join(IMAGE_FORMATS)}, not {fmt!r}")
    import kaleido
    import plotly.io as pio

    global _started
    height = figure.layout.height or 450
    with _LOCK:
        try:
            if not _started:
                # The map's world outline is the page's empty one, never plotly's CDN.
                pio.defaults.topojson = EMPTY_TOPOJSON_URL
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
                atexit.register(kaleido.stop_sync_server, silence_warnings=True)
                _started = True
            with warnings.catch_warnings():  # "kopts is ignored when using a server": as meant
                warnings.simplefilter("ignore", UserWarning)
                return pio.to_image(
                    figure,
                    format=fmt,
                    width=width,
                    height=height,
                    scale=scale if fmt == "png" else 1,
                )
        except Exception as error:  # Kaleido raises many kinds; the caller needs one
            raise ChartImageError(
                f"the chart could not be drawn as {fmt.upper()}: {error}"
            ) from error


def with_footer(figure: go.Figure, lines: Sequence[str]) -> go.Figure:
    """A copy of ``figure`` with ``lines`` written small below it (place, year, sources,
    licence, date: what a chart carried away from its page needs to say), the chart's height
    grown to hold them. Text from data is written as plain text, never markup."""
    framed = go.Figure(copy.deepcopy(figure))
    margin = framed.layout.margin
    bottom = (margin.b if margin and margin.b is not None else 60) + _LINE_PX * len(lines) + 24
    height = (framed.layout.height or 450) + _LINE_PX * len(lines) + 24
    framed.update_layout(height=height, margin={"b": bottom})
    framed.add_annotation(
        text="<br>".join(plain(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom - 8),
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#333333"},
    )
    return framed
