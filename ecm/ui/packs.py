"""The meeting pack's downloads on each place's page (:mod:`ecm.packs`), and a region's
priorities briefs and authorities over time (:mod:`ecm.packs.region`). Each file is made when
its button is pressed (the button turns to a spinner while it is made; a failure says so under
it), for the remit of the person pressing it. None while presenting: the shared screen shows,
the files are for circulating."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ecm.ui.address import page_link, presenting
from ecm.ui.signin import for_this_viewer
from ecm.ui.store import engine

if TYPE_CHECKING:
    from ecm.places.overview import RegionOverview

#: The address parameter naming a place of each level (:func:`ecm.ui.address.selected_place`).
PLACE_PARAMS = {"school": "urn", "la": "la", "region": "region"}
LEVEL_NOUNS = {"school": "school's", "la": "authority's", "region": "region's"}
#: What each format is for, said in its button's help.
FORMAT_HELP = {
    "pdf": "to circulate and print: cover with the sources, the five outcomes, the gaps with "
    "their intervals and trends{plan}, areas of interest and definitions, page-numbered",
    "pptx": "for the meeting's screen: one slide per outcome, the gaps{plan}",
    "xlsx": "the data behind every table, one sheet each, with the definitions and the "
    "source files",
}


def _button(
    where: DeltaGenerator, label: str, make: Callable[[], bytes], file_name: str, mime: str,
    key: str, help: str,  # noqa: A002 (Streamlit's name)
) -> None:  # fmt: skip
    """A download button whose file ``make`` writes when pressed, for this viewer."""
    where.download_button(
        label,
        for_this_viewer(make),
        file_name=file_name,
        mime=mime,
        key=key,
        icon=":material/download:",
        on_click="ignore",  # made when pressed, not on every run of the page
        help=help,
        width="stretch",
    )


def pack_download(level: str, code: str, period: str) -> None:
    """ "Meeting pack": three buttons, PDF, PowerPoint and Excel, of the place's figures, gaps
    and (an authority's) plan coverage for ``period``."""
    if presenting():
        return
    from ecm.packs import FORMATS, make_pack, pack_file_name

    store = engine()
    plan = ", the plan's coverage and its actions off track" if level == "la" else ""
    columns = st.columns([2, 2.6, 2, 2.6], gap="small", vertical_alignment="center")
    for column, (fmt, kind) in zip(columns, FORMATS.items(), strict=False):
        _button(
            column, f"Meeting pack ({kind.label})",
            lambda fmt=fmt: make_pack(store, level, code, period, fmt).content,
            pack_file_name(code, period, fmt), kind.mime, f"download_pack_{fmt}",
            f"The {LEVEL_NOUNS[level]} pack {FORMAT_HELP[fmt].format(plan=plan)}: the same "
            "figures as on screen, for your account.",
        )  # fmt: skip
    with columns[-1]:  # the movement since the last meeting's pack
        page_link("changes", "What changed since last year", **{PLACE_PARAMS[level]: code})


def region_downloads(overview: RegionOverview) -> None:
    """For a priorities meeting: every authority's brief as one PDF, from the overview the page
    shows, and the authorities x indicators over every year with ranks and bands as one
    workbook (LAIT's layout)."""
    if presenting():
        return
    from ecm.packs import FORMATS
    from ecm.packs.region import briefs_pdf, over_time_workbook

    store, code, period = engine(), overview.region["code"], overview.period or ""
    left, right, _ = st.columns([3, 3.4, 2.6], gap="small", vertical_alignment="center")
    _button(
        left, "Priorities briefs (PDF)",
        lambda: briefs_pdf(overview, dt.date.today()),
        f"{code}-{period.replace('/', '-')}-priorities-briefs.pdf", FORMATS["pdf"].mime,
        "download_briefs",
        "Every authority's priorities brief for the year, one to a page, for the meeting.",
    )  # fmt: skip
    _button(
        right, "Authorities over time (Excel)",
        lambda: over_time_workbook(store, code, dt.date.today())[0],
        f"{code}-authorities-over-time.xlsx", FORMATS["xlsx"].mime, "download_over_time",
        "One sheet per indicator: each authority's figure, national rank, quartile band and "
        "comparison with England in every year held, as in LAIT.",
    )  # fmt: skip


def brief_download(overview: RegionOverview, la: str, la_name: str) -> None:
    """ "This brief (PDF)": the authority's priorities brief as shown, to send on."""
    if presenting():
        return
    from ecm.packs import FORMATS
    from ecm.packs.region import briefs_pdf

    period = overview.period or ""
    left, _ = st.columns([1, 3])
    _button(
        left, "This brief (PDF)",
        lambda: briefs_pdf(overview, dt.date.today(), only=la),
        f"{la}-{period.replace('/', '-')}-priorities-brief.pdf", FORMATS["pdf"].mime,
        "download_brief",
        f"{la_name}'s priorities brief, as shown, on one page.",
    )  # fmt: skip
