"""The region overview's panels as Streamlit lays them out: figures worse and worsening, the
heat map, the map, ranks, gap trends by authority and the priorities briefs. The tables and
words come from :mod:`ecm.views.region`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ecm import charts
from ecm.catalogue import group_noun
from ecm.charts import map_geometry
from ecm.places.overview import RegionOverview
from ecm.ui.address import page_link, select_param
from ecm.ui.banners import definition
from ecm.ui.loaders import load_region_gap_trends
from ecm.ui.maps import draw_authority_map
from ecm.ui.packs import brief_download
from ecm.ui.presentation import chart, table_with_download
from ecm.ui.store import load_indicators, load_local_authorities, load_pupil_groups
from ecm.units import gap_unit
from ecm.views.markdown import escape_markdown
from ecm.views.region import (
    HEX_COLOURS,
    SECOND_TIER,
    SECOND_TIER_NOTE,
    SECOND_TIER_WORDS,
    brief_choices,
    brief_markdown,
    gap_trend_choices,
    gap_trend_groups,
    gap_trend_sentence,
    gap_trend_table,
    heat_cells,
    heat_parts,
    map_choices,
    rank_table,
    region_hexes,
    worse_and_worsening,
    worse_and_worsening_words,
    worst_quarter_and_worsening,
)


@dataclass(frozen=True)
class RegionScreen:
    """The region overview as drawn now: the outcome chosen (None: all) and whether the page
    is on the meeting-room screen."""

    overview: RegionOverview
    outcome: str | None
    presenting: bool

    @property
    def code(self) -> str:
        return self.overview.region["code"]

    @property
    def stem(self) -> str:
        """The start of the downloads' file names: the region and the year."""
        return f"{self.code}-{self.overview.period.replace('/', '-')}"


def region_panels(screen: RegionScreen) -> list[tuple[str, Callable[[], None]]]:
    """The region overview's panels in order, each with what draws it."""
    return [
        ("Worse than England and getting worse", lambda: draw_red_reds(screen)),
        ("Authorities against England", lambda: draw_heat_map(screen)),
        ("Map", lambda: draw_map(screen)),
        ("Ranks and quartiles", lambda: draw_ranks(screen)),
        ("Gap trends by authority", lambda: draw_gap_trends(screen)),
        ("Priorities meeting brief", lambda: draw_briefs(screen)),
    ]


def draw_red_reds(screen: RegionScreen) -> None:
    """Every authority's figures worse than England and getting worse (tested), then the
    second tier: in the worst quarter and worsening (untested)."""
    cells = screen.overview.cells
    table = worse_and_worsening(cells)
    if table.empty:
        st.write("No authority has a figure both worse than England and getting worse.")
    else:
        st.markdown(worse_and_worsening_words(table, cells))
        table_with_download(table, "red_reds", f"{screen.stem}-worse-and-worsening.csv")
    st.markdown(f"**{SECOND_TIER}**")
    st.caption(SECOND_TIER_NOTE)
    lagging = worst_quarter_and_worsening(cells)
    if lagging.empty:
        st.write("No authority has an untested figure in the worst quarter and worsening.")
        return
    st.markdown(worse_and_worsening_words(lagging, cells, SECOND_TIER_WORDS))
    table_with_download(lagging, "worst_quarter", f"{screen.stem}-worst-quarter-worsening.csv")


def draw_heat_map(screen: RegionScreen) -> None:
    """Authorities against England, indicator by indicator."""
    shown = heat_cells(screen.overview.cells, screen.outcome)
    if screen.presenting and len(parts := heat_parts(shown)) > 1:
        # On a projector the rows keep their size: a long list of authorities in parts.
        names = list(parts)
        part = st.segmented_control(
            "Authorities", names, default=names[0], key="heat_part", required=True,
            format_func=escape_markdown,  # names from data, never Markdown
            label_visibility="collapsed",  # the parts name authorities; a screen reader hears it
        )  # fmt: skip
        shown = parts[part or names[0]]
    chart(
        charts.heat_map(shown, "Local authority", "Indicator", presentation=screen.presenting),
        charts.describe_heat_map(shown, "local authorities", "indicators"),
        shown,
        "heat",
        f"{screen.stem}-heat-map.csv",
        keep_height=True,
    )


def draw_map(screen: RegionScreen) -> None:
    """One indicator's comparison with England on the map of the region's authorities."""
    cells = screen.overview.cells
    titles, opening = map_choices(cells, screen.outcome)
    # The pickers side by side, so the map starts high enough to be whole on a projector.
    chosen, kind, about = st.columns([3, 2, 1], vertical_alignment="bottom")
    with chosen:
        indicator = select_param("Indicator on the map", titles, "map_indicator", opening)
    with about:
        definition(indicator)
    las = load_local_authorities(None)
    hexes, layout = region_hexes(cells, indicator, las, screen.overview.region["code"])
    real = map_geometry.has_boundaries(las)
    # Comparison words keep the product's colours; "no figure" has its own grey.
    stem = f"{screen.stem}-{indicator}"
    draw_authority_map(hexes, layout, HEX_COLOURS, "region", stem, screen.presenting, real, kind)


def draw_ranks(screen: RegionScreen) -> None:
    """Each figure's national rank and quartile band."""
    st.caption(
        "Each figure with its rank among the authorities loaded (1 = best) and its quartile "
        "band (A best quarter, D worst)."
    )
    table = rank_table(screen.overview.cells, screen.outcome)
    table_with_download(table, "ranks", f"{screen.stem}-ranks.csv")


def draw_gap_trends(screen: RegionScreen) -> None:
    """One gap's trend in each authority: a table widening first, and a chart."""
    overview = screen.overview
    groups = gap_trend_groups(overview.gap_counts, load_pupil_groups())
    if not groups:
        st.write("No gap figures for this region's authorities in this year.")
        return
    group = select_param("Focus group", groups, "gap_group", "disadvantaged")
    catalogue = load_indicators()
    titles = dict(zip(catalogue["code"], catalogue["title"], strict=True))
    choices = gap_trend_choices(overview.gap_counts, titles, group)
    indicator = select_param(
        "Indicator", choices, "gap_indicator", "ni_73" if "ni_73" in choices else None
    )
    trends = load_region_gap_trends(screen.code, indicator, group, overview.period)
    unit = gap_unit(trends.indicator["unit"])
    table = gap_trend_table(trends.authorities, trends.periods, unit)
    noun = group_noun(group)
    if table.empty:
        st.write(f"No gap figures for {escape_markdown(noun)} on this indicator in these years.")
        return
    st.markdown(gap_trend_sentence(trends.authorities, noun))
    table_with_download(
        table, "region_gap_trends", f"{screen.stem}-{indicator}-{group}-gaps.csv", ("Link",)
    )
    y_title = f"Gap ({unit})"
    chart(
        charts.trend_chart(trends.series, y_title, presentation=screen.presenting),
        charts.describe_trend_chart(trends.series, y_title),
        trends.series,
        "region_gap_trend",
        f"{screen.stem}-{indicator}-{group}-gap-trend.csv",
    )


def draw_briefs(screen: RegionScreen) -> None:
    """The priorities-meeting brief of the authority chosen, with links to its pages."""
    briefs = screen.overview.briefs
    names = brief_choices(briefs)
    la = select_param("Authority", names, "brief")
    with st.container(border=True):
        st.markdown(brief_markdown(briefs[la], screen.overview.period))
    brief_download(screen.overview, la, names[la])
    name = escape_markdown(names[la])
    page_link("area", f"Open {name}'s area overview", la=la)
    page_link("plan", f"Open {name}'s plan", la=la)
