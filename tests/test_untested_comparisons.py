"""Figures published without counts: compared by their quarter among all LAs and their rank
among statistical neighbours, with a direction of travel, all said to be untested; and the
region's second tier (worst quarter and worsening) on real LAIT data."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from ecm.importers import import_file
from ecm.periods import period_aliases
from ecm.stats.benchmarks import NOT_COMPARED, QUARTER_WORDS, standing
from ecm.stats.direction import (
    FALLING,
    IMPROVING,
    NO_CLEAR_CHANGE,
    RISING,
    WORSENING,
    direction_by_polarity,
    direction_of_travel,
    direction_of_values,
    trend_words,
)
from ecm.stats.trends import NOT_ENOUGH
from tests.helpers import REAL, drop_database, fresh_engine

HAMPSHIRE, SOUTH_EAST, YEAR = "E10000014", "E12000008", "2018/19"


# --- the rule, on made-up series -------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "direction"),
    [
        ([50, 52, 55], RISING),
        ([55, 52, 50], FALLING),
        ([50, 52, 52], NO_CLEAR_CHANGE),  # a level step is not a rise
        ([50, 49, 53], NO_CLEAR_CHANGE),  # three points: no step against the run
        ([50, 49, 52, 54], RISING),  # four or five: one step against is allowed
        ([50, 49, 48, 54], NO_CLEAR_CHANGE),  # two against is not
        ([50, 51, 52, 53, 49], NO_CLEAR_CHANGE),  # rose, then fell below the start
        ([60, 58, 59, 55, 54], FALLING),
    ],
)
def test_the_direction_of_travel_follows_its_stated_rule(values, direction) -> None:
    assert direction_of_values(np.array(values, float)) == direction


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=3, max_size=5)
)
def test_a_series_turned_upside_down_travels_the_other_way(values) -> None:
    forward = direction_of_values(np.array(values))
    backward = direction_of_values(-np.array(values))
    assert {forward, backward} in ({RISING, FALLING}, {NO_CLEAR_CHANGE})


def test_directions_need_three_points_within_five_years_and_say_so() -> None:
    figures = pd.DataFrame(
        {
            "area": ["a"] * 4 + ["b"] * 2,
            # 2012/13 is more than five years before a's latest: left out.
            "period": ["2012/13", "2016/17", "2017/18", "2018/19", "2017/18", "2018/19"],
            "value": [10.0, 50.0, 52.0, 55.0, 1.0, 2.0],
        }
    )
    result = direction_of_travel(figures, ["area"]).set_index("area")
    assert result.loc["a", "direction"] == RISING and result.loc["a", "points"] == 3
    assert result.loc["b", "direction"] == NOT_ENOUGH


def test_untested_words_never_take_the_tested_ones() -> None:
    assert direction_by_polarity(RISING, "higher_is_better") == IMPROVING
    assert direction_by_polarity(RISING, "lower_is_better") == WORSENING
    assert direction_by_polarity(RISING, "neither") == RISING
    # A tested trend wins; the direction is used only where no test could be made.
    assert trend_words("increasing", RISING, "lower_is_better") == "getting worse"
    assert trend_words(NOT_ENOUGH, FALLING, "lower_is_better") == IMPROVING
    assert trend_words(np.nan, np.nan, "higher_is_better") == NOT_ENOUGH
    assert standing("worse", "A", "higher_is_better") == "worse"
    assert standing(NOT_COMPARED, "D", "higher_is_better") == "worst quarter"
    # A context measure's band says nothing about doing well or badly.
    assert standing(NOT_COMPARED, "D", "neither") == NOT_COMPARED


# --- on real LAIT data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lait_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """LAIT's figures for every LA (values without counts) and the 2025 neighbour sets."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("lait_store"))
    import_file(engine, REAL / "lait" / "bds_long_0.parquet")
    import_file(engine, REAL / "lait" / "sn_may_2025.xlsx")
    yield engine
    engine.dispose()
    drop_database(url)


@pytest.fixture(scope="module")
def hampshire(lait_store: Engine) -> pd.DataFrame:
    from ecm.places.profile import build_profile

    profile = build_profile(lait_store, "la", HAMPSHIRE, YEAR)
    observations = pd.DataFrame(profile["observations"])
    return observations[observations["group"] == "all"].reset_index(drop=True)


@pytest.mark.realdata
def test_a_figure_without_counts_shows_its_quarter_and_rank_among_all_las(
    lait_store: Engine, hampshire: pd.DataFrame
) -> None:
    from ecm.figures import queries

    untested = hampshire[hampshire["lower"].isna() & hampshire["value"].notna()]
    ranked = untested[untested["polarity"].isin(["higher_is_better", "lower_is_better"])]
    assert len(ranked) >= 20
    peers = queries.load_peer_figures(lait_store, "la", sorted(period_aliases(YEAR)))
    peers = peers[(peers["group_code"] == "all") & peers["value"].notna()]
    for o in ranked.itertuples(index=False):
        mine = (peers["indicator_code"] == o.indicator) & (peers["period"] == o.period)
        values = peers.loc[mine, "value"].to_numpy(float)
        # The stored value, not the profile's (rounded to four decimals for JSON).
        (own,) = peers.loc[mine & (peers["area_code"] == HAMPSHIRE), "value"]
        assert own == pytest.approx(o.value, abs=1e-4)
        # Rank 1 is the best by polarity; ties share the best rank.
        ahead = values > own if o.polarity == "higher_is_better" else values < own
        assert o.rank["rank"] == 1 + int(ahead.sum()), o.indicator
        assert o.rank["of"] == len(values)
        assert o.standing == QUARTER_WORDS[o.rank["band"]]
        assert o.benchmarks["england"] == NOT_COMPARED  # nothing untested is called significant


@pytest.mark.realdata
def test_a_figure_is_ranked_among_its_statistical_neighbours(
    lait_store: Engine, hampshire: pd.DataFrame
) -> None:
    from ecm.figures import queries

    codes = queries.load_neighbour_codes(lait_store, HAMPSHIRE)
    peers = queries.load_peer_figures(lait_store, "la", sorted(period_aliases(YEAR)))
    neighbours = peers[peers["area_code"].isin(codes) & (peers["group_code"] == "all")]
    checked = 0
    for o in hampshire.itertuples(index=False):
        mine = (neighbours["indicator_code"] == o.indicator) & (neighbours["period"] == o.period)
        others = neighbours.loc[mine, "value"].dropna()
        if pd.isna(o.neighbour_rank):
            assert len(others) < 3 or pd.isna(o.value) or o.polarity == "neither"
            continue
        ahead = others > o.value if o.polarity == "higher_is_better" else others < o.value
        assert (o.neighbour_rank, o.neighbour_of) == (1 + ahead.sum(), len(others) + 1)
        checked += 1
    assert checked >= 20


@pytest.mark.realdata
def test_a_value_only_series_gets_its_direction_of_travel(
    lait_store: Engine, hampshire: pd.DataFrame
) -> None:
    from ecm.catalogue import series_breaks
    from ecm.figures import queries
    from ecm.periods import period_start

    area = queries.resolve_area(lait_store, "la", HAMPSHIRE)
    figures = queries.load_area_figures(lait_store, area)
    own = figures[
        (figures["area_code"] == HAMPSHIRE)
        & (figures["group_code"] == "all")
        & figures["value"].notna()
        & (figures["period"].map(period_start) <= period_start(YEAR))
    ]
    directed = 0
    for o in hampshire[hampshire["lower"].isna()].itertuples(index=False):
        series = own[own["indicator_code"] == o.indicator].assign(
            x=lambda f: f["period"].map(period_start)
        )
        # Within five years, and from the indicator's latest series break on.
        breaks = series_breaks()
        starts = breaks.loc[
            (breaks["indicator_code"] == o.indicator) & (breaks["first_year"] <= series["x"].max()),
            "first_year",
        ]
        first = max(period_start(YEAR) - 4, starts.max() if len(starts) else 0)
        series = series[series["x"] >= first].sort_values("x")
        if len(series) < 3:
            assert o.trend == NOT_ENOUGH
            continue
        expected = direction_by_polarity(
            direction_of_values(series["value"].to_numpy(float)), o.polarity
        )
        assert o.trend == expected, o.indicator
        directed += 1
    assert directed >= 20


@pytest.mark.realdata
def test_the_region_lists_authorities_in_the_worst_quarter_and_worsening(
    lait_store: Engine,
) -> None:
    from ecm.places.overview import region_overview
    from ecm.views.region import worse_and_worsening, worst_quarter_and_worsening

    cells = region_overview(lait_store, SOUTH_EAST, YEAR).cells
    assert cells["la_code"].nunique() == 19
    second = worst_quarter_and_worsening(cells)
    chosen = cells[(cells["band"] == "D") & cells["lower"].isna() & (cells["trend"] == WORSENING)]
    chosen = chosen[chosen["comparison"] != "worse"]  # a publisher-tested figure is tier one
    assert len(second) == len(chosen) > 0
    assert set(second["Local authority"]) == set(chosen["la_name"])
    # Tier one holds tested figures only: LAIT's values have no interval or test.
    assert worse_and_worsening(cells).empty
    # The heat map says what an untested cell rests on.
    from ecm.views.region import heat_cells

    heat = heat_cells(cells)
    quarter = heat[heat["comparison"] == "worst quarter"]
    assert quarter["detail"].str.contains("authorities with a figure \\(untested\\)").all()


@pytest.mark.realdata
def test_the_area_lists_its_untested_figures_in_the_worst_quarter_worsening_first(
    lait_store: Engine, hampshire: pd.DataFrame
) -> None:
    from ecm.places.overview import area_overview
    from ecm.views.area import concern_tables

    overview = area_overview(lait_store, HAMPSHIRE, YEAR)
    expected = hampshire[[bool(r) and r["band"] == "D" for r in hampshire["rank"]]]
    expected = expected[expected["lower"].isna() & (expected["polarity"] != "neither")]
    assert sorted(overview.worst_quarter["indicator"]) == sorted(expected["indicator"])
    assert len(expected) > 0
    trends = list(overview.worst_quarter["trend"])
    assert trends == sorted(trends, key=lambda t: t != WORSENING)
    (_, tested, _, _), (heading, untested, _, _) = concern_tables(
        overview.red_reds, overview.worst_quarter
    )
    assert "untested" in heading and len(untested) == len(expected)
    assert all(rank.endswith(f"of {o}") for rank, o in
               zip(untested["Rank (1 = best)"], overview.worst_quarter["of"].astype(int),
                   strict=True))  # fmt: skip


def test_a_gap_without_intervals_gets_an_untested_direction() -> None:
    from ecm.stats.direction import GAP_NARROWING, GAP_WIDENING, gap_direction

    # The distance from zero decides: a negative gap falling further is widening too.
    assert gap_direction(RISING, 4.0) == GAP_WIDENING
    assert gap_direction(FALLING, -4.0) == GAP_WIDENING
    assert gap_direction(FALLING, 4.0) == GAP_NARROWING
    assert gap_direction(NO_CLEAR_CHANGE, 4.0) == NO_CLEAR_CHANGE
    assert gap_direction(NOT_ENOUGH, 4.0) is None
    assert GAP_WIDENING != "widening"  # never counted as a tested widening gap


@pytest.mark.realdata
def test_the_league_puts_untested_widening_gaps_last_and_says_so(
    real_stores,
) -> None:
    from ecm.places.overview import area_overview
    from ecm.stats.direction import GAP_WIDENING
    from ecm.store.engine import make_engine
    from ecm.views.area import league_summary

    engine = make_engine(real_stores.url("everything"))
    overview = area_overview(engine, HAMPSHIRE, YEAR)
    league = overview.league
    untested = (league["trend"] == GAP_WIDENING) & ~league["significant"].astype(bool)
    assert untested.sum() > 0
    # Tested ones first; the untested ones have no interval and sit at the end.
    assert list(untested) == sorted(untested)
    assert league.loc[untested, "lower"].isna().all() and (league.loc[untested, "gap"] > 0).all()
    summary = league_summary(league, overview.plan, YEAR)
    assert f"the last **{int(untested.sum())}** have no interval" in summary
    engine.dispose()


def test_a_reversal_as_large_as_the_whole_movement_is_no_clear_change() -> None:
    # Hampshire's ni_19 and ni_147 in LAIT: not a steady movement either way.
    assert direction_of_values(np.array([44.4, 56.7, 38.6, 50.0])) == NO_CLEAR_CHANGE
    assert direction_of_values(np.array([71.0, 83.0, 71.0, 66.0])) == NO_CLEAR_CHANGE
    # A small step back in a longer run is noise.
    assert direction_of_values(np.array([50.0, 52.0, 51.5, 55.0])) == RISING


def test_periods_in_different_styles_are_placed_by_their_academic_year() -> None:
    # LAIT's "2019" is 2018/19: with 2014/15 ... 2017/18 it makes five points, one per year.
    figures = pd.DataFrame(
        {
            "area": ["a"] * 5,
            "period": ["2014/15", "2015/16", "2016/17", "2017/18", "2019"],
            "value": [10.0, 9.0, 8.0, 7.0, 6.0],
        }
    )
    result = direction_of_travel(figures, ["area"]).iloc[0]
    assert result["points"] == 5 and result["direction"] == FALLING
    # The same year in two styles counts once.
    twice = pd.concat([figures, figures.assign(period=["2015", "2016", "2017", "2018", "2018/19"])])
    assert direction_of_travel(twice, ["area"]).iloc[0]["points"] == 5


def test_tied_places_share_the_better_rank_and_its_band() -> None:
    from ecm.stats.benchmarks import quartile_band, rank_best_first

    # Eight places, five tied at the worst value: they share rank 4 of 8, the second quarter.
    values = pd.Series([1.0, 2.0, 3.0, 9.0, 9.0, 9.0, 9.0, 9.0], index=list("abcdefgh"))
    ranks = rank_best_first(values, "lower_is_better")
    bands = quartile_band(values, "lower_is_better")
    assert list(ranks) == [1, 2, 3, 4, 4, 4, 4, 4]
    assert list(bands) == ["A", "A", "B", "B", "B", "B", "B", "B"]
