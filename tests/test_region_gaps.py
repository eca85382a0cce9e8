"""Gap trends across a region's authorities, checked against the figures by hand."""

from __future__ import annotations

import pandas as pd

from ecm.figures import queries
from ecm.figures.many_places import load_area_series
from ecm.places.region_gaps import TREND_ORDER, region_gap_trends
from ecm.views.region import gap_trend_table


def test_each_authoritys_gap_is_other_pupils_minus_disadvantaged(demo_engine) -> None:
    region = queries.load_regions(demo_engine).iloc[0]["code"]
    trends = region_gap_trends(demo_engine, region, "ni_73", "disadvantaged")
    las = queries.load_local_authorities(demo_engine, region)
    table = trends.authorities
    assert set(table["la_code"]) == set(las["code"])
    assert trends.comparator_group == "not_disadvantaged"
    assert len(trends.periods) == 5
    # KS2 is higher-is-better: the gap is other pupils' value minus the disadvantaged value.
    row = table.iloc[0]
    latest = trends.periods[-1]
    figures = load_area_series(
        demo_engine, "ni_73", "la", row["la_code"], ["disadvantaged", "not_disadvantaged"]
    )
    values = figures[figures["period"] == latest].set_index("group_code")["value"]
    assert abs(row[latest] - (values["not_disadvantaged"] - values["disadvantaged"])) < 1e-9
    assert row["lower"] < row[latest] < row["upper"]
    # Widening first, then by the latest gap, widest first.
    order = [TREND_ORDER[t] for t in table["trend"]]
    assert order == sorted(order)
    # The series holds the region's own gap and England's in every period shown.
    assert sorted(trends.series["name"].unique()) == sorted(
        ["England", queries.load_regions(demo_engine).iloc[0]["name"]]
    )
    assert set(trends.series["period"]) == set(trends.periods)


def test_the_table_shows_years_interval_trend_and_link(demo_engine) -> None:
    region = queries.load_regions(demo_engine).iloc[0]["code"]
    trends = region_gap_trends(demo_engine, region, "ni_73", "disadvantaged")
    table = gap_trend_table(trends.authorities, trends.periods, "points")
    first = trends.authorities.iloc[0]
    latest = trends.periods[-1]
    assert list(table.columns) == [
        "Local authority",
        *[f"{p} (points)" for p in trends.periods],
        "Latest 95% interval",
        "Trend of the gap",
        "Link",
    ]
    assert table.iloc[0][f"{latest} (points)"] == f"{first[latest]:.1f}"
    assert table.iloc[0]["Latest 95% interval"] == f"{first['lower']:.1f} to {first['upper']:.1f}"
    assert table.iloc[0]["Link"] == f"/area?la={first['la_code']}"


def test_a_period_before_any_figure_gives_an_empty_result(demo_engine) -> None:
    region = queries.load_regions(demo_engine).iloc[0]["code"]
    trends = region_gap_trends(demo_engine, region, "ni_73", "disadvantaged", "1990/91")
    assert trends.periods == [] and trends.authorities.empty
    assert gap_trend_table(trends.authorities, trends.periods, "points").empty


def test_region_pickers_open_on_figures_that_say_something() -> None:
    from ecm.views.region import gap_trend_choices, map_choices, outcome_choices

    cells = pd.DataFrame(
        {
            "outcome": ["Enjoy and achieve"] * 4 + ["Be healthy"] * 2,
            "indicator": ["imd", "imd", "ks2", "ks2", "obesity", "obesity"],
            "title": ["Deprivation", "Deprivation", "KS2", "KS2", "Obesity", "Obesity"],
            "comparison": ["not compared", "not compared", "worse", "better", "similar", "worse"],
        }
    )
    act_order = ["Be healthy", "Stay safe", "Enjoy and achieve"]
    assert outcome_choices(cells, act_order) == ["Be healthy", "Enjoy and achieve"]
    titles, opening = map_choices(cells, "Enjoy and achieve")
    assert titles == {"imd": "Deprivation", "ks2": "KS2"} and opening == "ks2"
    counts = pd.DataFrame(
        {
            "indicator": ["ks2", "ks4", "ks2"],
            "focus_group": ["disadvantaged", "disadvantaged", "sen"],
            "authorities": [3, 7, 2],
        }
    )
    choices = gap_trend_choices(counts, {"ks2": "KS2", "ks4": "KS4"}, "disadvantaged")
    assert list(choices.items()) == [("ks4", "KS4"), ("ks2", "KS2")]
    assert gap_trend_choices(counts, {}, "boys") == {}


def test_the_widening_count_is_out_of_the_authorities_that_could_be_tested() -> None:
    from ecm.views.region import gap_trend_sentence

    trends = pd.DataFrame({"trend": ["widening", "narrowing", "not enough data", "widening"]})
    text = gap_trend_sentence(trends, "disadvantaged pupils")
    assert "**widening in 2** of the 3 authorities whose trend could be tested" in text
    assert text.endswith(" 1 have too few figures for either.")
    untested = gap_trend_sentence(trends.assign(trend="not enough data"), "boys")
    assert untested.startswith("No authority's gap between boys and their peers can be tested")
    # Authorities with figures but no intervals: their untested direction, counted apart.
    directed = pd.DataFrame(
        {"trend": ["widening (untested)", "no clear change", "narrowing (untested)", "widening"]}
    )
    text = gap_trend_sentence(directed, "boys")
    assert "**widening in 1** of the 1 authorities whose trend could be tested" in text
    assert "it widens in **1** of 3 more." in text and "too few" not in text
