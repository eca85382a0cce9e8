"""Presentation mode (``?present=1``): any place's page on a meeting-room projector.

Designed for the two screens Boards meet around, 1366x768 and 1920x1080 (both 16:9): one
line of header (place, year, panel n of N, previous and next, leave), the fictional-data
warning on one thin line, then one panel at a time whose content starts in the top third of
the screen. Type is sized from the viewport's height, so 1920x1080 is 1366x768 scaled up
rather than the same picture with empty space. Charts are drawn at a height that leaves them
whole below the header at 768 lines (:data:`ecm.ui.presentation.PRESENTED_CHART_PX`).
Place pages title themselves through :func:`place_heading`, which draws that header when
presenting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ecm.ui.address import (
    fill_address,
    presenting,
    query_param,
    select_param,
    set_query_params,
)
from ecm.ui.banners import fictional_banner, not_found, source_banner
from ecm.ui.presentation import note_provenance
from ecm.ui.signin import remit_note
from ecm.views.markdown import escape_markdown, shown_value

#: The smallest type the projector gets, in CSS pixels at 768 lines: PowerPoint-style guidance
#: puts slide text at 18 pt or more on a 7.5-inch slide, 2.5% of its height, which is 19 px of
#: 768; 20 px rounds that up. tests/e2e/test_presentation.py holds every visible text to it.
SMALLEST_TYPE_PX = 20

# Scoped by construction: injected only while presenting. Streamlit sizes its text, pickers,
# tables, captions and spacing in rem, so one root size carries every element with it; the
# few rules after it undo what would waste a projector's height. Colours: #000 and #1b1b1b on
# white (21:1, 17:1), links #003078 (12.6:1), captions #333 (12.6:1), all beyond WCAG's 4.5:1.
PRESENTATION_CSS = """
<style>
/* Root type: 3% of the viewport's height, never below 23 px, so a caption (0.875rem) is at
   least 20 px at 768 lines and everything grows with a taller screen. */
html { font-size: max(23px, 3vh); }
/* The sidebar and Streamlit's own top bar take width and height a shared screen needs. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] { display: none; }
/* Streamlit leaves about 6rem above the page for its top bar; the bar is gone. */
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.2rem 2rem; max-width: 100%; }
[data-testid="stMain"] { color: #000; background: #fff; }
/* Half the usual space between elements: height is what a projector lacks. */
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1rem; line-height: 1.35; }
[data-testid="stMain"] a { color: #003078; text-decoration: underline; }
/* Captions and widget labels are grey and small by default (Streamlit fades a caption with
   opacity 0.6, which takes #333 down to 3.7:1); on a projector they are read too. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p { color: #333; font-size: 0.875rem; opacity: 1; }
[data-testid="stMain"] h2 { font-size: 1.45rem; padding: 0.2rem 0 0.3rem; }
[data-testid="stMain"] h3 { font-size: 1.2rem; padding: 0.2rem 0; }
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td { font-size: 0.9rem; padding: 0.3rem 0.5rem; }
/* The one-line header: the place's name is cut with an ellipsis rather than wrapping onto a
   second line, so every panel starts at the same height. */
.st-key-present_header h1 { font-size: 1.35rem; padding: 0.25rem 0 0; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.st-key-present_header [data-testid="stMarkdownContainer"] p { white-space: nowrap; }
.st-key-present_header [data-testid="stHeadingWithActionElements"] a { display: none; }
/* Streamlit holds every column at least 8rem wide (184 px in projector type), which left the
   pickers a clipped stub: here each column is as narrow as its content allows, and each picker
   as wide as what it holds ("2018/19", an outcome's name). */
.st-key-present_header [data-testid="stColumn"] { min-width: min-content; }
.st-key-present_header .st-key-param_period { flex: none; width: 6.5rem; }
.st-key-present_header .st-key-param_outcome { flex: none; width: 10rem; }
/* The fictional-data warning, one thin line instead of a padded box. */
.st-key-present_banner [data-testid="stAlertContainer"] { padding: 0.15rem 0.6rem; }
.st-key-present_banner p { font-size: 0.875rem; }
</style>
"""


def presentation_mode() -> bool:
    """Presentation mode (``?present=1`` or the toggle): large type, high contrast, no sidebar,
    one panel at a time, for the meeting-room projector."""
    on = presenting()
    # The toggle follows the address (a link or "Leave" may have changed it since last run).
    st.session_state["present_toggle"] = on
    with st.sidebar:
        st.toggle("Presentation mode", key="present_toggle", on_change=_presentation_toggled)
    if on:
        st.html(PRESENTATION_CSS)
    return on


def _presentation_toggled() -> None:
    set_query_params(present="1" if st.session_state["present_toggle"] else None, panel=None)


def _leave_presentation() -> None:
    set_query_params(present=None, panel=None)


@dataclass(frozen=True)
class HeaderBar:
    """The slots of presentation mode's one-line header that the page fills as it runs: its
    pickers (the year, and the region's outcome), "Panel n of N", Previous and Next."""

    pickers: DeltaGenerator
    where: DeltaGenerator
    back: DeltaGenerator
    forward: DeltaGenerator


def header_bar(title: str, banner: Callable[[], None], pickers: int = 1) -> HeaderBar:
    """Draw presentation mode's one-line header titled ``title`` (a place's name: shown as
    written, never as Markdown), with room for ``pickers`` pickers and Leave, then ``banner``
    (the fictional-data warning or the sources) on one thin line under it; return the slots
    left for the page to fill."""
    with st.container(key="present_header"):
        place, pickers, where, back, forward, leave = st.columns(
            [3.2 - 1.4 * (pickers - 1), 2.6 + 3.6 * (pickers - 1), 1.5, 1.5, 1.1, 1.2],
            vertical_alignment="center",
            wrap=False,
        )
    place.title(escape_markdown(title), anchor=False)
    # Side by side, not stacked: the region has two pickers (year and outcome) in one line.
    pickers = pickers.container(horizontal=True, vertical_alignment="center", wrap=False)
    leave.button(
        "Leave",
        icon=":material/close:",
        shortcut="Esc",
        on_click=_leave_presentation,
        help="Leave presentation mode (Esc)",
    )
    with st.container(key="present_banner"):
        banner()
    return HeaderBar(pickers, where, back, forward)


def page_heading(title: str) -> HeaderBar | None:
    """Title a page that is not one place's own (the Plan page, the gap explorer) with
    ``title`` (shown as written) and the fictional-data warning or the licence line; when
    presenting, as the one-line header, whose slots are returned, as :func:`place_heading`
    does for a place."""
    if presenting():
        return header_bar(title, lambda: fictional_banner(licence_line=True, short=True))
    st.title(escape_markdown(title))
    fictional_banner(licence_line=True)
    return None


def place_heading(
    profile: dict | None, missing: str, empty: str, notes: Callable[[], None] | None = None
) -> HeaderBar | None:
    """Title a place's page with its name and sources (when presenting, the one-line header,
    whose slots are returned), or stop the page with ``missing`` (unknown code) or ``empty``
    (no figures held). ``notes`` draws what a page says under its title even when no figures
    are held (a closed school's successor, say)."""
    if profile is None:
        not_found(missing)
    geography = profile["geography"]
    fictional, sources = geography["fictional"], profile["sources"]
    note_provenance(
        place=geography["name"],
        period=profile.get("period"),
        sources=tuple(sources),
        fictional=bool(fictional),
    )
    bar = None
    if presenting():
        bar = header_bar(
            geography["name"],
            lambda: source_banner(fictional, sources, short=True),
        )
    else:
        st.title(escape_markdown(geography["name"]))
        source_banner(fictional, sources)
        remit_note(geography["level"], geography["code"], "this place")
    if notes is not None:
        notes()
    if not profile["observations"]:
        st.info(empty)
        st.stop()
    return bar


def year_picker(periods: list[str], current: str, bar: HeaderBar | None) -> str:
    """The year picker (latest first), in the header when presenting; reruns the page when
    the year chosen is not the one it drew."""
    where = bar.pickers if bar else st.container()
    with where:
        period = select_param(
            "Year",
            {p: p for p in reversed(periods)},
            "period",
            current,
            label_visibility="collapsed" if bar else "visible",
        )
    if period != current:
        st.rerun()
    note_provenance(period=period)
    return period


def panel_index(asked: str | None, count: int) -> int:
    """The index of the panel ``asked`` for (``?panel=``, counted from 1) among ``count``:
    the last when it asks for more, the first when it asks for none."""
    number = int(asked) if asked and asked.isdigit() else 1
    return min(max(number, 1), count) - 1


def panels(
    items: list[tuple[str, Callable[[], None]]], presenting: bool, bar: HeaderBar | None = None
) -> None:
    """Show each (title, draw) panel in turn; when presenting, one at a time with Previous and
    Next (the left and right arrow keys), in ``bar`` when the page has the one-line header."""
    if not presenting:
        for title, draw in items:
            st.header(title)
            draw()
        return
    index = panel_index(query_param("panel"), len(items))
    if (asked := query_param("panel")) and asked != str(index + 1):
        # Named, with what is shown instead, never silently moved to another panel.
        st.warning(
            f"The address asks for panel {shown_value(asked)}, but this page has "
            f"{len(items)} panels; showing panel {index + 1}, {escape_markdown(items[index][0])}.",
            icon=":material/link_off:",
        )
    title, draw = items[index]
    fill_address(panel=str(index + 1))
    if bar is None:  # a page without the place header: the same controls on a row of their own
        back, where, forward, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
        leave.button("Leave", icon=":material/close:", shortcut="Esc", on_click=_leave_presentation)
        bar = HeaderBar(st.container(), where, back, forward)
    if bar.back.button(
        "Previous", icon=":material/arrow_back:", shortcut="Left", disabled=index == 0
    ):
        set_query_params(panel=str(index))
        st.rerun()
    bar.where.markdown(f"**Panel {index + 1} of {len(items)}**", help="← and → move between panels")
    if bar.forward.button(
        "Next", icon=":material/arrow_forward:", shortcut="Right", disabled=index == len(items) - 1
    ):
        set_query_params(panel=str(index + 2))
        st.rerun()
    st.header(title, anchor=False)
    draw()
