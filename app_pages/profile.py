"""Profile: one school's, authority's or region's figures, benchmarks, trends and gaps."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.views.markdown import escape_markdown
from ecm.views.profile_tables import marker_meaning, screen_tables

place = ui.selected_place()
if place is None:
    st.title("Profile")
    ui.fictional_banner()
    st.info("Choose a school, local authority or region on the Home page first.")
    st.page_link("app_pages/home.py", label="Go to Home", icon=":material/home:")
    st.stop()

level, code = place
profile = ui.load_profile(level, code, ui.query_param("period"))
ui.place_heading(
    profile,
    f"No {level} with code {code} is in the store.",
    "The store holds no figures for this place yet.",
)
geography = profile["geography"]
context = [p["name"] for p in (geography.get("la"), geography.get("region")) if p]
st.caption(
    " · ".join([{"school": "School", "la": "Local authority", "region": "Region"}[level], *context])
)

periods = profile["available_periods"] or [profile["period"]]
period = ui.select_param("Year", {p: p for p in reversed(periods)}, "period", profile["period"])
if period != profile["period"]:
    st.rerun()

figures, gaps = screen_tables(profile)
st.markdown(
    "Each figure has its 95% confidence interval. **▲ better** and **▼ worse** mean significantly "
    "different from the comparator at 95%; **● similar** means not significantly different. "
    "Bands run from A (best quarter) to D (worst quarter) of all authorities, all regions, or "
    "schools of the same phase. A **red-red** is worse than England and getting worse. "
    f"**c**: {marker_meaning('c')}."
)
st.header("Areas of interest")
interest = profile["areas_of_interest"]
if interest:
    st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in interest[:8]))
    if len(interest) > 8:
        with st.expander(f"{len(interest) - 8} more"):
            st.markdown("\n".join(f"- {escape_markdown(s)}" for s in interest[8:]))
else:
    st.write(
        "Nothing stands out: no figure is significantly worse than England, and no gap is "
        "persistent or widening."
    )

st.header("Gaps")
st.caption(
    "Positive gaps mean the focus group is worse off, in the indicator's unit (percentage points "
    "for percentages). Significant gaps first, widest first."
)
ui.table_with_download(gaps, "gaps", f"{code}-{period}-gaps.csv")

st.header("Figures by outcome")
tabs = st.tabs(list(figures["Outcome"].drop_duplicates()) if not figures.empty else ["No figures"])
for tab, (outcome, rows) in zip(tabs, figures.groupby("Outcome", sort=False), strict=False):
    with tab:
        ui.table_with_download(
            rows.drop(columns="Outcome"), f"figures-{outcome}", f"{code}-{period}-{outcome}.csv"
        )
