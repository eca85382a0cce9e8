"""Charts as PNG and SVG with their provenance footer: drawn offline by Kaleido in Chromium,
the footer's text from data written as text, never markup."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import plotly.graph_objects as go
import pytest

from ecm.charts.images import ChartImageError, chart_image, with_footer
from ecm.views.provenance import MOST_SOURCES, Provenance, chart_footer

DAY = dt.date(2026, 12, 7)
SVG = "{http://www.w3.org/2000/svg}"
OGL = "Open Government Licence v3.0"


def test_the_footer_names_place_year_sources_licences_and_date() -> None:
    sources = tuple({"file": f"ks2_{n}.csv", "licence": OGL} for n in range(MOST_SOURCES + 2))
    lines = chart_footer(Provenance("Hampshire", "2009/10", sources), DAY)
    assert lines == [
        "Hampshire · 2009/10",
        "Sources: ks2_0.csv, ks2_1.csv, ks2_2.csv and 2 more",
        OGL,
        "ECM outcomes dashboard · downloaded 2026-12-07",
    ]
    # A page that knows nothing of its place still dates the image.
    assert chart_footer(Provenance(), DAY) == ["ECM outcomes dashboard · downloaded 2026-12-07"]
    fictional = chart_footer(Provenance("Osierholt", fictional=True), DAY)
    assert fictional[1].startswith("Fictional demo data")


def test_a_chart_is_drawn_as_png_and_svg_with_its_footer_as_plain_text() -> None:
    figure = go.Figure(go.Bar(x=[1.0, 2.0], y=["a", "b"], orientation="h"), {"height": 300})
    framed = with_footer(figure, ["St <b>Mary</b>'s · 2009/10", "Source: ks2.csv"])
    assert framed.layout.height == 300 + 2 * 16 + 24 and figure.layout.height == 300
    png = chart_image(framed, "png", width=600, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 600  # the PNG's width, from its header
    assert int.from_bytes(png[20:24], "big") == 300 + 2 * 16 + 24
    svg = ElementTree.fromstring(chart_image(framed, "svg", width=600))
    texts = {"".join(element.itertext()) for element in svg.iter(f"{SVG}text")}
    # The name's own characters, with no bold made of them.
    assert "St <b>Mary</b>'s · 2009/10" in "".join(texts) and "Source: ks2.csv" in "".join(texts)
    assert not list(svg.iter(f"{SVG}b"))
    assert chart_image(framed, "png", width=600, scale=1) == png  # same chart, same bytes
    with pytest.raises(ValueError, match="png, svg"):
        chart_image(framed, "gif")
    assert issubclass(ChartImageError, RuntimeError)
