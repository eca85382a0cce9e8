"""The meeting pack's downloads on each place's page (:mod:`ecm.packs`): PDF, PowerPoint and
Excel, each made when pressed for the remit of the person pressing it."""

from __future__ import annotations

import streamlit as st

from ecm.ui.address import presenting
from ecm.ui.signin import for_this_viewer
from ecm.ui.store import engine

LEVEL_NOUNS = {"school": "school's", "la": "authority's", "region": "region's"}
#: What each format is for, said in its button's help.
FORMAT_HELP = {
    "pdf": "to circulate and print: cover with the sources, the five outcomes, the gaps with "
    "their intervals and trends{plan}, areas of interest and definitions, page-numbered",
    "pptx": "for the meeting's screen: one slide per outcome, the gaps{plan}",
    "xlsx": "the data behind every table, one sheet each, with the definitions and the "
    "source files",
}


def pack_download(level: str, code: str, period: str) -> None:
    """ "Meeting pack": three buttons, PDF, PowerPoint and Excel, of the place's figures, gaps
    and (an authority's) plan coverage for ``period``. Each is made when pressed (the button
    turns to a spinner while it is made, a few seconds) for the account pressing it. Not while
    presenting (the shared screen shows; the pack is for circulating)."""
    if presenting():
        return
    from ecm.packs import FORMATS, make_pack, pack_file_name

    store = engine()
    plan = ", the plan's coverage and its actions off track" if level == "la" else ""
    columns = st.columns([2, 2.6, 2, 1.4], gap="small", vertical_alignment="center")
    for column, (fmt, kind) in zip(columns, FORMATS.items(), strict=False):
        column.download_button(
            f"Meeting pack ({kind.label})",
            for_this_viewer(lambda fmt=fmt: make_pack(store, level, code, period, fmt).content),
            file_name=pack_file_name(code, period, fmt),
            mime=kind.mime,
            key=f"download_pack_{fmt}",
            icon=":material/download:",
            on_click="ignore",  # made when pressed, not on every run of the page
            help=f"The {LEVEL_NOUNS[level]} pack {FORMAT_HELP[fmt].format(plan=plan)}: the same "
            "figures as on screen, for your account.",
            width="stretch",
        )
