"""Charts and tables with their data and downloads, drawn for the screen or, in presentation
mode (:mod:`ecm.ui.presenting`), for the meeting-room projector.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ecm import units
from ecm.safe_text import safe_csv
from ecm.ui.address import link_carrier, link_column, presenting
from ecm.views.markdown import escape_markdown
from ecm.views.provenance import Provenance, chart_footer

#: Most rows of a table presentation mode writes as page text: a longer table shows its first
#: rows and says how many more the CSV holds (the interactive grid draws on a canvas in small
#: type a projector cannot carry).
PRESENTED_ROWS = 40
#: A chart's height when presenting: what 768 lines leave below the one-line header, the
#: panel's title and one row of pickers or tabs. (Sizing plotly to the viewport with CSS left
#: Streamlit's element at its own height, cutting the drawing off at 1080 lines.)
PRESENTED_CHART_PX = 400
#: Most rows a table sends to the browser's grid: the gap explorer's every school in England
#: (45,000 rows) took over a second of every run to format and send, and nobody scrolls
#: through them; the first rows in the table's own order are shown, and its CSV has them all.
GRID_ROWS = 1_000


def table_with_download(
    frame: pd.DataFrame,
    key: str,
    file_name: str,
    links: tuple[str, ...] = (),
    empty: str | None = None,
) -> None:
    """A table with a CSV download of exactly what it shows; ``links`` names its columns of
    URLs, shown as "Open" links. When presenting, tables are written as page text, so they
    take the projector's large type (the interactive grid draws on a canvas at a fixed size),
    without their link columns and cut to their first ``PRESENTED_ROWS`` rows. An empty
    ``frame`` shows the sentence ``empty`` instead, when given. Figures read the same in both
    (:func:`ecm.units.column_writer`), a missing one as "no figure", never the grid's "None"."""
    if frame.empty and empty is not None:
        st.write(empty)
        return
    carry = link_carrier(links)  # a link keeps the reader's year
    if presenting():
        # Each figure written as the grid writes it off the projector (units.column_writer).
        shown = frame.drop(columns=list(links)).head(PRESENTED_ROWS)
        st.table(units.table_text(shown), hide_index=True)
        if len(frame) > PRESENTED_ROWS:
            st.caption(
                f"The first {PRESENTED_ROWS} of {len(frame):,} rows: the CSV below, or the page "
                "out of presentation mode, has them all."
            )
    else:
        st.dataframe(
            blank_missing(carry(frame.head(GRID_ROWS))),
            hide_index=True,
            width="stretch",
            key=f"table_{key}",
            # Each link says where it goes, not just "Open" (WCAG 2.4.4, link purpose).
            column_config={column: link_column(column, column) for column in links},
        )
        if len(frame) > GRID_ROWS:
            st.caption(
                f"The first {GRID_ROWS:,} of {len(frame):,} rows, in the table's order: the CSV "
                "below has them all."
            )
    csv_download(frame, "Download as CSV", file_name, key=f"download_{key}", prepare=carry)


def csv_download(
    frame: pd.DataFrame,
    label: str,
    file_name: str,
    key: str | None = None,
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> None:
    """A button downloading ``frame`` (made ready by ``prepare`` when pressed) as CSV, written
    when pressed (deferred), not on every run of the page; text a spreadsheet would run as a
    formula gets an apostrophe (:func:`ecm.safe_text.safe_csv`)."""
    st.download_button(
        label,
        lambda: safe_csv(prepare(frame) if prepare else frame).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


#: Where the figures of the page being drawn come from (its place, year and sources), for the
#: footer of its charts' image downloads; set by the place's heading and year picker.
_PROVENANCE: ContextVar[Provenance | None] = ContextVar("page_provenance", default=None)


@contextmanager
def page_provenance() -> Iterator[None]:
    """A block (the page's run) whose charts start with nothing known of their provenance, so
    nothing from an earlier run can reach this page's footers."""
    token = _PROVENANCE.set(Provenance())
    try:
        yield
    finally:
        _PROVENANCE.reset(token)


def note_provenance(**known: object) -> None:
    """Record what the page knows of its figures' provenance (``place``, ``period``,
    ``sources``, ``fictional``), for its charts' image footers."""
    _PROVENANCE.set(dataclasses.replace(_PROVENANCE.get() or Provenance(), **known))


def chart(  # noqa: ANN001
    figure, alt: str, table: pd.DataFrame, key: str, file_name: str, keep_height: bool = False
) -> None:
    """A chart with its text alternative, and "view as table" with a CSV of exactly what it
    shows, so nothing rests on seeing the chart, and the chart as PNG and SVG with a footer
    naming the place, year, sources, licences and date. ``keep_height``: when presenting too,
    the height its builder chose (a heat map's rows cannot be read squeezed into one screen)."""
    from ecm.charts import PLOTLY_CONFIG

    config, theme = PLOTLY_CONFIG, "streamlit"
    if presenting():
        # Whole on a 768-line screen below the header, instead of the height its builder chose
        # for a scrolling page; and the builder's projector type (Streamlit's theme would set
        # its own, smaller and grey).
        if not keep_height:
            figure.update_layout(height=PRESENTED_CHART_PX)
        theme = None
    st.plotly_chart(figure, key=f"chart_{key}", alt=alt, config=config, theme=theme)
    st.caption(escape_markdown(alt))  # plain text, names from data in it
    # Drawn only when opened (a run of its own): a closed panel's grid and buttons would be
    # formatted and sent with every run of the page for nobody to see.
    panel = st.expander(
        "View as table", icon=":material/table:", key=f"view_table_{key}", on_change="rerun"
    )
    if panel.open:
        with panel:
            table_with_download(table, key, file_name)
            if not presenting():
                image_downloads(figure, key, file_name)


def image_downloads(figure, key: str, file_name: str) -> None:  # noqa: ANN001
    """ "Download as PNG" and "as SVG": the chart as drawn on screen (Streamlit's theme aside),
    with the page's provenance written below it, each made when pressed."""
    from ecm.charts.images import IMAGE_FORMATS, chart_image, with_footer

    footer = chart_footer(_PROVENANCE.get() or Provenance(), dt.date.today())
    stem = file_name.rsplit(".", 1)[0]
    columns = st.columns(len(IMAGE_FORMATS))
    for column, (fmt, mime) in zip(columns, IMAGE_FORMATS.items(), strict=True):
        column.download_button(
            f"Download as {fmt.upper()}",
            lambda fmt=fmt: chart_image(with_footer(figure, footer), fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"download_{key}_{fmt}",
            on_click="ignore",
            help="The chart with its place, year, sources, licences and today's date below it.",
        )


def blank_missing(frame: pd.DataFrame) -> pd.DataFrame | Styler:
    """``frame`` to show in the grid: text columns with missing cells blank, numeric ones
    written by :func:`ecm.units.column_writer` (the same text presentation mode shows, a
    missing figure as "no figure") through a Styler, so they still sort as numbers."""
    text = frame.select_dtypes(exclude="number").columns
    shown = frame.astype(dict.fromkeys(text, object)).fillna(dict.fromkeys(text, ""))
    numeric = [c for c in frame.columns if c not in set(text)]
    if not numeric:
        return shown
    return shown.style.format(
        {c: units.column_writer(c, frame[c]) for c in numeric}, na_rep=units.NO_FIGURE
    )
