"""Headings and banners every page shares: the fictional-data warning or the licence line,
sources, definitions, outcome icons.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ecm.figures import queries
from ecm.ui.store import engine, load_import_batches, load_indicators

OUTCOME_ICONS = {
    "be_healthy": ":material/favorite:",
    "stay_safe": ":material/shield:",
    "enjoy_achieve": ":material/school:",
    "positive_contribution": ":material/groups:",
    "economic_wellbeing": ":material/work:",
}


def fictional_banner(licence_line: bool = False) -> None:
    """Say plainly, on every page, when the figures are invented; with ``licence_line``, a
    page of real figures says under what licence they are published instead."""
    if queries.holds_fictional_data(engine()):
        st.warning(
            "**Fictional demo data.** Every region, authority, school, figure and plan shown "
            "here is invented for demonstration and describes no real place.",
            icon=":material/science:",
        )
    elif licence_line:
        batches = load_import_batches()
        licences = sorted({x for x in batches.get("licence", []) if isinstance(x, str) and x})
        if licences:
            st.caption(
                " ".join(licences) + ". Each figure's source file is listed on Data sources."
            )


def definition(code: str) -> None:
    """An indicator's definition and source, one click away."""
    indicators = load_indicators().set_index("code")
    if code not in indicators.index:
        return
    row = indicators.loc[code]
    with st.popover("Definition", icon=":material/info:"):
        st.markdown(f"**{row['title']}**\n\n{row.get('definition', '')}")
        if isinstance(row.get("source"), str):
            st.caption(f"Source: {row['source']}")


def source_banner(fictional: bool, sources: list[dict]) -> None:
    """For a place: the fictional-data warning, or the real sources and their licences."""
    if fictional:
        st.warning(
            "**Fictional demo data.** This place and every figure shown for it are invented for "
            "demonstration and describe no real place.",
            icon=":material/science:",
        )
        return
    files = ", ".join(sorted({s["file"] for s in sources})) or "none"
    licences = sorted({s["licence"] for s in sources if s.get("licence")})
    st.caption(f"Sources: {files}. " + " ".join(licences))


def not_found(words: str, parent: tuple[str, str, dict[str, str]] | None = None) -> None:
    """Stop the page with ``words`` (markdown: the caller escapes any value from the address)
    and a way on: the place's parent page (``page``, label, query params) when known, and the
    search on Home."""
    st.error(words, icon=":material/search_off:")
    if parent is not None:
        page, label, params = parent
        st.page_link(f"app_pages/{page}.py", label=label, query_params=params)
    st.page_link(
        "app_pages/home.py",
        label="Find a school, authority or region on Home",
        icon=":material/search:",
    )
    st.stop()


def place_heading(
    profile: dict | None, missing: str, empty: str, notes: Callable[[], None] | None = None
) -> None:
    """Title a place's page with its name and sources, or stop the page with ``missing``
    (unknown code) or ``empty`` (no figures held). ``notes`` draws what a page says under
    its title even when no figures are held (a closed school's successor, say)."""
    if profile is None:
        not_found(missing)
    geography = profile["geography"]
    st.title(geography["name"])
    source_banner(geography["fictional"], profile["sources"])
    if notes is not None:
        notes()
    if not profile["observations"]:
        st.info(empty)
        st.stop()
