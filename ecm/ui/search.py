"""The search box every page shows in the sidebar: schools, LAs and regions by name (typos
forgiven) or code, each result a link to the place's page."""

from __future__ import annotations

import streamlit as st

from ecm.config import database_url
from ecm.places.search import SearchResults, search_places
from ecm.ui.address import page_link
from ecm.ui.store import CACHE_TTL, engine_for, run_version
from ecm.views.search import more_line, nothing_found, result_address, result_label

# A result's label names the place, its kind, code, phase, authority and status; cut to one
# line (Streamlit's page links do that in the narrow sidebar), two schools of one name could not
# be told apart. Scoped to the sidebar's page links, which only the results and the page list are.
WRAPPED_RESULTS_CSS = """
<style>
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"],
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  height: auto !important;
}
</style>
"""


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _search(url: str, version: int, text: str) -> SearchResults:
    return search_places(engine_for(url), text)


def search_box() -> None:
    """The search box and, under it, its results as links (anchors a keyboard or screen
    reader follows); the text typed is kept as the reader moves between pages."""
    text = st.text_input(
        "Search schools, authorities and regions",
        key="place_search",
        placeholder="Name, URN, LAESTAB or code",
        help="A school's name (typos are forgiven), URN or LAESTAB (850/2005 or 8502005); an "
        "authority's name, ONS code or number (850); a region's name or code.",
    )
    if not text.strip():
        return
    results = _search(database_url(), run_version(), text.strip())
    if results.matches.empty:
        st.caption(nothing_found(text))
        return
    st.html(WRAPPED_RESULTS_CSS)
    for match in results.matches.to_dict("records"):
        page, params = result_address(match)
        page_link(page, result_label(match), **params)
    more = more_line(results)
    if more:
        st.caption(more)
