"""Charts and tables with their data and downloads, and presentation mode (large type, one
panel at a time) for the meeting-room screen.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ecm.ui.address import fill_address, link_column, query_param, set_query_params

#: Longest table shown as large page text in presentation mode.
PRESENTED_ROWS = 40


def table_with_download(
    frame: pd.DataFrame,
    key: str,
    file_name: str,
    links: tuple[str, ...] = (),
    empty: str | None = None,
) -> None:
    """A table with a CSV download of exactly what it shows; ``links`` names its columns of
    URLs, shown as "Open" links. When presenting, short tables are written as page text, so they
    take the projector's large type (the interactive grid draws on a canvas at a fixed size),
    without their link columns. An empty ``frame`` shows the sentence ``empty`` instead, when
    given. A missing figure is a blank cell, never the grid's "None"."""
    if frame.empty and empty is not None:
        st.write(empty)
        return
    if query_param("present") == "1" and len(frame) <= PRESENTED_ROWS:
        st.table(frame.drop(columns=list(links)).fillna(""), hide_index=True)
    else:
        st.dataframe(
            blank_missing(frame),
            hide_index=True,
            width="stretch",
            key=f"table_{key}",
            # Each link says where it goes, not just "Open" (WCAG 2.4.4, link purpose).
            column_config={column: link_column(column, column) for column in links},
        )
    st.download_button(
        "Download as CSV",
        # Written when the button is pressed (deferred), not on every run of the page.
        lambda: frame.to_csv(index=False).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
    )


def chart(figure, alt: str, table: pd.DataFrame, key: str, file_name: str) -> None:  # noqa: ANN001
    """A chart with its text alternative, and "view as table" with a CSV of exactly what it
    shows, so nothing rests on seeing the chart."""
    from ecm.charts import PLOTLY_CONFIG

    st.plotly_chart(figure, key=f"chart_{key}", alt=alt, config=PLOTLY_CONFIG)
    st.caption(alt)
    with st.expander("View as table", icon=":material/table:"):
        table_with_download(table, key, file_name)


PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMain"] { font-size: 1.45rem; color: #000; background: #fff; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.2rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.45rem; line-height: 1.5; }
[data-testid="stMain"] a { color: #003078; text-decoration: underline; }
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td { font-size: 1.35rem; padding: 0.5rem 0.75rem; }
</style>
"""


def presentation_mode() -> bool:
    """Presentation mode (``?present=1`` or the toggle): large type, high contrast, no sidebar,
    one panel at a time, for the meeting-room projector."""
    on = query_param("present") == "1"
    # The toggle follows the address (a link or "Leave" may have changed it since last run).
    st.session_state["present_toggle"] = on
    with st.sidebar:
        st.toggle("Presentation mode", key="present_toggle", on_change=_presentation_toggled)
    if on:
        st.html(PRESENTATION_CSS)
        st.button(
            "Leave presentation mode",
            icon=":material/close:",
            shortcut="Esc",
            on_click=_leave_presentation,
        )
    return on


def _presentation_toggled() -> None:
    set_query_params(present="1" if st.session_state["present_toggle"] else None, panel=None)


def _leave_presentation() -> None:
    set_query_params(present=None, panel=None)


def panels(items: list[tuple[str, Callable[[], None]]], presenting: bool) -> None:
    """Show each (title, draw) panel in turn; when presenting, one at a time with Previous and
    Next (the left and right arrow keys)."""
    if not presenting:
        for title, draw in items:
            st.header(title)
            draw()
        return
    try:
        index = min(max(int(query_param("panel") or 1), 1), len(items)) - 1
    except ValueError:
        index = 0
    title, draw = items[index]
    fill_address(panel=str(index + 1))
    back, where, forward = st.columns([1, 2, 1])
    if back.button("Previous", icon=":material/arrow_back:", shortcut="Left", disabled=index == 0):
        set_query_params(panel=str(index))
        st.rerun()
    where.markdown(f"**Panel {index + 1} of {len(items)}** · ← and → move between panels")
    if forward.button(
        "Next", icon=":material/arrow_forward:", shortcut="Right", disabled=index == len(items) - 1
    ):
        set_query_params(panel=str(index + 2))
        st.rerun()
    st.header(title)
    draw()


def blank_missing(frame: pd.DataFrame) -> pd.DataFrame | Styler:
    """``frame`` to show in the grid with missing figures as blank cells: text columns filled
    with "", numeric ones given a display format (a Styler), so they still sort as numbers."""
    if not frame.isna().any().any():
        return frame
    text = frame.select_dtypes(exclude="number").columns
    shown = frame.astype(dict.fromkeys(text, object)).fillna(dict.fromkeys(text, ""))
    numeric = [c for c in frame.columns if c not in set(text) and frame[c].isna().any()]
    if not numeric:
        return shown
    return shown.style.format(_number, subset=numeric, na_rep="")


def _number(value: float) -> str:
    """A figure as the grid writes it (no trailing zeros), for a column given a format."""
    return f"{value:,.10g}" if abs(value) >= 10_000 else f"{value:.10g}"
