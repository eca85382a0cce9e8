"""The gap explorer's panels as Streamlit lays them out: ranked gaps, the funnel, the spread,
the trend and the map. The tables and words come from :mod:`ecm.views.gaps`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ecm import charts
from ecm.charts import map_geometry
from ecm.places.explorer import GapExploration
from ecm.ui.maps import draw_authority_map
from ecm.ui.presentation import chart, table_with_download
from ecm.ui.store import load_local_authorities
from ecm.views.gaps import (
    compared_places_caption,
    funnel_points,
    gap_axis_title,
    gap_table,
    map_cells,
    map_colours,
    ranked_rows,
    ranked_table,
    ranking_rule,
    spread_table,
)


@dataclass(frozen=True)
class GapScreen:
    """The explorer's result as drawn now, with the focus group's title and whether the page
    is on the meeting-room screen."""

    result: GapExploration
    group_title: str
    presenting: bool

    @property
    def stem(self) -> str:
        """The start of the downloads' file names: indicator, group and level."""
        r = self.result
        return f"{r.indicator['code']}-{r.focus_group}-{r.level}"

    @property
    def x_title(self) -> str:
        return gap_axis_title(self.result.indicator["unit"])


def gap_panels(screen: GapScreen) -> list[tuple[str, Callable[[], None]]]:
    """The explorer's panels in order, each with what draws it."""
    return [
        ("Ranked gaps", lambda: draw_ranked(screen)),
        ("Funnel plot", lambda: draw_funnel(screen)),
        ("How the gaps are spread", lambda: draw_distribution(screen)),
        ("The gap over time", lambda: draw_trend(screen)),
        ("Map", lambda: draw_map(screen)),
    ]


def draw_ranked(screen: GapScreen) -> None:
    """The widest and narrowest gaps in a chart, then every place in a table."""
    result, x_title = screen.result, screen.x_title
    rows = ranked_rows(result)
    if rows.empty:
        st.write("No place has a gap to show.")
        return
    table = gap_table(result)
    stem = f"gaps-{screen.stem}-{result.period.replace('/', '-')}"
    chart(
        charts.ranked_gaps(rows, x_title, presentation=screen.presenting),
        charts.describe_ranked_gaps(rows, x_title, of=result.summary["ranked"]),
        ranked_table(result, table),
        "ranked",
        f"{stem}-ranked.csv",
    )
    st.caption(f"{ranking_rule(result)} {compared_places_caption(result)}")
    st.subheader(f"Every place, widest gap first ({len(table):,})")
    table_with_download(table, "every_gap", f"{stem}.csv", ("Place page",))


def draw_funnel(screen: GapScreen) -> None:
    """Each place's gap against its group size, within the limits chance allows."""
    result, x_title = screen.result, screen.x_title
    if result.limits.empty:
        st.write("No funnel: the national figure or the places' group sizes are missing.")
        return
    points = funnel_points(result)
    chart(
        charts.funnel_plot(
            points,
            result.limits,
            result.centre,
            x_title,
            f"Number of {screen.group_title.lower()}",
            presentation=screen.presenting,
        ),
        charts.describe_funnel_plot(points, result.centre, x_title),
        points,
        "funnel",
        f"funnel-{screen.stem}.csv",
    )
    st.caption(compared_places_caption(result))


def draw_distribution(screen: GapScreen) -> None:
    """How the gaps are spread."""
    values = screen.result.gaps["gap"].dropna()
    if values.empty:
        st.write("No gaps to show.")
        return
    chart(
        charts.distribution(values, screen.x_title, presentation=screen.presenting),
        charts.describe_distribution(values, screen.x_title),
        spread_table(values),
        "distribution",
        f"gap-distribution-{screen.stem}.csv",
    )


def draw_trend(screen: GapScreen) -> None:
    """The national gap (and the places') over the years."""
    result = screen.result
    if result.trend.empty:
        st.write("No earlier years to compare.")
        return
    chart(
        charts.trend_chart(result.trend, screen.x_title, presentation=screen.presenting),
        charts.describe_trend_chart(result.trend, screen.x_title),
        result.trend,
        "trend",
        f"gap-trend-{result.indicator['code']}-{result.focus_group}.csv",
    )


def draw_map(screen: GapScreen) -> None:
    """LA gaps on the map, coloured by funnel position (or quarter)."""
    result = screen.result
    las = load_local_authorities(None)
    hexes, layout = map_cells(result, las)
    if hexes is None:
        st.write("Maps show local authorities: choose Local authorities above.")
        return
    real = map_geometry.has_boundaries(las)
    stem = f"gap-{result.indicator['code']}-{result.focus_group}"
    draw_authority_map(hexes, layout, map_colours(hexes), "gaps", stem, screen.presenting, real)
