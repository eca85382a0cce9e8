"""School profile: a headteacher's well-being profile of the school, for governors."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecm import charts, ui
from ecm.ui.school_sections import school_top
from ecm.views.markdown import escape_markdown, shown_value
from ecm.views.profile_tables import screen_tables
from ecm.views.school import (
    gap_comparison,
    headline_gap,
    plan_actions,
    plan_panel_words,
    predecessor_sentence,
    spread_set_words,
    trend_axis_title,
    trend_choices,
    trend_heading,
    trend_opening,
    trend_series,
)

presenting = ui.presentation_mode()
urn = ui.query_param("urn")
if not urn:
    st.title("School profile")
    ui.fictional_banner()
    st.info("Choose a school on the Home page, or open this page with `?urn=` and its URN.")
    ui.page_link("home", "Go to Home")
    st.stop()
# Which schools this one is compared with travels in the address (?schools=), like the year.
compared = ui.addressed_school_set()
profile = ui.load_profile("school", urn, ui.query_param("period"), compared)
bar = ui.place_heading(
    profile,
    f"No school with URN {shown_value(urn)} is in the store.",
    "The store holds no figures for this school yet.",
    notes=lambda: ui.register_notes(urn),
)
geography = profile["geography"]
headline = headline_gap(profile)
period = school_top(profile, headline, bar)
ui.pack_download("school", urn, period)

figures, _ = screen_tables(profile)
observations = pd.DataFrame(profile["observations"])
phase = geography.get("phase")


def draw_interest() -> None:
    interest = profile["areas_of_interest"]
    if interest:
        st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in interest))
    else:
        st.write(
            "Nothing stands out: no figure is significantly worse than England, and no gap is "
            "persistent or widening."
        )


def draw_outcomes() -> None:
    spines = ui.load_school_spines(geography["code"], period, phase, compared)
    # Only the chosen outcome's chart and table are drawn (a run of their own when another is
    # chosen): five spine charts and tables in every run cost the browser more than the page.
    tabs = st.tabs(
        list(figures["Outcome"].drop_duplicates()), key="school_outcome", on_change="rerun"
    )
    for tab, (outcome, rows) in zip(tabs, figures.groupby("Outcome", sort=False), strict=False):
        if not tab.open:
            continue
        with tab:
            part = spines[spines["outcome"] == outcome].drop(columns="outcome")
            if not part.empty:
                ui.chart(
                    charts.spine_chart(part, presentation=presenting),
                    charts.describe_spine_chart(part)
                    + f" Comparators: {spread_set_words(profile)}; the light bar runs from "
                    "the 5th to the 95th percentile (the extremes are the smallest schools).",
                    part,
                    f"spine_{outcome}",
                    f"{urn}-{outcome}-spine.csv",
                )
            ui.table_with_download(
                rows.drop(columns="Outcome"), f"figures_{outcome}", f"{urn}-{outcome}.csv"
            )


def draw_gaps() -> None:
    st.caption(
        "Each gap with its 95% interval; * significant. Positive: the focus group is worse off. "
        "School: the focus group against its comparator group in the school. School vs "
        "national (DfE): against the comparator group across England, the performance tables' "
        "measure and the headline's. The LA's and England's gaps are the same groups across "
        "all their pupils."
    )
    ui.table_with_download(gap_comparison(profile), "school_gaps", f"{urn}-gaps.csv")


# The indicator the trends panel shows, known before its heading names the years it covers.
trend_indicator = trend_opening(profile, headline, ui.query_param("trend_indicator"))


def draw_trends() -> None:
    titles, _ = trend_choices(profile, headline)
    indicator = ui.select_param("Indicator", titles, "trend_indicator", default=trend_indicator)
    series = trend_series(profile, indicator)
    ui.chart(
        charts.trend_chart(series, trend_axis_title(profile, indicator), presentation=presenting),
        charts.describe_trend_chart(series, titles[indicator]),
        series,
        "school_trend",
        f"{urn}-{indicator}-trend.csv",
    )
    if joined := predecessor_sentence(profile):
        st.caption(joined)


def draw_actions() -> None:
    actions = plan_actions(profile)
    st.markdown(plan_panel_words(profile, actions))
    if not actions.empty:
        ui.table_with_download(
            actions, "school_actions", f"{urn}-plan-actions.csv", ("Action page",)
        )


ui.panels(
    [
        ("Areas of interest", draw_interest),
        ("The five outcomes", draw_outcomes),
        ("Gaps beside the LA and England", draw_gaps),
        (trend_heading(profile, trend_indicator), draw_trends),
        ("What the plan does", draw_actions),
    ],
    presenting,
    bar,
)
