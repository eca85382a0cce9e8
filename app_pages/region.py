"""Region overview: the LAs of a region side by side, for a Government Office priorities
meeting."""

from __future__ import annotations

import streamlit as st

from ecm import charts, ui
from ecm.catalogue import group_noun
from ecm.charts import map_geometry
from ecm.ui.maps import draw_authority_map
from ecm.views.profile_tables import escape_markdown, gap_unit
from ecm.views.region import (
    brief_markdown,
    gap_trend_choices,
    gap_trend_groups,
    gap_trend_sentence,
    gap_trend_table,
    heat_cells,
    map_choices,
    outcome_choices,
    rank_table,
    region_hexes,
    worse_and_worsening,
)

presenting = ui.presentation_mode()
regions = ui.load_regions()
if regions.empty:
    st.title("Region overview")
    st.info("The store holds no regions yet.")
    st.stop()
code = ui.query_param("code")
if code not in set(regions["code"]):
    st.title("Region overview")
    ui.fictional_banner()
    code = ui.select_param(
        "Region", dict(zip(regions["code"], regions["name"], strict=True)), "code"
    )

overview = ui.load_region_overview(code, ui.query_param("period"))
st.title(overview.region["name"])
ui.fictional_banner(licence_line=True)
if overview.cells.empty:
    st.info("The store holds no figures for this region's authorities yet.")
    st.stop()
st.caption(f"Region · {overview.cells['la_code'].nunique()} local authorities · {overview.period}")
period = ui.select_param(
    "Year", {p: p for p in reversed(overview.periods)}, "period", overview.period
)
if period != overview.period:
    st.rerun()
cells = overview.cells
outcomes = outcome_choices(cells, list(ui.load_outcomes()["outcome"].drop_duplicates()))
outcome = ui.select_param("Outcome", {o: o for o in outcomes}, "outcome")
stem = f"{code}-{period.replace('/', '-')}"


def draw_red_reds() -> None:
    table = worse_and_worsening(cells)
    if table.empty:
        st.write("No authority has a figure both worse than England and getting worse.")
        return
    st.markdown(
        f"**{table['Local authority'].nunique()}** of {cells['la_code'].nunique()} authorities "
        f"have figures worse than England and getting worse ({len(table)} in all)."
    )
    ui.table_with_download(table, "red_reds", f"{stem}-worse-and-worsening.csv")


def draw_heat_map() -> None:
    shown = heat_cells(cells, outcome)
    ui.chart(
        charts.heat_map(shown, "Local authority", "Indicator", presentation=presenting),
        charts.describe_heat_map(shown, "Local authority", "Indicator"),
        shown,
        "heat",
        f"{stem}-heat-map.csv",
    )


def draw_map() -> None:
    titles, opening = map_choices(cells, outcome)
    indicator = ui.select_param("Indicator on the map", titles, "map_indicator", opening)
    ui.definition(indicator)
    las = ui.load_local_authorities(None)
    hexes, layout = region_hexes(cells, indicator, las)
    real = map_geometry.has_boundaries(las)
    # Comparison words keep the product's colours.
    draw_authority_map(hexes, layout, {}, "region", f"{stem}-{indicator}", presenting, real)


def draw_ranks() -> None:
    st.caption(
        "Each figure with its rank among all authorities in England (1 = best) and its quartile "
        "band (A best quarter, D worst)."
    )
    ui.table_with_download(rank_table(cells, outcome), "ranks", f"{stem}-ranks.csv")


def draw_gap_trends() -> None:
    groups = gap_trend_groups(overview.gap_counts, ui.load_pupil_groups())
    if not groups:
        st.write("No gap figures for this region's authorities in this year.")
        return
    group = ui.select_param("Focus group", groups, "gap_group", "disadvantaged")
    catalogue = ui.load_indicators()
    titles = dict(zip(catalogue["code"], catalogue["title"], strict=True))
    choices = gap_trend_choices(overview.gap_counts, titles, group)
    indicator = ui.select_param(
        "Indicator", choices, "gap_indicator", "ni_73" if "ni_73" in choices else None
    )
    trends = ui.load_region_gap_trends(code, indicator, group, period)
    unit = gap_unit(trends.indicator["unit"])
    table = gap_trend_table(trends.authorities, trends.periods, unit)
    noun = group_noun(group)
    if table.empty:
        st.write(f"No gap figures for {escape_markdown(noun)} on this indicator in these years.")
        return
    st.markdown(gap_trend_sentence(trends.authorities, noun))
    st.dataframe(table, hide_index=True, width="stretch", column_config={"Link": ui.link_column()})
    y_title = f"Gap ({unit})"
    ui.chart(
        charts.trend_chart(trends.series, y_title, presentation=presenting),
        charts.describe_trend_chart(trends.series, y_title),
        trends.series,
        "region_gap_trend",
        f"{stem}-{indicator}-{group}-gap-trend.csv",
    )


def draw_briefs() -> None:
    names = {
        c: b["la_name"] for c, b in sorted(overview.briefs.items(), key=lambda kv: kv[1]["la_name"])
    }
    la = ui.select_param("Authority", names, "brief")
    with st.container(border=True):
        st.markdown(brief_markdown(overview.briefs[la], period))
    ui.page_link("area", f"Open {names[la]}'s area overview", la=la)
    ui.page_link("plan", f"Open {names[la]}'s plan", la=la)


ui.panels(
    [
        ("Worse than England and getting worse", draw_red_reds),
        ("Authorities against England", draw_heat_map),
        ("Map", draw_map),
        ("Ranks and quartiles", draw_ranks),
        ("Gap trends by authority", draw_gap_trends),
        ("Priorities meeting brief", draw_briefs),
    ],
    presenting,
)
