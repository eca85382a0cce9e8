"""One look for every figure: the same text in tables on screen and on the projector, in the
region's heat map, hex map and brief, and one wording for a missing or withheld figure."""

from __future__ import annotations

import math

import pandas as pd

from ecm import charts, units
from ecm.ui.presentation import blank_missing
from ecm.views.region import brief_markdown, heat_cells, rank_table, region_hexes

CELLS = pd.DataFrame(
    {
        "la_code": ["Z1", "Z1", "Z2", "Z2"],
        "la_name": ["Ashby", "Ashby", "Brant", "Brant"],
        "outcome": ["Be healthy"] * 4,
        "indicator": ["ni_53", "ni_114", "ni_53", "ni_114"],
        "title": ["Breastfeeding", "Exclusions", "Breastfeeding", "Exclusions"],
        "period": ["2009/10"] * 4,
        "value": [38.04, 0.0366, math.nan, math.nan],
        "lower": [36.1, 0.02, math.nan, math.nan],
        "upper": [40.0, 0.05, math.nan, math.nan],
        "england": [45.7, 0.08, 45.7, 0.08],
        "comparison": ["worse", "better", "not compared", "not compared"],
        "trend": ["getting worse"] * 4,
        "rank": [5.0, 1.0, math.nan, math.nan],
        "of": [8.0, 8.0, math.nan, math.nan],
        "band": ["C", "A", None, None],
        "unit": ["%", "%", "%", "%"],
        "marker": [None, None, "c", None],
    }
)


def test_the_heat_map_shows_a_missing_figure_one_way_and_says_when_it_was_withheld() -> None:
    cells = heat_cells(CELLS)
    assert list(cells["text"]) == ["38.0", "0.04", "withheld", "no figure"]
    fig = charts.heat_map(cells, "Local authority", "Indicator")
    shown = [list(row) for row in fig.data[0].text]
    # Never "◆ –" beside "no figure": a missing figure carries no comparison symbol.
    assert shown == [["▼ 38.0", "▲ 0.04"], ["withheld", "no figure"]]
    # ...and looks the same: no colour behind either words, row or no row.
    assert list(fig.data[0].z[1]) == [None, None]
    # A place with no row at all for an indicator reads the same.
    fig = charts.heat_map(cells.iloc[:3], "Local authority", "Indicator")
    assert [list(row) for row in fig.data[0].text][1] == ["withheld", "no figure"]
    assert list(fig.data[0].z[1]) == [None, None]
    assert rank_table(CELLS).iloc[1].tolist()[1:] == ["withheld", "no figure"]


def test_the_hex_map_and_brief_write_figures_as_the_tables_do() -> None:
    las = pd.DataFrame(
        {"code": ["Z1", "Z2"], "name": ["Ashby", "Brant"], "region_code": ["R", "R"]}
    )
    hexes, _ = region_hexes(CELLS, "ni_53", las, "R")
    assert list(hexes["text"]) == ["▼ 38.0", "withheld"]
    brief = {
        "la_name": "Ashby",
        "concerns": CELLS.iloc[:1].to_dict("records"),
        "worst_quarter_worsening": [],
        "improvements": [],
        "uncovered_gaps": [
            {"title": "Breastfeeding", "focus_group": "disadvantaged", "gap": 12.34, "unit": "%"}
        ],
        "off_track_actions": [],
        "significant_gaps": 1,
    }
    text = brief_markdown(brief, "2009/10").replace("\\", "")  # as it reads, escapes aside
    assert "38.0% against England's 45.7%" in text
    assert "gap 12.3 percentage points" in text


def test_a_table_reads_the_same_on_screen_and_on_the_projector() -> None:
    table = pd.DataFrame(
        {
            "Indicator": ["Breastfeeding", "Exclusions", "Reading"],
            "Size": [1.9, 12.0, math.nan],
            "Pupils": [1234.0, 56.0, 7.0],
        }
    )
    projector = units.table_text(table)
    grid = blank_missing(table).to_string(delimiter="|").splitlines()[1:]
    assert [line.split("|")[1:] for line in grid] == projector.to_numpy().tolist()
    assert projector["Size"].tolist() == ["1.9", "12.0", "no figure"]
    assert projector["Pupils"].tolist() == ["1,234", "56", "7"]
