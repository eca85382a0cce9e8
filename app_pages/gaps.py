"""Gap explorer: any indicator, focus group and level; ranked gaps, funnel, spread, trend, map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecm import charts, ui
from ecm.charts import map_geometry
from ecm.ui.maps import draw_authority_map
from ecm.views.gaps import gap_table, map_cells, map_colours, ranked_rows, ranked_table

presenting = ui.presentation_mode()
st.title("Gap explorer")
ui.fictional_banner(licence_line=True)

catalogue = ui.load_indicators()
catalogue = catalogue[catalogue["polarity"].isin(["higher_is_better", "lower_is_better"])]
groups = ui.load_pupil_groups().dropna(subset=["comparator_code"])
levels = {"school": "Schools", "la": "Local authorities", "region": "Regions"}

top = st.columns([3, 2, 2])
with top[0]:
    indicator = ui.select_param(
        "Indicator",
        dict(zip(catalogue["code"], catalogue["title"], strict=True)),
        "indicator",
        default="ni_73" if ui.holds_fictional_data() else "ptrwm_exp",
    )
with top[1]:
    group = ui.select_param(
        "Focus group",
        dict(zip(groups["code"], groups["title"], strict=True)),
        "group",
        default="disadvantaged",
    )
with top[2]:
    level = ui.select_param("Places", levels, "level", default="la")

regions = ui.load_regions()
filters = st.columns([2, 2, 2])
with filters[0]:
    region = ui.select_param(
        "Only in region",
        {"": "All regions", **dict(zip(regions["code"], regions["name"], strict=True))},
        "within_region",
    )
within = ("region", region) if region and level != "region" else None
la = ""
if region and level == "school":
    las = ui.load_local_authorities(region)
    with filters[1]:
        la = ui.select_param(
            "Only in authority",
            {"": "All its authorities", **dict(zip(las["code"], las["name"], strict=True))},
            "within_la",
        )
    within = ("la", la) if la else within

result = ui.load_gap_exploration(indicator, group, level, ui.query_param("period"), within)
if not result.periods:
    st.info("The store holds no national figures for this indicator and group.")
    st.stop()
with filters[2]:
    period = ui.select_param(
        "Year", {p: p for p in reversed(result.periods)}, "period", result.period
    )
if period != result.period:
    st.rerun()

ui.definition(indicator)
titles = ui.load_pupil_groups().set_index("code")["title"]
comparator = titles.get(result.comparator_group, result.comparator_group)
unit = result.indicator["unit"]
points = "percentage points" if unit == "%" else unit
summary = result.summary
funnel_clause = (
    f" **{summary['above_998']:,}** lie above the funnel's 99.8% limit (wider than chance "
    "allows for their size)"
    + (
        f"; the funnel holds the {summary['with_sizes']:,} places whose figures come with group "
        "sizes."
        if summary["with_sizes"] < summary["with_figures"]
        else "."
    )
    if not result.limits.empty
    else " No funnel: the places' figures come without group sizes (or the sizes count "
    "sessions, not pupils), so no limits can be drawn."
)
st.markdown(
    f"**{summary['with_figures']:,}** of {summary['places']:,} {levels[level].lower()} have a "
    f"figure for {result.indicator['title']} in {result.period}. The gap is each place's "
    f"**{groups.set_index('code').loc[group, 'title'].lower()}** against "
    f"**{comparator.lower()} nationally**; positive means the focus group is worse off, in "
    f"{points}. Nationally the gap is **{result.centre:.1f}**. "
    f"**{summary['focus_worse']:,}** places have a gap significantly above zero." + funnel_clause
    if result.centre is not None
    else "There is no national gap for this indicator and group in this year."
)

table = gap_table(result)
x_title = f"Gap ({points}; positive = focus group worse off)"


def draw_ranked() -> None:
    rows = ranked_rows(result)
    if rows.empty:
        st.write("No place has a gap to show.")
        return
    stem = f"gaps-{indicator}-{group}-{level}-{result.period.replace('/', '-')}"
    ui.chart(
        charts.ranked_gaps(rows, x_title, presentation=presenting),
        charts.describe_ranked_gaps(rows, x_title, of=summary["with_figures"]),
        ranked_table(table),
        "ranked",
        f"{stem}-ranked.csv",
    )
    st.subheader(f"Every place, widest gap first ({len(table):,})")
    ui.table_with_download(table, "every_gap", f"{stem}.csv", ("Place page",))


def draw_funnel() -> None:
    if result.limits.empty:
        st.write("No funnel: the national figure or the places' group sizes are missing.")
        return
    plotted = result.gaps.dropna(subset=["gap", "size"])
    points_frame = pd.DataFrame(
        {
            "label": plotted["name"],
            "size": plotted["size"],
            "value": plotted["gap"],
            "position": plotted["position"],
        }
    )
    ui.chart(
        charts.funnel_plot(
            points_frame,
            result.limits,
            result.centre,
            x_title,
            f"Number of {groups.set_index('code').loc[group, 'title'].lower()}",
            presentation=presenting,
        ),
        charts.describe_funnel_plot(points_frame, result.centre, x_title),
        points_frame,
        "funnel",
        f"funnel-{indicator}-{group}-{level}.csv",
    )


def draw_distribution() -> None:
    values = result.gaps["gap"].dropna()
    if values.empty:
        st.write("No gaps to show.")
        return
    ui.chart(
        charts.distribution(values, x_title, presentation=presenting),
        charts.describe_distribution(values, x_title),
        values.describe().rename_axis("statistic").reset_index(),
        "distribution",
        f"gap-distribution-{indicator}-{group}-{level}.csv",
    )


def draw_trend() -> None:
    if result.trend.empty:
        st.write("No earlier years to compare.")
        return
    ui.chart(
        charts.trend_chart(result.trend, x_title, presentation=presenting),
        charts.describe_trend_chart(result.trend, x_title),
        result.trend,
        "trend",
        f"gap-trend-{indicator}-{group}.csv",
    )


def draw_map() -> None:
    las = ui.load_local_authorities(None)
    hexes, layout = map_cells(result, las)
    if hexes is None:
        st.write("Maps show local authorities: choose Local authorities above.")
        return
    real = map_geometry.has_boundaries(las)
    stem = f"gap-{indicator}-{group}"
    draw_authority_map(hexes, layout, map_colours(hexes), "gaps", stem, presenting, real)


ui.panels(
    [
        ("Ranked gaps", draw_ranked),
        ("Funnel plot", draw_funnel),
        ("How the gaps are spread", draw_distribution),
        ("The gap over time", draw_trend),
        ("Map", draw_map),
    ],
    presenting,
)
