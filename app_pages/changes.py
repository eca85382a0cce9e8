"""What changed: a place's movement between two years (the last meeting's and this one's):
gaps newly significant, newly widening or closed; figures newly worse than England or no
longer; the plan's actions newly off track or back on track."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.views.changes import changes_summary
from ecm.views.data_sources import LEVEL_WORDS

place = ui.selected_place()
if place is None:
    st.title("What changed")
    ui.fictional_banner()
    st.info("Choose a school, local authority or region first: open its page and follow "
            "\"What changed since last year\".")  # fmt: skip
    st.page_link("app_pages/home.py", label="Go to Home", icon=":material/home:")
    st.stop()

level, code = place
latest = ui.load_profile(level, code, ui.query_param("period"))
bar = ui.place_heading(
    latest,
    f"No {LEVEL_WORDS[level].lower()} with code {code} is in the store.",
    "The store holds no figures for this place yet.",
)
st.caption(
    "What changed between two years (the last meeting's and this one's): gaps, comparisons "
    "with England and, for an authority, the plan's actions."
)
periods = latest["available_periods"] or [latest["period"]]
if len(periods) < 2:
    st.info(f"The store holds only {latest['period']} for this place: nothing to compare yet.")
    st.stop()
after = ui.year_picker(periods, latest["period"], bar)
earlier = [p for p in periods if p < after]
if not earlier:
    st.info(f"{after} is the first year held for this place: choose a later year to compare.")
    st.stop()
before = ui.select_param("Compared with", {p: p for p in reversed(earlier)}, "since")
changes = ui.load_changes(level, code, before, after)
st.markdown(changes_summary(changes, plan=level == "la"))
stem = f"{code}-{before.replace('/', '-')}-to-{after.replace('/', '-')}"
for heading, table, empty in changes.sections():
    if level != "la" and heading.startswith("Actions"):
        continue  # a plan is an authority's
    st.subheader(heading)
    key = heading.lower().split(" (")[0].replace(" ", "_")
    ui.table_with_download(table, key, f"{stem}-{key}.csv", empty=empty)
