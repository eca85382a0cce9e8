"""A place's meeting pack as an Excel workbook: the figures and gaps behind its page, the plan's
coverage of the gaps (for an LA), and the definitions, each sheet with its provenance.

The same store gives the same file, byte for byte, on the same day: the only date in it is the
day it was made (the workbook's properties and its zip entries are stamped with it), so packs
can be compared between meetings.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pandas as pd

from ecm.packs.content import PackContent
from ecm.safe_text import neutralise_frame
from ecm.views.data_sources import readable


def workbook_bytes(content: PackContent) -> tuple[bytes, tuple[str, ...]]:
    """The pack as an .xlsx workbook, and its sheets' names: About, Figures, Gaps, (an LA's)
    Plan coverage and Off track, Definitions."""
    sheets: dict[str, pd.DataFrame] = {
        "About": content.about,
        "Figures": readable(content.figures),
        "Gaps": readable(content.gaps),
    }
    if content.coverage is not None:
        sheets["Plan coverage"] = _coverage(content.coverage.covered, content.coverage.uncovered)
        sheets["Off track"] = readable(_flat(content.coverage.off_track))
    sheets["Definitions"] = content.definitions
    return stable_zip(write_workbook(sheets, content.today), content.today), tuple(sheets)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with list cells (an action list) written as "a; b"."""
    flat = frame.copy()
    for column in flat.columns:
        if flat[column].map(lambda v: isinstance(v, list | tuple)).any():
            flat[column] = flat[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return flat


def _coverage(covered: pd.DataFrame, uncovered: pd.DataFrame) -> pd.DataFrame:
    """The plan's coverage: every gap of concern, with the actions on it or "no action"."""
    both = pd.concat(
        [_flat(covered).assign(covered="yes"), _flat(uncovered).assign(covered="no action")],
        ignore_index=True,
    )
    return readable(both)


def write_workbook(sheets: dict[str, pd.DataFrame], today: dt.date) -> bytes:
    """The sheets as an .xlsx workbook, text neutralised against formula injection, with
    the made-on date as its created and modified times."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise_frame(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for column in sheet.columns:  # wide enough to read, never wider than a screen
                longest = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(60, longest + 2)
        stamp = dt.datetime.combine(today, dt.time())
        writer.book.properties.created = stamp
        writer.book.properties.modified = stamp
    return buffer.getvalue()


def stable_zip(content: bytes, today: dt.date) -> bytes:
    """``content`` (an Office file: a zip) with every entry, and the document's "modified"
    time (which openpyxl sets as it saves), stamped ``today`` at midnight instead of the moment
    it was written, so the same pack made twice in a day is the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    midnight = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as stable:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                stamp = rf"\g<1>{today.isoformat()}T00:00:00Z"
                data = _MODIFIED.sub(stamp, data.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(entry.filename, date_time=midnight)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            stable.writestr(fixed, data)
    return output.getvalue()


_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*")
