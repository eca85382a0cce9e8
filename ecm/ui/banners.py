"""Headings and banners every page shares: the fictional-data warning or the licence line,
sources, definitions, outcome icons.
"""

from __future__ import annotations

import streamlit as st

from ecm.figures import queries
from ecm.ui.store import engine, load_import_batches, load_indicators
from ecm.views.markdown import escape_markdown

OUTCOME_ICONS = {
    "be_healthy": ":material/favorite:",
    "stay_safe": ":material/shield:",
    "enjoy_achieve": ":material/school:",
    "positive_contribution": ":material/groups:",
    "economic_wellbeing": ":material/work:",
}


#: The fictional-data warning in full, and on one line for presentation mode's thin banner.
FICTIONAL_WORDS = (
    "**Fictional demo data.** Every region, authority, school, figure and plan shown here is "
    "invented for demonstration and describes no real place."
)
FICTIONAL_SHORT = "**Fictional demo data:** invented places and figures, no real place."


def fictional_warning(short: bool = False) -> None:
    """The warning that the figures are invented (``short``: one line, for the projector)."""
    st.warning(FICTIONAL_SHORT if short else FICTIONAL_WORDS, icon=":material/science:")


def fictional_banner(licence_line: bool = False, short: bool = False) -> None:
    """Say plainly, on every page, when the figures are invented; with ``licence_line``, a
    page of real figures says under what licence they are published instead. ``short``: the
    one-line forms, for presentation mode."""
    if queries.holds_fictional_data(engine()):
        fictional_warning(short)
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
        definition = escape_markdown(row.get("definition") or "")
        st.markdown(f"**{escape_markdown(row['title'])}**\n\n{definition}")
        if isinstance(row.get("source"), str):
            st.caption(f"Source: {escape_markdown(row['source'])}")


def source_banner(fictional: bool, sources: list[dict], short: bool = False) -> None:
    """For a place: the fictional-data warning, or the real sources and their licences
    (``short``: the licences only, on one line, for presentation mode)."""
    if fictional:
        st.warning(
            FICTIONAL_SHORT
            if short
            else "**Fictional demo data.** This place and every figure shown for it are invented "
            "for demonstration and describe no real place.",
            icon=":material/science:",
        )
        return
    licences = sorted({s["licence"] for s in sources if s.get("licence")})
    if short:
        st.caption(" ".join([*licences, "Each figure's source: the Data sources page."]))
        return
    files = ", ".join(escape_markdown(f) for f in sorted({s["file"] for s in sources})) or "none"
    st.caption(f"Sources: {files}. " + " ".join(licences))


#: The way on from an unknown or malformed place: the search box in every page's sidebar
#: (:mod:`ecm.ui.search`), or Home, which the link under it opens.
SEARCH_WAY_ON = "Search for a school, authority or region in the sidebar, or start from Home"


def search_way_on() -> None:
    """The way on from a place the page cannot show: a link to Home that names the sidebar's
    search."""
    st.page_link("app_pages/home.py", label=SEARCH_WAY_ON, icon=":material/search:")


def not_found(words: str, parent: tuple[str, str, dict[str, str]] | None = None) -> None:
    """Stop the page with ``words`` (markdown: the caller escapes any value from the address)
    and a way on: the place's parent page (``page``, label, query params) when known, and the
    sidebar's search (:func:`search_way_on`)."""
    st.error(words, icon=":material/search_off:")
    if parent is not None:
        page, label, params = parent
        st.page_link(f"app_pages/{page}.py", label=label, query_params=params)
    search_way_on()
    st.stop()
