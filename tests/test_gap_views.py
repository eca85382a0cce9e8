"""The gap explorer's choices and words (``ecm.views.gaps``), on small frames and the demo."""

from __future__ import annotations

import pandas as pd

from ecm.figures import queries
from ecm.places.explorer import explore_gaps
from ecm.views.gaps import (
    exploration_summary,
    funnel_points,
    gap_axis_title,
    group_choices,
    indicator_choices,
    spread_table,
    within_places,
)
from ecm.views.markdown import escape_markdown


def test_only_indicators_with_a_better_direction_and_groups_with_a_comparator_are_offered() -> None:
    catalogue = pd.DataFrame(
        {
            "code": ["ni_73", "perctot", "pupils"],
            "title": ["KS2", "Absence", "Pupils on roll"],
            "polarity": ["higher_is_better", "lower_is_better", "neither"],
        }
    )
    assert indicator_choices(catalogue) == {"ni_73": "KS2", "perctot": "Absence"}
    groups = pd.DataFrame(
        {
            "code": ["all", "disadvantaged", "other"],
            "title": ["All pupils", "Disadvantaged", "Other pupils"],
            "comparator_code": [None, "other", None],
        }
    )
    assert group_choices(groups) == {"disadvantaged": "Disadvantaged"}


def test_the_places_kept_follow_the_level() -> None:
    assert within_places("school", "R1", "L1") == ("la", "L1")
    assert within_places("school", "R1", "") == ("region", "R1")
    assert within_places("la", "R1", "") == ("region", "R1")
    assert within_places("region", "R1", "") is None  # regions are compared with each other
    assert within_places("la", "", "") is None
    assert gap_axis_title("%") == "Gap (percentage points; positive = focus group worse off)"
    assert gap_axis_title("per 1,000") == "Gap (per 1,000; positive = focus group worse off)"


def test_the_summary_and_the_funnel_agree_with_the_exploration(demo_engine) -> None:
    result = explore_gaps(demo_engine, "ni_73", "disadvantaged", "la")
    summary = result.summary
    words = exploration_summary(result, "Disadvantaged pupils", "Other pupils")
    places = len(queries.load_local_authorities(demo_engine))
    assert words.startswith(
        f"**{summary['with_figures']:,}** of {places:,} local authorities have a figure for "
        f"{escape_markdown(result.indicator['title'])} in {result.period}. The gap is each place's "
        "**disadvantaged pupils** against **other pupils nationally**"
    )
    assert f"Nationally the gap is **{result.centre:.1f} percentage points**." in words
    assert f"**{summary['focus_worse']:,}** places have a gap significantly above zero." in words
    assert not result.limits.empty
    assert f"**{summary['above_998']:,}** lie above the funnel's 99.8% limit" in words
    points = funnel_points(result)
    assert list(points.columns) == ["label", "size", "value", "position"]
    assert len(points) == len(result.gaps.dropna(subset=["gap", "size"]))
    spread = spread_table(result.gaps["gap"].dropna())
    assert list(spread["statistic"])[:2] == ["count", "mean"]


def test_the_summary_says_why_there_is_no_funnel_or_no_national_gap(demo_engine) -> None:
    sessions = explore_gaps(demo_engine, "perctot", "disadvantaged", "school")
    assert sessions.limits.empty
    words = exploration_summary(sessions, "Disadvantaged pupils", "Other pupils")
    assert words.endswith("so no limits can be drawn.")
    sessions.centre = None
    assert exploration_summary(sessions, "x", "y") == (
        "There is no national gap for this indicator and group in this year."
    )


def test_the_explorer_opens_on_an_indicator_the_store_holds() -> None:
    from ecm.views.gaps import opening_indicator

    choices = {"ptrwm_exp": "KS2 RWM", "ni_53": "Breastfeeding", "perctot": "Absence"}
    coverage = pd.DataFrame(
        {"indicator_code": ["ni_53", "perctot", "perctot"], "places": [150, 90, 80]}
    )
    # The preferred indicator is not held: the one held for the most places instead.
    assert opening_indicator(choices, coverage, "ptrwm_exp") == "perctot"
    held = pd.concat([coverage, pd.DataFrame({"indicator_code": ["ptrwm_exp"], "places": [1]})])
    assert opening_indicator(choices, held, "ptrwm_exp") == "ptrwm_exp"
    # An empty store keeps the preferred one (the page then says nothing is held).
    assert opening_indicator(choices, coverage.iloc[:0], "ptrwm_exp") == "ptrwm_exp"
