"""Gap explorer: any indicator, focus group and level; ranked gaps, funnel, spread, trend, map."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.ui.gap_sections import GapScreen, gap_panels
from ecm.views.gaps import (
    LEVELS,
    addressed_authority,
    exploration_summary,
    group_choices,
    indicator_choices,
    opening_indicator,
    within_places,
)

presenting = ui.presentation_mode()
bar = ui.page_heading("Gap explorer")  # when presenting, the one-line header with the year

groups = ui.load_pupil_groups()
focus_groups = group_choices(groups)
titles = dict(zip(groups["code"], groups["title"], strict=True))

# An area page's link names its authority (``?la=``): open on that authority's schools.
chosen, ignored = addressed_authority(ui.load_local_authorities(None), ui.query_param("la"))
if ignored:
    st.caption(ignored)
top = st.columns([3, 2, 2])
with top[0]:
    choices = indicator_choices(ui.load_indicators())
    preferred = "ni_73" if ui.holds_fictional_data() else "ptrwm_exp"
    opening = opening_indicator(choices, ui.load_coverage(), preferred)
    indicator = ui.select_param("Indicator", choices, "indicator", default=opening)
with top[1]:
    group = ui.select_param("Focus group", focus_groups, "group", default="disadvantaged")
with top[2]:
    level = ui.select_param("Places", LEVELS, "level", default=chosen.get("level", "la"))

regions = ui.load_regions()
filters = st.columns([2, 2, 2, 2])
with filters[0]:
    region = ui.select_param(
        "Only in region",
        {"": "All regions", **dict(zip(regions["code"], regions["name"], strict=True))},
        "within_region",
        default=chosen.get("within_region"),
    )
la = ""
if region and level == "school":
    las = ui.load_local_authorities(region)
    with filters[1]:
        la = ui.select_param(
            "Only in authority",
            {"": "All its authorities", **dict(zip(las["code"], las["name"], strict=True))},
            "within_la",
            default=chosen.get("within_la"),
        )
within = within_places(level, region, la)
# Schools are compared among state-funded schools unless all are chosen (?schools=all).
compared = ui.addressed_school_set()
# Special schools are compared with special schools only (?kind=special), never with mainstream.
kind = ui.addressed_school_kind()
if level == "school":
    with filters[3]:
        compared = ui.school_set_param()
        kind = ui.school_kind_param()

period_asked = ui.query_param("period")
result = ui.load_gap_exploration(indicator, group, level, period_asked, within, compared, kind)
if not result.periods:
    st.info("The store holds no national figures for this indicator and group.")
    st.stop()
with bar.pickers if bar else filters[2]:
    period = ui.select_param(
        "Year",
        {p: p for p in reversed(result.periods)},
        "period",
        result.period,
        label_visibility="collapsed" if bar else "visible",
    )
if period != result.period:
    st.rerun()
ui.note_provenance(place=f"{result.indicator['title']}: {focus_groups[group]} gap", period=period)

ui.definition(indicator)
comparator = titles.get(result.comparator_group, result.comparator_group)
st.markdown(exploration_summary(result, focus_groups[group], comparator))
ui.panels(gap_panels(GapScreen(result, focus_groups[group], presenting)), presenting, bar)
