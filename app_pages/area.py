"""Area overview (one LA): for a Children's Trust Board on the meeting-room screen."""

from __future__ import annotations

import streamlit as st

from ecm import charts, ui
from ecm.views import missing
from ecm.views.area import (
    TILE_KEY,
    concern_tables,
    league_summary,
    league_table,
    neighbour_table,
    school_funnel,
    school_phases,
    school_rows,
    tile_lines,
)
from ecm.views.markdown import escape_markdown, shown_value

presenting = ui.presentation_mode()
la = ui.la_param("Area overview")

overview = ui.load_area_overview(la, ui.query_param("period"))
bar = ui.place_heading(
    overview and overview.profile,
    f"No local authority with code {shown_value(la)} is in the store.",
    "The store holds no figures for this authority yet.",
)
profile = overview.profile
geography = profile["geography"]
region = geography.get("region") or {}
if not presenting:  # the projector's one-line header says the place and the year
    st.caption(f"Local authority · {escape_markdown(region.get('name', ''))} · {profile['period']}")
period = ui.year_picker(profile["available_periods"] or [profile["period"]], profile["period"], bar)
code = geography["code"]
ui.pack_download("la", code, period)


def draw_glance() -> None:
    columns = st.columns(len(overview.tiles) or 1)
    for column, line in zip(columns, tile_lines(overview.tiles), strict=False):
        with column.container(border=True):
            st.markdown(line)
    st.caption(TILE_KEY)


def draw_league() -> None:
    table = league_table(overview.league, code)
    if table.empty:
        st.write(missing.no_league(overview.profile["gaps"], period))
        return
    st.markdown(league_summary(overview.league, overview.plan, overview.profile["period"]))
    ui.table_with_download(
        table, "league", f"{code}-{period.replace('/', '-')}-gaps.csv", ("Turn the curve",)
    )
    ui.page_link("plan", "Open the plan: coverage, actions off track, spend", la=code)


def draw_funnel() -> None:
    funnel = overview.funnel
    frame = school_funnel(funnel)
    if frame is None:
        st.write(missing.no_school_gaps(period))
        return
    points, y_title, x_title = frame
    ui.chart(
        charts.funnel_plot(
            points, funnel.limits, funnel.centre, y_title, x_title, presentation=presenting
        ),
        charts.describe_funnel_plot(points, funnel.centre, y_title),
        points,
        "area_funnel",
        f"{code}-{funnel.indicator['code']}-school-gaps.csv",
    )
    ui.page_link(
        "gaps",
        f"Explore these school gaps (among {funnel.places_words})",
        indicator=funnel.indicator["code"],
        group="disadvantaged",
        level="school",
        within_region=region.get("code", ""),
        within_la=code,
    )


def draw_spine() -> None:
    rows = overview.spine
    if rows.empty:
        st.write(missing.no_spine(period))
        return
    for outcome, part in rows.groupby("outcome", sort=False):
        st.subheader(outcome)
        part = part.drop(columns="outcome")
        ui.chart(
            charts.spine_chart(part, presentation=presenting),
            charts.describe_spine_chart(part),
            part,
            f"spine_{outcome}",
            f"{code}-{outcome}-spine.csv",
        )


def draw_red_reds() -> None:
    for heading, table, empty, key in concern_tables(overview.red_reds, overview.worst_quarter):
        if heading:
            st.markdown(f"**{heading}**")
        ui.table_with_download(table, key, f"{code}-{key}.csv", empty=empty)


def draw_neighbours() -> None:
    table, words = neighbour_table(overview.neighbours), missing.no_neighbours(overview.neighbours)
    if words and not table.empty:
        st.write(words)  # the figures, without their neighbours' column filled
    ui.table_with_download(table, "neighbours", f"{code}-neighbours.csv", empty=words)


def draw_schools() -> None:
    if overview.schools.empty:  # no table to filter: say what is missing instead
        return st.write(missing.no_schools(geography["name"]))
    phases = school_phases(overview.schools)
    left, right = st.columns(2)
    with left:
        phase = ui.select_param(
            "Phase", {"": "All phases", **{p: p.capitalize() for p in phases}}, "school_phase"
        )
    search = right.text_input("Find a school (name or URN)", key="school_search")
    schools = school_rows(overview.schools, phase, search)
    st.caption(
        f"{len(schools):,} schools. Each figure with its national quartile band among the "
        "state-funded schools of its phase (A best, D worst; c: withheld, a small number)."
        " Sort by any column."
    )
    ui.table_with_download(schools, "schools", f"{code}-schools.csv", ("School page",))


ui.panels(
    [
        ("At a glance", draw_glance),
        ("Gaps: widest and widening first", draw_league),
        ("School gaps in a funnel", draw_funnel),
        ("Against all authorities and England", draw_spine),
        ("Worse than England and getting worse", draw_red_reds),
        ("Statistical neighbours and England", draw_neighbours),
        ("Schools", draw_schools),
    ],
    presenting,
    bar,
)
