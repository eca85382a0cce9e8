"""Region overview: the LAs of a region side by side, for a Government Office priorities
meeting."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.ui.region_sections import RegionScreen, region_panels
from ecm.views.markdown import escape_markdown, shown_value
from ecm.views.region import outcome_choices, region_caption

presenting = ui.presentation_mode()
regions = ui.load_regions()
if regions.empty:
    st.title("Region overview")
    st.info("The store holds no regions yet.")
    st.stop()
code = ui.query_param("code")
names = dict(zip(regions["code"], regions["name"], strict=True))
if code not in names:
    st.title("Region overview")
    ui.fictional_banner()
    if code:  # never another region in its place: name it, and list those there are
        st.error(f"No region with code {shown_value(code)} is in the store.")
        for other, name in names.items():
            ui.page_link("region", escape_markdown(name), code=other)
        st.stop()
    code = ui.select_param("Region", names, "code")

overview = ui.load_region_overview(code, ui.query_param("period"))
if presenting:
    bar = ui.header_bar(
        overview.region["name"], lambda: ui.fictional_banner(licence_line=True, short=True), 2
    )
else:
    bar = None
    st.title(escape_markdown(overview.region["name"]))
    ui.fictional_banner(licence_line=True)
if overview.cells.empty:
    st.info("The store holds no figures for this region's authorities yet.")
    st.stop()
if not presenting:
    st.caption(region_caption(overview.cells, overview.period))
period = ui.year_picker(overview.periods, overview.period, bar)
ui.note_provenance(place=overview.region["name"], fictional=bool(overview.region.get("fictional")))
ui.pack_download("region", code, period)
ui.region_downloads(overview)
cells = overview.cells
outcomes = outcome_choices(cells, list(ui.load_outcomes()["outcome"].drop_duplicates()))
with bar.pickers if bar else st.container():
    outcome = ui.select_param(
        "Outcome of the heat map, map and ranks",
        {o: o for o in outcomes},
        "outcome",
        label_visibility="collapsed" if bar else "visible",
    )
ui.panels(region_panels(RegionScreen(overview, outcome, presenting)), presenting, bar)
