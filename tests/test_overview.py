"""Gap explorer, area and region overviews on the tiny fictional demo: the numbers agree with
the profiles they are built beside, and each list holds what its heading promises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecm.figures import queries
from ecm.figures.plans import load_plan
from ecm.places.explorer import explore_gaps
from ecm.places.overview import area_overview, region_overview
from ecm.places.profile import build_profile
from ecm.stats.benchmarks import compare
from ecm.views.area import league_summary
from ecm.views.markdown import escape_markdown
from ecm.views.region import brief_markdown


@pytest.fixture(scope="module")
def places(demo_engine) -> dict:
    las = queries.load_local_authorities(demo_engine)
    return {"la": las["code"].iloc[0], "region": las["region_code"].iloc[0]}


def test_each_places_gap_is_the_one_its_profile_shows(demo_engine, places) -> None:
    la = places["la"]
    explored = explore_gaps(demo_engine, "ni_73", "disadvantaged", "la")
    row = explored.gaps.set_index("area_code").loc[la]
    profile = build_profile(demo_engine, "la", la, explored.period)
    mine = next(
        g
        for g in profile["gaps"]
        if g["indicator"] == "ni_73"
        and g["focus_group"] == "disadvantaged"
        and g["kind"] == "vs_national"
    )
    assert row["gap"] == pytest.approx(mine["gap"], abs=1e-3)
    assert row["lower"] == pytest.approx(mine["lower"], abs=1e-3)
    assert bool(row["significant"]) == mine["significant"]
    # Widest first; every LA listed once; the national gap is the funnel's centre.
    assert explored.gaps["gap"].is_monotonic_decreasing
    assert explored.gaps["area_code"].is_unique
    assert len(explored.gaps) == len(queries.load_local_authorities(demo_engine))
    england = explored.trend[explored.trend["name"] == "England"]
    assert england["period"].iloc[-1] == explored.period
    assert england["value"].iloc[-1] == pytest.approx(explored.centre)


def test_school_gaps_within_an_la_sit_in_a_funnel(demo_engine, places) -> None:
    explored = explore_gaps(
        demo_engine, "ni_73", "disadvantaged", "school", None, ("la", places["la"])
    )
    schools = set(queries.load_schools(demo_engine, places["la"])["urn"])
    assert set(explored.gaps["area_code"]) <= schools
    shown = explored.gaps[explored.gaps["gap"].notna()]
    assert not shown.empty
    assert set(shown["position"].dropna()) <= {
        "above 99.8%", "above 95%", "within", "below 95%", "below 99.8%"
    }  # fmt: skip
    # A point's position agrees with the limits drawn at its size.
    limits = explored.limits.set_index("size")
    for row in shown.dropna(subset=["size"]).itertuples():
        if row.size in limits.index:
            edge = limits.loc[row.size]
            inside = edge["lower95"] <= row.gap <= edge["upper95"]
            assert inside == (row.position == "within"), row
    assert explored.summary["with_figures"] == len(shown)
    # The LA's own gap series runs beside England's.
    assert set(explored.trend["name"]) == {"England", shown["la_name"].iloc[0]}


def test_an_unknown_level_or_a_group_without_comparator_is_refused(demo_engine) -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        explore_gaps(demo_engine, "ni_73", "disadvantaged", "ward")
    with pytest.raises(ValueError, match="has no comparator"):
        explore_gaps(demo_engine, "ni_73", "all", "la")


def test_area_tiles_count_every_all_pupil_figure_once(demo_engine, places) -> None:
    from ecm.places.overview import STANDINGS

    overview = area_overview(demo_engine, places["la"])
    observations = pd.DataFrame(overview.profile["observations"])
    own = observations[observations["group"] == "all"]
    tiles = overview.tiles.set_index("outcome")
    assert int(tiles[list(STANDINGS)].to_numpy().sum()) == len(own)
    # Each figure once: tested against England, else its quarter among all LAs, else neither.
    standings = own["standing"].value_counts()
    assert {w: int(tiles[w].sum()) for w in STANDINGS} == {
        w: int(standings.get(w, 0)) for w in STANDINGS
    }
    worse_by_outcome = own[[b["england"] == "worse" for b in own["benchmarks"]]].groupby("outcome")
    assert tiles["worse"].to_dict() == {
        o: int(worse_by_outcome.size().get(o, 0)) for o in tiles.index
    }


def test_the_gap_league_lists_significant_or_widening_gaps_with_their_cover(
    demo_engine, places
) -> None:
    league = area_overview(demo_engine, places["la"]).league
    assert not league.empty
    untested = (league["trend"] == "widening (untested)") & ~league["significant"]
    assert (league["significant"] | (league["trend"] == "widening") | untested).all()
    # Gaps that widen only by their untested direction of travel come last, with no interval.
    assert list(untested) == sorted(untested) and league.loc[untested, "lower"].isna().all()
    assert (league["covered"] == league["actions"].map(bool)).all()
    # Significant ones come before the merely widening ones; percentages widest first.
    first_not_significant = (
        np.argmax(~league["significant"].to_numpy())
        if not league["significant"].all()
        else len(league)
    )
    assert league["significant"].iloc[:first_not_significant].all()
    targets = queries.load_plan_targets(demo_engine, places["la"])
    pairs = set(zip(targets["indicator_code"], targets["group_code"], strict=True))
    for row in league.itertuples():
        assert row.covered == ((row.indicator, row.focus_group) in pairs)


def test_the_schools_table_lists_every_school_of_the_la(demo_engine, places) -> None:
    overview = area_overview(demo_engine, places["la"])
    schools = queries.load_schools(demo_engine, places["la"])
    table = overview.schools
    assert set(table["URN"]) == set(schools["urn"])
    assert list(table.columns[:4]) == ["URN", "School", "Phase", "% FSM"]
    bands = [c for c in table.columns if c.endswith(": band")]
    values = [c for c in table.columns[4:] if c not in bands]
    # Each indicator: a number column (sortable) and its band column beside it.
    assert [c + ": band" for c in values] == bands and len(bands) > 3
    assert all(pd.api.types.is_float_dtype(table[c]) for c in values)
    cells = table[bands].stack()
    # A band, a withheld "c" (its number then empty), a publisher's marker or blank.
    assert cells.astype(str).str.fullmatch(r"[ABCD]|c|[A-Z]{1,6}|").all()
    assert cells.isin(["A", "B", "C", "D"]).any() and (cells == "c").any()
    for value, band in zip(values, bands, strict=True):
        withheld = table[band] == "c"
        assert table.loc[withheld, value].isna().all()


def test_region_cells_compare_each_la_with_england(demo_engine, places) -> None:
    overview = region_overview(demo_engine, places["region"])
    cells = overview.cells
    las = queries.load_local_authorities(demo_engine, places["region"])
    assert set(cells["la_code"]) == set(las["code"])
    catalogue = queries.load_indicators(demo_engine).set_index("code")
    row = cells[cells["comparison"] == "worse"].iloc[0]
    polarity = catalogue.loc[row["indicator"], "polarity"]
    assert (row["value"] < row["england"]) == (polarity == "higher_is_better")
    ranked = cells.dropna(subset=["rank"])
    assert (ranked["rank"] >= 1).all() and (ranked["rank"] <= ranked["of"]).all()
    assert set(ranked["band"]) <= set("ABCD")
    # Recomputing one comparison by hand gives the same word.
    assert compare(
        [row["value"]], [row["value"] - 0.0001], [row["value"] + 0.0001], [row["england"]], polarity
    )[0] in {"better", "worse"}
    # A worse figure's interval lies wholly on one side of England's value, and the heat map
    # shows it on hover.
    assert not (row["lower"] <= row["england"] <= row["upper"])
    from ecm.views.region import heat_cells

    shown = heat_cells(cells)
    worse = shown[(shown["row"] == row["la_name"]) & (shown["column"] == row["title"])].iloc[0]
    assert worse["detail"] == f"95% interval {row['lower']:.1f} to {row['upper']:.1f}"


def test_each_brief_lists_only_uncovered_gaps_and_off_track_actions(demo_engine, places) -> None:
    overview = region_overview(demo_engine, places["region"])
    for code, brief in overview.briefs.items():
        targets = queries.load_plan_targets(demo_engine, code)
        titles = dict(
            zip(
                queries.load_indicators(demo_engine)["title"],
                queries.load_indicators(demo_engine)["code"],
                strict=True,
            )
        )
        pairs = set(zip(targets["indicator_code"], targets["group_code"], strict=True))
        for gap in brief["uncovered_gaps"]:
            assert (titles[gap["title"]], gap["focus_group"]) not in pairs
            assert gap["covered"] is False
        assert all(a["status"] in ("off_track", "at_risk") for a in brief["off_track_actions"])
        concerns = {c["title"] for c in brief["concerns"]}
        mine = overview.cells[overview.cells["la_code"] == code]
        assert concerns <= set(mine.loc[mine["comparison"] == "worse", "title"])


def test_gaps_of_a_year_before_the_plan_are_covered_by_no_action(demo_engine, places) -> None:
    """The demo plans run from April 2008: the year 2005/06 has no plan in force, so no page
    may call one of its gaps covered (as the Plan page would not), while 2008/09 has one."""
    before = area_overview(demo_engine, places["la"], "2005/06")
    assert not before.league.empty
    assert not before.league["covered"].any()
    during = area_overview(demo_engine, places["la"], "2008/09")
    plan = load_plan(demo_engine, places["la"], "2008/09")
    targets = queries.load_plan_targets(demo_engine, places["la"], plan_id=plan["id"])
    pairs = set(zip(targets["indicator_code"], targets["group_code"], strict=True))
    expected = [
        (g.indicator, g.focus_group) in pairs for g in during.league.itertuples(index=False)
    ]
    assert list(during.league["covered"]) == expected and any(expected)
    assert league_summary(before.league, before.plan, "2005/06").endswith(
        "No plan was in force in 2005/06, so no gap is covered."
    )
    assert league_summary(during.league, during.plan, "2008/09").endswith(
        f"the plan in force that year: {escape_markdown(plan['title'])}."
    )
    briefs = region_overview(demo_engine, places["region"], "2005/06").briefs
    for brief in briefs.values():
        assert brief["has_plan"] is False and brief["off_track_actions"] == []
        assert len(brief["uncovered_gaps"]) == min(5, brief["significant_gaps"])
        assert "No plan was in force in 2005/06" in brief_markdown(brief, "2005/06")


def test_no_funnel_is_drawn_on_sessions(demo_engine) -> None:
    """Absence rates count sessions, not pupils: a binomial funnel on them would be too narrow."""
    explored = explore_gaps(demo_engine, "perctot", "disadvantaged", "school")
    assert explored.limits.empty
    assert explored.gaps["position"].isna().all()
    assert explored.gaps["size"].max() < 2_000  # pupils, not sessions


def test_gap_lists_count_only_gaps_where_the_focus_group_is_worse_off(demo_engine, places) -> None:
    league = area_overview(demo_engine, places["la"]).league
    assert not (
        league["significant"] & (league["gap"] <= 0) & (league["trend"] != "widening")
    ).any()
    for brief in region_overview(demo_engine, places["region"]).briefs.values():
        assert all(g["gap"] > 0 for g in brief["uncovered_gaps"])


def test_school_spreads_leave_out_withheld_figures(demo_engine) -> None:
    from ecm.figures import many_places
    from ecm.periods import period_aliases

    spread = many_places.load_school_distribution(
        demo_engine, "secondary", period_aliases("2009/10")
    )
    row = spread.set_index("indicator_code").loc["ni_114"]
    figures = many_places.load_level_figures(
        demo_engine, "ni_114", "school", period_aliases("2009/10"), ["all"]
    )
    withheld = figures.loc[figures["suppressed"], "area_code"]
    assert not withheld.empty  # small exclusion counts are withheld in the demo
    shown = figures.loc[~figures["suppressed"], "value"].dropna()
    assert shown.min() <= row["minimum"] <= row["maximum"] <= shown.max()
    assert row["q1"] <= row["q3"]


def test_school_spreads_from_stored_decisions_equal_those_decided_at_request_time(
    demo_engine, monkeypatch
) -> None:
    from ecm.figures import many_places
    from ecm.periods import period_aliases

    periods = period_aliases("2009/10")
    stored = many_places.load_school_distribution(demo_engine, "primary", periods)
    monkeypatch.setattr(many_places, "decisions_current", lambda _engine: False)
    decided_now = many_places.load_school_distribution(demo_engine, "primary", periods)
    assert len(stored) >= 5  # every primary indicator of the demo
    pd.testing.assert_frame_equal(
        stored.sort_values(["indicator_code", "period"]).reset_index(drop=True),
        decided_now.sort_values(["indicator_code", "period"]).reset_index(drop=True),
    )


def test_the_ranked_chart_table_holds_exactly_the_places_it_draws(demo_engine) -> None:
    from ecm.views.gaps import RANKED_EACH_END, gap_table, ranked_rows, ranked_table

    # Absence: a figure for nearly every school, so more places than the chart draws.
    result = explore_gaps(demo_engine, "perctot", "disadvantaged", "school")
    table = gap_table(result)
    drawn = ranked_rows(result)
    shown = ranked_table(result, table)
    assert (
        table["Rank"].notna().sum() > 2 * RANKED_EACH_END
    )  # many schools: the chart shows both ends only
    # Both ends, and any place tied with the last of an end (ties share a rank).
    assert len(shown) == len(drawn) >= 2 * RANKED_EACH_END
    assert list(shown["Place"]) == list(drawn["label"])
    assert list(shown["Gap"]) == list(drawn["gap"].round(1))
    assert list(shown["Rank"]) == list(drawn["rank"])
    ranked = table[table["Rank"].notna()]
    assert shown["Code"].iloc[0] == ranked["Code"].iloc[0]  # the widest gap
    assert shown["Code"].iloc[-1] == ranked["Code"].iloc[-1]  # the narrowest
    assert str(table["Authority"].dtype) == "category"  # repeated words sent once


def test_spines_leave_out_spreads_of_too_few_places() -> None:
    from ecm.places.overview import MIN_SPREAD_PLACES, spine_rows

    observations = pd.DataFrame(
        {
            "group": ["all", "all"],
            "value": [68.0, 12.0],
            "indicator": ["ptrwm_exp", "perctot"],
            "period": ["2018/19", "2018/19"],
            "polarity": ["higher_is_better", "lower_is_better"],
            "comparator_values": [{"england": 65.0}, {"england": 10.0}],
            "title": ["KS2 RWM", "Absence"],
            "outcome": ["Enjoy and achieve", "Enjoy and achieve"],
            "unit": ["%", "%"],
            "benchmarks": [{"england": "better"}, {"england": "worse"}],
            "standing": ["better", "worse"],
        }
    )
    distribution = pd.DataFrame(
        {
            "indicator_code": ["ptrwm_exp", "perctot"],
            "period": ["2018/19", "2018/19"],
            # KS2 rests on the place alone (one LA's file); absence on every LA.
            "minimum": [68.0, 5.0],
            "q1": [68.0, 8.0],
            "q3": [68.0, 11.0],
            "maximum": [68.0, 15.0],
            "places": [1, 150],
        }
    )
    rows = spine_rows(observations, distribution)
    assert list(rows["indicator"]) == ["Absence"]
    # Lower is better: worst is the highest figure, best the lowest.
    assert rows.iloc[0][["worst", "q1", "q3", "best"]].tolist() == [15.0, 11.0, 8.0, 5.0]
    enough = distribution.assign(places=MIN_SPREAD_PLACES)
    assert list(spine_rows(observations, enough)["indicator"]) == ["KS2 RWM", "Absence"]


def test_the_schools_table_filters_by_phase_and_name(demo_engine, places) -> None:
    from ecm.views.area import school_phases, school_rows

    table = area_overview(demo_engine, places["la"]).schools
    assert "primary" in school_phases(table) and "secondary" in school_phases(table)
    primary = school_rows(table, "primary")
    assert (
        set(primary["Phase"]) == {"primary"} and len(primary) == (table["Phase"] == "primary").sum()
    )
    # Secondary measures have no figure in any primary school: their columns go.
    secondary_only = [c for c in table.columns if c.startswith("5+ GCSEs")]
    assert secondary_only and not set(secondary_only) & set(primary.columns)
    name = table["School"].iloc[3]
    found = school_rows(table, "", name.upper()[:12])
    assert name in set(found["School"]) and set(found["School"]) <= set(table["School"])
    assert found["School page"].iloc[0].startswith("/school?urn=")


def test_a_school_without_a_significant_gap_is_told_on_which_measure() -> None:
    from ecm.views.school import headline_gap, headline_kind, headline_markdown

    gap = {"focus_group": "disadvantaged", "comparator_group": "not_disadvantaged",
           "indicator": "ni_73", "gap": 4.0, "lower": -1.0, "upper": 9.0, "significant": False,
           "actions": []}  # fmt: skip
    profile = {
        "observations": [{"indicator": "ni_73", "title": "KS2 L4+ E&M", "unit": "%"}],
        "gaps": [
            {**gap, "kind": "vs_national", "gap": None},  # withheld: not the measure
            {**gap, "kind": "within", "gap": 12.0, "lower": 3.0, "significant": True},
        ],
    }
    assert headline_kind(profile) == "within"
    assert headline_gap(profile)["gap"] == 12.0
    profile["gaps"][0].update(gap=4.0)  # DfE's measure shown, not significant
    assert headline_kind(profile) == "vs_national" and headline_gap(profile) is None
    assert headline_markdown(None, kind="vs_national") == (
        "No gap for disadvantaged pupils against their peers nationally (DfE's measure) is "
        "significant this year."
    )
    for g in profile["gaps"]:
        g.update(gap=None)  # every gap withheld (DfE's SUPP): nothing was tested
    assert headline_kind(profile) is None and headline_gap(profile) is None
    assert headline_markdown(None, kind=None) == (
        "No gap for disadvantaged pupils can be shown this year: their figures are withheld "
        "(too few pupils) or not published."
    )


def test_the_neighbour_table_holds_numbers_when_an_authority_has_no_neighbours() -> None:
    """A store with no statistical neighbours (only a register and one KS2 file) gave None in
    the neighbours' column, which the area page could not round."""
    from ecm.places.overview import _neighbour_table
    from ecm.views.area import neighbour_table

    observations = pd.DataFrame(
        [
            {
                "indicator": "ks2_rwm_exp",
                "title": "KS2 reading, writing and maths",
                "unit": "%",
                "group": "all",
                "value": 65.0,
                "comparator_values": {"england": None},
                "benchmarks": {},
                "standing": "not compared",
                "neighbour_rank": None,
                "neighbour_of": None,
            }
        ]
    )
    table = neighbour_table(_neighbour_table(observations))
    assert table.loc[0, "Value"] == 65.0
    assert pd.isna(table.loc[0, "Neighbours (average)"]) and pd.isna(table.loc[0, "England"])
    assert (
        table.loc[0, "vs neighbours"]
        == table.loc[0, "vs England, else quarter among LAs"]
        == "◆ not compared"
    )


def test_the_area_overview_reads_every_las_figures_once(demo_engine, places, monkeypatch) -> None:
    """The profile ranks the LA among every LA's figures of the year and the spine chart draws
    their spread: one read serves both, and the spine is what a read of its own gives."""
    from ecm.figures import many_places
    from ecm.periods import period_aliases
    from ecm.places import overview as overview_module

    reads: list[tuple] = []
    real = queries.load_peer_figures

    def counted(engine, level, periods):  # noqa: ANN001, ANN202
        reads.append((level, tuple(periods)))
        return real(engine, level, periods)

    monkeypatch.setattr(queries, "load_peer_figures", counted)
    # The tiny demo has too few LAs for a spread worth drawing: draw it from two.
    monkeypatch.setattr(overview_module, "MIN_SPREAD_PLACES", 2)
    overview = area_overview(demo_engine, places["la"], "2008/09")
    assert reads == [("la", tuple(sorted(period_aliases("2008/09"))))]
    alone = many_places.la_distribution(real(demo_engine, "la", sorted(period_aliases("2008/09"))))
    expected = overview_module.spine_rows(pd.DataFrame(overview.profile["observations"]), alone)
    assert not overview.spine.empty
    pd.testing.assert_frame_equal(overview.spine, expected)


@pytest.mark.parametrize("period", [None, "2005/06", "2008/09"])
def test_region_briefs_read_together_equal_the_briefs_read_la_by_la(
    demo_engine, places, monkeypatch, period
) -> None:
    """The plans, targets and off-track actions of a region's LAs are read in a few queries
    whatever the number of LAs, and each brief is the one the LA's own reads give."""
    from sqlalchemy import event

    from ecm.figures.plans import NO_PLAN, off_track_actions, plans_in_force
    from ecm.places import overview as overview_module

    calls: list[dict] = []
    real = overview_module.region_briefs

    def captured(engine, la_codes, cells, gaps, period):  # noqa: ANN001, ANN202
        statements: list[str] = []

        def count(*_args) -> None:  # noqa: ANN002
            statements.append("query")

        event.listen(engine, "before_cursor_execute", count)
        try:
            briefs = real(engine, la_codes, cells, gaps, period)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        calls.append({"la_codes": la_codes, "cells": cells, "gaps": gaps, "period": period,
                      "briefs": briefs, "queries": len(statements)})  # fmt: skip
        return briefs

    monkeypatch.setattr(overview_module, "region_briefs", captured)
    overview = region_overview(demo_engine, places["region"], period)
    (call,) = calls
    assert overview.briefs == call["briefs"] and len(call["la_codes"]) > 1
    assert call["queries"] <= 4  # plans, priorities, targets, off-track actions
    for code in call["la_codes"]:
        plan = load_plan(demo_engine, code, call["period"])
        plan_id = plan["id"] if plan else NO_PLAN
        alone = overview_module.priorities_brief(
            code,
            call["cells"],
            call["gaps"][call["gaps"]["area_code"] == code],
            plan,
            queries.load_plan_targets(demo_engine, code, plan_id=plan_id),
            off_track_actions(demo_engine, plan_id),
        )
        # (repr: a figure withheld is NaN, which equals nothing, not even itself)
        assert repr(overview.briefs[code]) == repr(alone)
    assert plans_in_force(demo_engine, call["la_codes"], call["period"]) == {
        code: load_plan(demo_engine, code, call["period"]) for code in call["la_codes"]
    }


def test_the_region_pages_words_count_its_authorities(demo_engine, places) -> None:
    from ecm.views.region import (
        brief_choices,
        region_caption,
        worse_and_worsening,
        worse_and_worsening_words,
    )

    overview = region_overview(demo_engine, places["region"])
    cells = overview.cells
    las = queries.load_local_authorities(demo_engine, places["region"])
    assert region_caption(cells, overview.period) == (
        f"Region · {len(las)} local authorities · {overview.period}"
    )
    table = worse_and_worsening(cells)
    words = worse_and_worsening_words(table, cells)
    assert words.startswith(f"**{table['Local authority'].nunique()}** of {len(las)} authorities")
    assert words.endswith(f"({len(table)} in all).")
    names = brief_choices(overview.briefs)
    assert set(names) == set(las["code"])
    assert list(names.values()) == sorted(las["name"])


def _headline_profile() -> dict:
    gap = {"focus_group": "disadvantaged", "comparator_group": "not_disadvantaged",
           "kind": "vs_national", "actions": [], "la_actions": 0}  # fmt: skip
    return {
        "period": "2018/19",
        "plan": {"title": "Children and Young People's Plan", "period_label": "2017-2020"},
        "observations": [
            {"indicator": "ks2_rwm", "title": "KS2 reading, writing and maths", "unit": "%"},
            {"indicator": "att8", "title": "Attainment 8", "unit": "score"},
            {"indicator": "ks2_read", "title": "KS2 reading", "unit": "%"},
        ],
        "gaps": [
            # 12 points but a wide interval: 12 / (12 - 1) = 1.09 margins from zero.
            {**gap, "indicator": "ks2_rwm", "gap": 12.0, "lower": 1.0, "upper": 23.0,
             "significant": True},
            # 2 points with a narrow interval: 2 / (2 - 1.5) = 4 margins from zero.
            {**gap, "indicator": "ks2_read", "gap": 2.0, "lower": 1.5, "upper": 2.5,
             "significant": True},
            {**gap, "indicator": "att8", "gap": 9.0, "lower": None, "upper": None,
             "significant": None},
            {**gap, "kind": "within", "indicator": "att8", "gap": 9.0, "lower": 2.0,
             "upper": 16.0, "significant": True},
        ],
    }  # fmt: skip


def test_the_headline_gap_is_chosen_by_a_unit_free_rule_and_says_so() -> None:
    from ecm.stats.gaps import margins_from_zero
    from ecm.views.school import headline_gap, headline_markdown

    assert margins_from_zero(12.0, 1.0, 23.0) == pytest.approx(12 / 11)
    assert margins_from_zero(-3.0, -5.0, -1.0) == pytest.approx(1.5)
    profile = _headline_profile()
    chosen = headline_gap(profile)
    # Not the widest in points (12.0) but the one furthest from zero in its margins of error.
    assert chosen["indicator"] == "ks2_read" and chosen["of"] == 2 and chosen["unit"] == "%"
    text = headline_markdown(chosen, kind="vs_national", profile=profile)
    assert text.startswith(
        "**Clearest significant gap for disadvantaged pupils:** KS2 reading, "
        "2.0 percentage points (95% interval 1.5 to 2.5) against other pupils nationally"
    )
    assert "chosen from 2 significant gaps as the one furthest from no gap" in text
    assert text.endswith(
        "Plan: **no action in Children and Young People's Plan (2017\\-2020), in force in "
        "2018/19 targets it**."
    )


def test_the_headline_names_untested_gaps_and_a_disagreeing_measure() -> None:
    from ecm.views.school import measures_disagree_line, untested_gaps_line

    profile = _headline_profile()
    assert untested_gaps_line(profile) == (
        "Not tested, so not in the headline's choice: the gap with no 95% interval "
        "(Attainment 8), published without the counts or spread an interval needs."
    )
    assert measures_disagree_line(profile) == (
        "Against their peers in the school, the gap is significant in Attainment 8, but not "
        "against their peers nationally (DfE's measure): the two measures compare with "
        "different pupils (those in the school, and those across England), so they can "
        "disagree."
    )
    profile["gaps"] = profile["gaps"][:2]
    assert untested_gaps_line(profile) is None and measures_disagree_line(profile) is None


def test_the_headline_and_the_plan_page_agree_on_what_covers_a_gap() -> None:
    from ecm.views.school import plan_words

    profile = _headline_profile()
    gap = {**profile["gaps"][1], "la_actions": 2}
    assert plan_words(gap, profile) == (
        "**no action reaches this school on it**; 2 actions in Children and Young People's "
        "Plan (2017\\-2020), in force in 2018/19 target it elsewhere in the LA"
    )
    action = {"title": "**Reading** recovery", "status": "on_track", "lead": None}
    words = plan_words({**gap, "actions": [action]}, profile)
    # A title from the plan is text, never Markdown.
    assert words.startswith(r"**\*\*Reading\*\* recovery** (")
    assert "lead: not named" in words and "from Children and Young People's Plan" in words
    assert plan_words(gap, {**profile, "plan": None}) == "**no plan is in force in 2018/19**"


def test_a_long_list_of_authorities_is_presented_in_parts_that_fit_a_projector() -> None:
    from ecm.views.region import PRESENTED_HEAT_ROWS, heat_parts

    def cells(count: int) -> pd.DataFrame:
        names = [f"Authority {n:02d}" for n in range(1, count + 1)]
        return pd.DataFrame(
            {"row": [n for n in names for _ in range(2)], "column": ["a", "b"] * count}
        )

    assert list(heat_parts(cells(PRESENTED_HEAT_ROWS))) == [""]
    london = heat_parts(cells(33))  # London's 33 authorities: two parts of 17 and 16
    assert list(london) == ["Authority 01 to Authority 17", "Authority 18 to Authority 33"]
    assert [part["row"].nunique() for part in london.values()] == [17, 16]
    assert sum(len(part) for part in london.values()) == 66
    assert [p["row"].nunique() for p in heat_parts(cells(41)).values()] == [14, 14, 13]
