"""Chart builders: the values on the figures, accessibility cues, and the text alternatives."""

from __future__ import annotations

import json
import urllib.parse

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm import charts
from ecm.charts import map_geometry
from ecm.charts.heat import wrapped
from ecm.config import DATA_DIR


def spine_rows(**overrides) -> pd.DataFrame:
    """Three indicators: higher is better (worse), lower is better (better), no figure."""
    rows = pd.DataFrame(
        {
            "indicator": ["KS2 reading", "Overall absence", "Looked-after children"],
            "unit": ["%", "%", "per 10,000"],
            "polarity": ["higher_is_better", "lower_is_better", "lower_is_better"],
            "value": [42.0, 6.0, np.nan],
            "england": [50.0, 10.0, 70.0],
            "worst": [30.0, 18.0, 120.0],
            "q1": [40.0, 12.0, 85.0],
            "q3": [55.0, 8.0, 55.0],
            "best": [60.0, 4.0, 30.0],
            "comparison": ["worse", "better", "not compared"],
        }
    )
    return rows.assign(**overrides)


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


# --- spine chart ------------------------------------------------------------------------------


def test_spine_scaling_puts_worst_at_0_and_england_at_half_for_a_hand_made_row() -> None:
    # England 50; worst 30 is farther than best 60, so the half-width is 20.
    scaled = charts.spine_positions(spine_rows().iloc[[0]])
    assert scaled.loc[0, "worst"] == pytest.approx(0.0, abs=1e-9)
    assert scaled.loc[0, "best"] == pytest.approx(0.75, abs=1e-9)
    assert scaled.loc[0, "value"] == pytest.approx(0.3, abs=1e-9)
    assert scaled.loc[0, "q1"] == pytest.approx(0.25, abs=1e-9)


def test_spine_scaling_puts_best_at_1_when_best_is_farthest() -> None:
    row = spine_rows().iloc[[0]].assign(worst=45.0, q1=48.0, best=80.0, value=65.0)
    scaled = charts.spine_positions(row)
    assert scaled.loc[0, "best"] == pytest.approx(1.0, abs=1e-9)
    assert scaled.loc[0, "worst"] == pytest.approx(0.5 - 5 / 60, abs=1e-9)


def test_spine_scaling_puts_best_on_the_right_when_lower_is_better() -> None:
    # England 10, worst 18, best 4: the half-width is 8 and the axis is flipped.
    scaled = charts.spine_positions(spine_rows().iloc[[1]])
    assert scaled.iloc[0]["worst"] == pytest.approx(0.0, abs=1e-9)
    assert scaled.iloc[0]["best"] == pytest.approx(0.875, abs=1e-9)
    assert scaled.iloc[0]["value"] == pytest.approx(0.75, abs=1e-9)


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better"])
def test_a_better_value_sits_right_of_england_whatever_the_polarity(polarity: str) -> None:
    if polarity == "higher_is_better":
        row = {"value": 58.0, "england": 50.0, "worst": 30.0, "q1": 45.0, "q3": 55.0, "best": 60.0}
    else:
        row = {"value": 42.0, "england": 50.0, "worst": 70.0, "q1": 55.0, "q3": 45.0, "best": 40.0}
    rows = spine_rows().iloc[[0]].assign(polarity=polarity, comparison="better", **row)
    fig = charts.spine_chart(rows)
    better = trace(fig, "Better than England")
    assert better.x[0] > 0.5
    assert trace(fig, "England").x == (0.5, 0.5)


def test_spine_chart_markers_symbols_and_order() -> None:
    rows = spine_rows()
    fig = charts.spine_chart(rows)
    worse = trace(fig, "Worse than England")
    assert worse.marker.symbol == "triangle-down"
    assert worse.marker.color == charts.COLOURS["worse"] == "#D55E00"
    assert worse.x[0] == pytest.approx(0.3) and list(worse.y) == [0]
    assert trace(fig, "Better than England").marker.symbol == "triangle-up"
    assert list(fig.layout.yaxis.ticktext) == rows["indicator"].tolist()
    assert fig.layout.yaxis.autorange == "reversed"
    assert list(fig.layout.xaxis.ticktext) == ["Worst", "England", "Best"]
    # Range bar spans worst..best in chart units; the middle half q1..q3.
    span = trace(fig, "Range of comparators (worst to best)")
    assert span.base[0] == pytest.approx(0.0) and span.x[0] == pytest.approx(0.75)


def test_spine_chart_row_without_a_figure_has_no_marker_but_says_so() -> None:
    fig = charts.spine_chart(spine_rows())
    markers = [t for t in fig.data if t.type == "scatter" and t.mode == "markers"]
    assert sorted(y for t in markers for y in t.y) == [0, 1]  # row 2 has no marker
    assert "not compared" not in {t.name.lower() for t in markers}
    hover = trace(fig, "Range of comparators (worst to best)").hovertext[2]
    assert "This area: no figure" in hover and "England: 70.0 per 10,000" in hover
    assert "KS2 reading" in trace(fig, "Worse than England").hovertext[0]
    assert "42.0%" in trace(fig, "Worse than England").hovertext[0]


def test_spine_chart_names_a_missing_column() -> None:
    with pytest.raises(ValueError, match="spine_chart: rows is missing column.*best"):
        charts.spine_chart(spine_rows().drop(columns="best"))


def test_describe_spine_chart_counts_and_names_the_worse_ones() -> None:
    text = charts.describe_spine_chart(spine_rows())
    assert text.startswith("Spine chart of 3 indicators: 1 significantly better than England")
    assert "1 significantly worse" in text and "1 with no figure" in text
    assert "KS2 reading: 42.0%, worse" in text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=6,
        max_size=6,
    )
)
def test_spine_scaling_keeps_england_central_and_everything_in_range(figures) -> None:
    england, worst, q1, q3, best, value = figures
    rows = pd.DataFrame(
        {"value": [value], "england": [england], "worst": [worst], "q1": [q1], "q3": [q3]}
    ).assign(best=best)
    scaled = charts.spine_positions(rows)
    assert ((scaled >= -1e-9) & (scaled <= 1 + 1e-9)).all().all()
    # England itself maps to the centre: add it as the "value" of a copy of the row.
    centre = charts.spine_positions(rows.assign(value=england))
    assert centre.loc[0, "value"] == pytest.approx(0.5, abs=1e-9)
    assert scaled.loc[0, "worst"] <= scaled.loc[0, "best"] + 1e-9


def test_presentation_mode_enlarges_fonts_and_markers() -> None:
    normal = charts.spine_chart(spine_rows())
    big = charts.spine_chart(spine_rows(), presentation=True)
    assert normal.layout.font.size == 14 and big.layout.font.size == 22
    assert (
        trace(big, "Worse than England").marker.size
        > trace(normal, "Worse than England").marker.size
    )


# --- funnel plot ------------------------------------------------------------------------------


@pytest.fixture
def funnel_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    limits = pd.DataFrame(
        {
            "size": [10.0, 50.0, 100.0],
            "lower95": [-10.0, 2.0, 5.0],
            "upper95": [30.0, 18.0, 15.0],
            "lower998": [-20.0, -2.0, 2.0],
            "upper998": [40.0, 22.0, 18.0],
        }
    )
    points = pd.DataFrame(
        {
            "label": ["A", "B", "C", "D"],
            "size": [20, 60, 80, 90],
            "value": [10.0, 30.0, 17.0, 0.0],
            "position": ["within", "above 99.8%", "above 95%", "below 99.8%"],
            "link": ["?school=1", "?school=2", None, "?school=4"],
        }
    )
    return points, limits


def test_funnel_limits_are_the_input_values_with_dash_styles(funnel_inputs) -> None:
    points, limits = funnel_inputs
    fig = charts.funnel_plot(points, limits, 10.0, "Gap (pp)", "Disadvantaged pupils")
    lines = [t for t in fig.data if t.name == "95% limits"]
    assert [list(t.y) for t in lines] == [limits["lower95"].tolist(), limits["upper95"].tolist()]
    assert {t.line.dash for t in lines} == {"dash"}
    dotted = [t for t in fig.data if t.name == "99.8% limits"]
    assert list(dotted[1].y) == limits["upper998"].tolist() and dotted[0].line.dash == "dot"
    assert list(trace(fig, "Centre (10.0)").y) == [10.0, 10.0]


def test_funnel_points_are_shaped_and_named_by_position(funnel_inputs) -> None:
    points, limits = funnel_inputs
    fig = charts.funnel_plot(points, limits, 10.0, "Gap (pp)", "Pupils")
    within = trace(fig, "Within the limits")
    assert within.marker.symbol == "circle" and within.marker.color == "#999999"
    above = trace(fig, "Above the 99.8% limit")
    assert above.marker.symbol == "triangle-up" and list(above.customdata[0]) == ["B", "?school=2"]
    assert trace(fig, "Below the 99.8% limit").marker.symbol == "triangle-down"
    assert trace(fig, "Above the 95% limit").marker.symbol == "triangle-up-open"
    assert fig.layout.yaxis.title.text == "Gap (pp)"


def test_funnel_rejects_unknown_positions(funnel_inputs) -> None:
    points, limits = funnel_inputs
    with pytest.raises(ValueError, match="unknown position"):
        charts.funnel_plot(points.assign(position="outside"), limits, 0, "y", "x")
    with pytest.raises(ValueError, match="limits is missing column.*upper998"):
        charts.funnel_plot(points, limits.drop(columns="upper998"), 0, "y", "x")


def test_describe_funnel_plot_counts_positions(funnel_inputs) -> None:
    text = charts.describe_funnel_plot(funnel_inputs[0], 10.0, "the gap")
    assert "4 places, centre line at 10.0" in text
    assert "1 above the 99.8% limit" in text and "1 within the limits" in text
    assert "Above the 99.8% limit: B (30.0)." in text


def test_long_axis_titles_wrap_rather_than_run_off(funnel_inputs) -> None:
    title = "Gap (percentage points; positive = disadvantaged pupils worse off)"
    fig = charts.funnel_plot(*funnel_inputs, 0, title, "Pupils")
    assert fig.layout.yaxis.title.text.replace("<br>", " ") == title


# --- trend chart ------------------------------------------------------------------------------


@pytest.fixture
def series() -> pd.DataFrame:
    periods = ["2007/08", "2005/06", "2006/07"]  # input order, not sorted order
    return pd.DataFrame(
        {
            "name": ["Camden"] * 3 + ["England"] * 3,
            "period": periods * 2,
            "value": [50.0, 52.0, 55.0, 60.0, 61.0, 62.0],
            "lower": [47.0, 49.0, 52.0, np.nan, np.nan, np.nan],
            "upper": [53.0, 55.0, 58.0, np.nan, np.nan, np.nan],
        }
    )


def test_trend_chart_lines_periods_and_intervals(series) -> None:
    fig = charts.trend_chart(series, "KS2 (%)")
    assert list(fig.layout.xaxis.categoryarray) == ["2007/08", "2005/06", "2006/07"]
    england = trace(fig, "England")
    assert england.line.dash == "dash" and england.line.color == charts.ENGLAND_COLOUR
    camden = trace(fig, "Camden")
    assert camden.line.dash == "solid" and camden.mode == "lines+markers"
    assert list(camden.error_y.array) == [3.0, 3.0, 3.0]
    assert camden.marker.symbol != england.marker.symbol
    assert list(england.customdata[0][:2]) == ["no figure", "no figure"]
    assert "95% interval: %{customdata[0]} to %{customdata[1]}" in england.hovertemplate


def test_describe_trend_chart(series) -> None:
    text = charts.describe_trend_chart(series, "KS2 (%)")
    assert "2 series over 3 periods (2007/08 to 2006/07)" in text
    assert "Camden from 50.0 in 2007/08 to 55.0 in 2006/07, up 5.0" in text


def test_a_trend_sentence_needs_three_figures(series) -> None:
    one = series[(series["name"] == "Camden") & (series["period"] == "2006/07")]
    assert charts.describe_trend_chart(one, "KS2 (%)") == (
        "Trend chart of KS2 (%), 1 series over 1 periods (2006/07): "
        "Camden: 55.0 in 2006/07 (one figure, no trend)."
    )
    two = series[(series["name"] == "Camden") & (series["period"] != "2005/06")]
    assert "Camden: 50.0 in 2007/08 and 55.0 in 2006/07 (two figures, too few for a trend)" in (
        charts.describe_trend_chart(two, "KS2 (%)")
    )
    flat = series.assign(value=50.0)
    assert "Camden from 50.0 in 2007/08 to 50.0 in 2006/07, no change" in (
        charts.describe_trend_chart(flat, "KS2 (%)")
    )
    # One year held three times is one figure: never "from 47.6 in 2018/19 to 47.6 in 2018/19".
    repeated = pd.concat([one] * 3, ignore_index=True).assign(value=47.6)
    said = charts.describe_trend_chart(repeated, "KS2 (%)")
    assert "Camden: 47.6 in 2006/07 (one figure, no trend)" in said
    assert "to 47.6 in 2006/07" not in said
    # A change smaller than the figures as written show is no change, never "up 0.0".
    tiny = series[series["name"] == "Camden"].assign(value=[-0.12, -0.11, -0.08])
    assert "Camden from -0.1 in 2007/08 to -0.1 in 2006/07, no change" in (
        charts.describe_trend_chart(tiny, "KS2 (%)")
    )


# --- ranked gaps ------------------------------------------------------------------------------


@pytest.fixture
def gaps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Hackney", "Camden", "Brent"],
            "gap": [18.0, 9.0, 2.0],
            "lower": [14.0, 2.0, -3.0],
            "upper": [22.0, 16.0, 7.0],
            "significant": [True, True, False],
        }
    )


def test_ranked_gaps_fill_significant_ones_and_mark_zero(gaps) -> None:
    fig = charts.ranked_gaps(gaps, "Gap (pp)")
    significant = trace(fig, "Significant (interval excludes zero)")
    assert significant.marker.symbol == "circle" and list(significant.text) == ["significant"] * 2
    assert list(significant.y) == [0, 1] and list(significant.error_x.array) == [4.0, 7.0]
    other = trace(fig, "Not significant")
    assert other.marker.symbol == "circle-open" and list(other.x) == [2.0]
    assert list(fig.layout.yaxis.ticktext) == ["Hackney", "Camden", "Brent"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert any(s.x0 == 0 and s.x1 == 0 for s in fig.layout.shapes)


def test_describe_ranked_gaps(gaps) -> None:
    text = charts.describe_ranked_gaps(gaps, "percentage points")
    assert "3 places: 2 significant, 1 not significant" in text
    assert "Largest: Hackney, 18.0 (95% interval 14.0 to 22.0, significant)" in text
    some = charts.describe_ranked_gaps(gaps, "percentage points", of=150)
    assert "for the widest and narrowest 3 of 150 places" in some


def test_gaps_without_intervals_are_marked_not_tested(gaps) -> None:
    # LAIT-style figures: published without counts, so no interval and no test.
    untested = gaps.assign(lower=[14.0, None, None], upper=[22.0, None, None])
    fig = charts.ranked_gaps(untested, "Gap (pp)")
    marked = trace(fig, "Not tested (no interval)")
    assert marked.marker.symbol == "diamond-open" and list(marked.x) == [9.0, 2.0]
    assert list(trace(fig, "Significant (interval excludes zero)").x) == [18.0]
    assert "no interval" in marked.customdata[0][1]
    text = charts.describe_ranked_gaps(untested.iloc[1:], "points")
    assert "0 significant, 0 not significant, 2 not tested (no interval)" in text
    assert "Largest: Camden, 9.0 (no interval: published without counts, not tested)" in text


# --- heat map ---------------------------------------------------------------------------------


@pytest.fixture
def cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": ["Camden", "Camden", "Brent", "Brent"],
            "column": ["KS2", "Absence", "KS2", "Absence"],
            "comparison": ["better", "worse", "similar", "worse"],
            "text": ["71.2%", "5.1%", "65.0%", "5.5%"],
        }
    )


def test_heat_map_cells_start_with_their_symbol(cells) -> None:
    fig = charts.heat_map(cells, "Local authority", "Indicator")
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert list(heat.y) == ["Camden", "Brent"] and list(heat.x) == ["KS2", "Absence"]
    assert heat.text[0][0] == "▲ 71.2%" and heat.text[0][1] == "▼ 5.1%"
    assert heat.text[1][0].startswith(charts.TEXT_SYMBOLS["similar"])
    assert list(heat.customdata[0][1]) == ["worse", "5.1%", ""]
    assert "Local authority: %{y}" in heat.hovertemplate
    # Each category's integer code lands on its own colour.
    assert heat.z[0][0] == 0 and heat.z[0][1] == 2 and heat.z[1][0] == 1
    legend = [t.name for t in fig.data[1:]]
    assert legend == ["▲ better", "● similar", "▼ worse"]


def test_heat_map_hover_carries_each_cells_interval(cells) -> None:
    cells = cells.assign(detail=["95% interval 69.0 to 73.4", "no interval", "", ""])
    heat = charts.heat_map(cells, "Local authority", "Indicator").data[0]
    assert list(heat.customdata[0][0]) == ["better", "71.2%", "<br>95% interval 69.0 to 73.4"]
    assert list(heat.customdata[0][1]) == ["worse", "5.1%", "<br>no interval"]
    assert list(heat.customdata[1][0]) == ["similar", "65.0%", ""]
    assert "%{customdata[2]}" in heat.hovertemplate


def test_a_heat_map_cell_without_a_figure_says_so(cells) -> None:
    heat = charts.heat_map(cells.iloc[:3], "Local authority", "Indicator").data[0]
    assert heat.text[1][1] == "no figure"
    assert heat.customdata[1][1][0] == "no figure"


def test_a_presented_heat_map_names_every_row_and_wraps_long_column_titles(cells) -> None:
    long = cells.assign(column=cells["column"].replace(
        {"KS2": "Emotional and behavioural health of looked-after children (SDQ) <b>"}
    ))  # fmt: skip
    fig = charts.heat_map(long, "Local authority", "Indicator", presentation=True)
    assert list(fig.layout.yaxis.tickvals) == ["Camden", "Brent"]
    assert fig.layout.xaxis.tickangle == 0
    title = fig.layout.xaxis.ticktext[0]
    # Level lines of words, markup from a title shown as text.
    assert title == "Emotional and behavioural health of looked-<br>after children (SDQ) &lt;b&gt;"
    # At most three lines, the last cut with an ellipsis when the words do not fit.
    assert wrapped("Emotional and behavioural health of looked-after children", 12) == (
        "Emotional<br>and<br>behavioural…"
    )
    assert fig.layout.xaxis.ticktext[1] == "Absence"
    assert fig.layout.height == 300  # the floor; 19 authorities: 24 * 19 + 130
    assert fig.layout.xaxis.title.text is None


def test_describe_heat_map(cells) -> None:
    text = charts.describe_heat_map(cells, "local authorities", "indicators")
    assert text.startswith("Heat map of 2 local authorities by 2 indicators (4 cells)")
    assert "1 better, 1 similar, 2 worse" in text


# --- distribution -----------------------------------------------------------------------------


def test_distribution_marks_the_median() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 10.0, np.nan])
    fig = charts.distribution(values, "Absence (%)")
    assert list(fig.data[0].x) == [1.0, 2.0, 3.0, 10.0]
    assert fig.layout.shapes[0].x0 == pytest.approx(2.5)
    assert fig.layout.annotations[0].text == "Median 2.5"
    text = charts.describe_distribution(values, "absence (%)")
    assert "4 places: median 2.5" in text and "range 1.0 to 10.0" in text


# --- maps -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_hexes() -> tuple[pd.DataFrame, str]:
    frame, layout = map_geometry.load_hexes()
    words = ["better", "similar", "worse", "not compared"]
    frame = frame.assign(category=[words[i % 4] for i in range(len(frame))], text="50.0%")
    return frame, layout


def test_hex_map_draws_one_closed_hexagon_per_area(real_hexes) -> None:
    frame, layout = real_hexes
    fig = charts.hex_map(frame, layout, attribution=map_geometry.HEX_ATTRIBUTION)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in fills] == ["▲ better", "● similar", "▼ worse", "◆ not compared"]
    polygons = []
    for t in fills:
        xs, ys = list(t.x), list(t.y)
        starts = [0] + [i + 1 for i, v in enumerate(xs) if v is None][:-1]
        for start in starts:
            end = xs.index(None, start)
            polygons.append(list(zip(xs[start:end], ys[start:end], strict=True)))
    assert len(polygons) == len(frame) == 153
    assert all(len(p) == 7 and p[0] == p[-1] for p in polygons)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    labels = fig.data[-1]
    assert labels.text[0].startswith("▲") and "50.0%" in labels.customdata[0][2]
    assert fig.layout.annotations[0].text == map_geometry.HEX_ATTRIBUTION


def test_hex_labels_are_unique_nationally_and_within_each_region() -> None:
    las = pd.read_csv(DATA_DIR / "local_authorities.csv", dtype=str)
    assert len(las) >= 150
    labels = charts.unique_labels(las["name"])
    assert len({label.lower() for label in labels.values()}) == len(las["name"].unique())
    for _, region in las.groupby("region_code"):
        shown = [labels[name].lower() for name in region["name"]]
        assert len(shown) == len(set(shown))
    # The three "Har"s and three "ST"s the issue saw, each now its own.
    assert [labels[n] for n in ("Harrow", "Haringey", "Hartlepool")] == ["Harr", "Hari", "Hart"]
    assert [labels[n] for n in ("Stoke-on-Trent", "Stockton-on-Tees", "South Tyneside")] == [
        "StokT",
        "StocT",
        "SoT",
    ]
    # Labels that were already unique stay short; shires take the usual "s".
    assert labels["Birmingham"] == "Bir" and labels["Kensington and Chelsea"] == "KC"
    assert labels["Derbyshire"] == "Ders" and labels["Derby"] == "Der"


def test_hex_map_labels_are_unique_and_hover_gives_the_full_name(real_hexes) -> None:
    frame, layout = real_hexes
    labels = charts.hex_map(frame, layout).data[-1]
    names = [row[0] for row in labels.customdata]
    short = [text.split("<br>")[-1] for text in labels.text]
    assert len(set(short)) == len(short) == len(frame)
    assert names == list(frame["name"])


def test_hex_map_labels_use_ink_that_contrasts(real_hexes) -> None:
    fig = charts.hex_map(*real_hexes)
    colours = list(fig.data[-1].textfont.color)
    assert colours[0] == "#FFFFFF"  # white on blue (better)
    assert colours[1] == "#000000"  # black on orange (similar)
    assert charts.ink("#0072B2") == "#FFFFFF" and charts.ink("#E69F00") == "#000000"


def test_hex_map_other_categories_take_given_colours_in_order() -> None:
    frame = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "name": ["Kensington and Chelsea", "Birmingham", "Leeds"],
            "q": [0, 1, 2],
            "r": [0, 0, 0],
            "category": ["10+ pp", "under 5 pp", "5-10 pp"],
            "text": ["12", "3", "7"],
        }
    )
    palette = {"under 5 pp": "#FFFFCC", "5-10 pp": "#FD8D3C", "10+ pp": "#BD0026"}
    fig = charts.hex_map(frame, "odd-r", colours=palette)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in fills] == list(palette)
    assert [t.fillcolor for t in fills] == list(palette.values())
    assert list(fig.data[-1].text) == ["KC", "Bir", "Lee"]


def test_boundary_map_is_a_choropleth_of_the_features(real_hexes) -> None:
    areas = real_hexes[0][["code", "name", "category", "text"]].iloc[:-1]
    geojson = map_geometry.load_boundaries()
    fig = charts.boundary_map(geojson, areas, map_geometry.BOUNDARY_CODE)
    choropleths = [t for t in fig.data if t.type == "choropleth"]
    assert {t.featureidkey for t in choropleths} == {"properties.CTYUA23CD"}
    assert [t.name for t in choropleths][:4] == [
        "▲ better",
        "● similar",
        "▼ worse",
        "◆ not compared",
    ]
    assert choropleths[-1].name == "no figure" and len(choropleths[-1].locations) == 1
    assert sum(len(t.locations) for t in choropleths) == 153
    worse = trace(fig, "▼ worse")
    assert worse.colorscale[0][1] == worse.colorscale[-1][1] == charts.COLOURS["worse"]
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"


def test_plotly_config_keeps_maps_offline() -> None:
    url = charts.PLOTLY_CONFIG["topojsonURL"]
    assert url.startswith("data:application/json,") and url.endswith("#")
    topology = json.loads(urllib.parse.unquote(url[len("data:application/json,") : -1]))
    assert topology == {"type": "Topology", "objects": {}, "arcs": []}


def test_describe_maps_count_categories(real_hexes) -> None:
    text = charts.describe_hex_map(real_hexes[0])
    assert text.startswith("Hex map of 153 areas: 39 better, 38 similar, 38 worse")
    areas = real_hexes[0][["code", "name", "category", "text"]].head(8)
    assert "Worse: " in charts.describe_boundary_map(areas)


# --- common -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("builder", "args"),
    [
        (charts.trend_chart, (pd.DataFrame({"name": []}), "y")),
        (charts.ranked_gaps, (pd.DataFrame({"label": []}), "x")),
        (charts.heat_map, (pd.DataFrame({"row": []}), "r", "c")),
        (charts.hex_map, (pd.DataFrame({"code": []}), "odd-r")),
        (charts.boundary_map, ({"features": []}, pd.DataFrame({"code": []}), "X")),
    ],
)
def test_every_builder_names_its_missing_columns(builder, args) -> None:
    with pytest.raises(ValueError, match="is missing column"):
        builder(*args)


def test_every_comparison_word_has_a_colour_symbol_and_text_symbol() -> None:
    for word in charts.COMPARISONS:
        assert word in charts.COLOURS and word in charts.SYMBOLS and word in charts.TEXT_SYMBOLS
    assert len(set(charts.SYMBOLS.values())) == len(charts.SYMBOLS)
    assert len(set(charts.TEXT_SYMBOLS.values())) == len(charts.TEXT_SYMBOLS)
    assert charts.COLOURS["better"] == "#0072B2" and charts.SYMBOLS["worse"] == "triangle-down"
    assert charts.fmt(np.nan) == "no figure" and charts.fmt(62, "%") == "62.0%"


def test_spine_scaling_of_a_subnormal_spread_stays_on_the_chart() -> None:
    rows = pd.DataFrame(
        {"value": [5e-324], "england": [0.0], "worst": [0.0], "q1": [0.0], "q3": [0.0],
         "best": [0.0]}
    )  # fmt: skip
    scaled = charts.spine_positions(rows)
    assert scaled.loc[0, "value"] == 0.5 and scaled.loc[0, "best"] == 0.5


#: A name from data written like markup: plotly reads tags and entities in any text it shows.
MARKUP = "<b>Bold</b> & <a href='javascript:alert(1)'>Link</a>"


def test_names_from_data_are_drawn_as_written_in_every_chart_never_as_markup(
    gaps,
    funnel_inputs,
    cells,  # noqa: ANN001
) -> None:
    points, limits = funnel_inputs
    hexes = pd.DataFrame(
        {"code": ["Z1", "Z2"], "name": [MARKUP, "Leeds"], "q": [0, 1], "r": [0, 0],
         "category": ["better", "worse"],
         "text": ["1", "2"]}
    )  # fmt: skip
    figures = {
        "gaps": charts.ranked_gaps(gaps.assign(label=[MARKUP, "Camden", "Brent"]), "Gap"),
        "funnel": charts.funnel_plot(
            points.assign(label=MARKUP), limits, 10.0, "Gap (pp)", "Disadvantaged pupils"
        ),
        "heat": charts.heat_map(
            cells.assign(row=cells["row"].replace("Camden", MARKUP)), "Authority", "Indicator"
        ),
        "hex": charts.hex_map(hexes, "odd-r"),
    }
    for name, fig in figures.items():
        text = fig.to_json()
        assert "<b>Bold" not in text and "<a href" not in text, name
        assert "&lt;b&gt;Bold&lt;" in text and "&amp; &lt;a href='javascript:" in text, name
