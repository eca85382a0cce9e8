"""The meeting pack's download on each place's page (:mod:`ecm.packs.workbook`)."""

from __future__ import annotations

import streamlit as st

from ecm.ui.address import presenting
from ecm.ui.signin import for_this_viewer
from ecm.ui.store import engine

LEVEL_NOUNS = {"school": "school's", "la": "authority's", "region": "region's"}


def pack_download(level: str, code: str, period: str) -> None:
    """ "Meeting pack (.xlsx)": the place's figures, gaps, plan coverage (an authority's) and
    definitions for ``period``, made when pressed, for the remit of the person pressing it.
    Not while presenting (the shared screen shows; the pack is for circulating)."""
    if presenting():
        return
    from ecm.packs.workbook import pack_file_name, workbook_pack

    store = engine()
    st.download_button(
        "Meeting pack (.xlsx)",
        for_this_viewer(lambda: workbook_pack(store, level, code, period).content),
        file_name=pack_file_name(code, period),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_pack",
        icon=":material/download:",
        on_click="ignore",  # made when pressed, not on every run of the page
        help=f"The {LEVEL_NOUNS[level]} figures and gaps with their intervals, the plan's "
        "coverage of the gaps, and the definitions, one sheet each with the source files: "
        "the same figures as on screen, for your account.",
    )
