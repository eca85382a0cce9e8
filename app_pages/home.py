"""Home: the five outcomes explained, and a way in for a school, an authority or a region."""

from __future__ import annotations

import streamlit as st

from ecm import ui
from ecm.views.markdown import escape_markdown
from ecm.views.register import school_tiles

st.title("Every Child Matters outcomes dashboard")
ui.fictional_banner()
st.markdown(
    "How children are doing on the five **Every Child Matters** outcomes, school by school and "
    "area by area; where disadvantaged children fall behind their peers; and what the area's "
    "Children and Young People's Plan does about each gap. For **headteachers**, "
    "**Children's Trust Boards** and **Government Office** teams."
)

st.header("Find a school, authority or region")
ui.complete_selection()
regions = ui.load_regions()
if regions.empty:
    st.info("The store holds no areas yet. Import data or build the demo: `python -m ecm demo`.")

left, middle, right = st.columns(3)
with left:
    region = ui.select_by_code(
        "Region",
        regions,
        "region",
        key="pick_region",
        placeholder="Choose a region",
        clears=("la", "urn"),
    )
with middle:
    las = ui.load_local_authorities(region)
    la = ui.select_by_code(
        "Local authority",
        las,
        "la",
        key="pick_la",
        placeholder="Choose an authority",
        clears=("urn",),
    )
with right:
    schools = ui.load_schools(la) if la else None
    urn = None
    if schools is not None and not schools.empty:
        options = schools.rename(columns={"urn": "code"})
        urn = ui.select_by_code(
            "School", options, "urn", key="pick_school", placeholder="Choose a school"
        )
    else:
        # Not a disabled picker: its greyed label would fall below WCAG contrast.
        st.markdown("**School**  \nChoose an authority first.")

st.caption(
    "Or type a name or code in the search box at the top of the sidebar, on any page: a "
    "school's name (typos are forgiven), URN or LAESTAB, an authority or a region."
)

ui.fill_address(region=region, la=la, urn=urn)  # picks went in as they were made
if urn:
    school = ui.load_school_summary(urn)
    if school:
        with st.container(border=True):
            st.subheader(escape_markdown(school["name"]), anchor=False)
            st.markdown(
                f"URN **{school['urn']}** · LAESTAB **{school['laestab']}** · "
                f"{escape_markdown((school['phase'] or 'phase unknown').capitalize())} · "
                f"{escape_markdown(school['school_type'])}  \n"
                f"{escape_markdown(school['la_name'])} · {escape_markdown(school['region_name'])}"
            )
            for column, (label, value) in zip(st.columns(3), school_tiles(school), strict=True):
                column.metric(label, value)
            ui.page_link("school", "Open the school's profile", urn=urn)
            ui.profile_link("All its figures in one table", urn=urn)
elif la:
    authority = ui.load_la_summary(la)
    if authority:
        with st.container(border=True):
            st.subheader(escape_markdown(authority["name"]), anchor=False)
            st.markdown(
                f"ONS code **{authority['code']}** · LA number **{authority['old_code']}** · "
                f"{escape_markdown(authority['region_name'])}"
            )
            phases = authority["schools_by_phase"]
            a, b, c, d = st.columns(4)
            a.metric("Primary schools", phases.get("primary", 0))
            b.metric("Secondary schools", phases.get("secondary", 0))
            c.metric("Special schools", phases.get("special", 0))
            d.metric("Plan actions", authority["actions"])
            ui.page_link("area", "Open the area overview: gaps and the plan", la=la)
            ui.page_link("plan", "Open the plan: gaps with no action, actions off track", la=la)
            ui.profile_link("All its figures in one table", la=la)
elif region:
    summary = ui.load_region_summary(region)
    if summary:
        with st.container(border=True):
            st.subheader(escape_markdown(summary["name"]), anchor=False)
            a, b = st.columns(2)
            a.metric("Local authorities", summary["las"])
            b.metric("Schools", f"{summary['schools']:,}")
            ui.page_link(
                "region", "Open the region overview: authorities side by side", code=region
            )
            ui.profile_link("All its figures in one table", region=region)

st.header("Ways in")
ways = st.columns(3)
with ways[0].container(border=True):
    st.markdown(
        "**Headteachers**: your school's well-being profile against the LA, England and "
        "similar schools, its widest gaps and the plan's actions."
    )
with ways[1].container(border=True):
    st.markdown(
        "**Children's Trust Boards**: your area's significant gaps, widest and widening "
        "first, and which have no action in the plan."
    )
with ways[2].container(border=True):
    st.markdown(
        "**Government Office teams**: the authorities of a region against England, getting "
        "better or worse, with a brief for each."
    )
ui.page_link("gaps", "Or explore any gap across all schools, authorities or regions")

st.header("The five outcomes")
outcomes = ui.load_outcomes()
columns = st.columns(5)
for column, (code, aims) in zip(
    columns, outcomes.groupby("outcome_code", sort=False), strict=False
):
    with column.container(border=True):
        st.markdown(f"#### {aims['outcome'].iloc[0]}")
        st.caption(f"{ui.OUTCOME_ICONS.get(code, '')} {aims['indicators'].iloc[0]} indicators")
        st.markdown("\n".join(f"- {aim}" for aim in aims["aim"]))
