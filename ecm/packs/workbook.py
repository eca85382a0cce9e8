"""A place's meeting pack as an Excel workbook: the figures and gaps behind its page, the plan's
coverage of the gaps (for an LA), and the definitions, each sheet with its provenance.

The pack reads the store exactly as the page does: disclosure control below it, and the
figures of the viewer the code runs for (:func:`ecm.access.scope.current_remit`), which the
"About" sheet names. The same store gives the same file, byte for byte, on the same day: the
only date in it is the day it was made (the workbook's properties and its zip entries are
stamped with it), so packs can be compared between meetings.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from ecm.access.scope import current_remit
from ecm.catalogue import load_catalogue
from ecm.disclosure.rules import DisclosureRules
from ecm.periods import period_aliases
from ecm.places.profile import build_profile
from ecm.plan.loaders import la_plan_coverage
from ecm.safe_text import neutralise_frame
from ecm.views.data_sources import readable
from ecm.views.profile_tables import profile_tables

#: The sheets of every pack, in order (an LA's adds "Plan coverage" and "Off track" after
#: "Gaps").
SHEETS = ("About", "Figures", "Gaps", "Definitions")
LEVEL_WORDS = {"school": "School", "la": "Local authority", "region": "Region"}


class EmptyPack(ValueError):
    """A place with no figures in the period: no pack is made (never an empty file)."""


@dataclass(frozen=True)
class Pack:
    """A pack made: its file's bytes, a file name for it, and its sheets' names."""

    content: bytes
    file_name: str
    sheets: tuple[str, ...]


def workbook_pack(
    engine: Engine, level: str, code: str, period: str | None = None, today: dt.date | None = None
) -> Pack:
    """The pack of the school (URN), LA or region ``code`` for ``period`` (default: the latest
    with figures), made on ``today``. Raises :class:`ecm.figures.queries.UnknownArea` for an
    unknown place and :class:`EmptyPack` when it has no figures."""
    today = today or dt.date.today()
    profile = build_profile(engine, level, code, period)
    if not profile["observations"]:
        raise EmptyPack(f"{code} has no figures in {period or 'any year'}: no pack was made")
    figures, gaps = (_year_written(t, profile["period"]) for t in profile_tables(profile))
    geography = profile["geography"]
    sheets: dict[str, pd.DataFrame] = {
        "About": _about(profile, today),
        "Figures": readable(figures),
        "Gaps": readable(gaps),
    }
    if level == "la":
        coverage = la_plan_coverage(engine, geography["code"], profile["period"])
        sheets["Plan coverage"] = _coverage(coverage.covered, coverage.uncovered)
        sheets["Off track"] = readable(_flat(coverage.off_track))
    sheets["Definitions"] = _definitions(figures)
    content = _stable(_workbook(sheets, today), today)
    return Pack(content, pack_file_name(geography["code"], profile["period"]), tuple(sheets))


def pack_file_name(code: str, period: str) -> str:
    """The name a place's pack is saved under: ``E10000014-2018-19-pack.xlsx``."""
    return f"{code}-{period.replace('/', '-')}-pack.xlsx"


def _year_written(table: pd.DataFrame, period: str) -> pd.DataFrame:
    """``table`` with the pack's year written as the About sheet and the pages write it
    (``2009/10``, never the store's ``2009-10``)."""
    if "period" not in table:
        return table
    same = table["period"].astype(str).isin(period_aliases(period))
    return table.assign(period=table["period"].where(~same, period))


def _about(profile: dict, today: dt.date) -> pd.DataFrame:
    """The cover: place, period, date, the remit the figures were read for, disclosure
    control and the sources with their licences."""
    geography = profile["geography"]
    rules = DisclosureRules.from_environment()
    remit = current_remit()
    lines = [
        ("Place", geography["name"]),
        (LEVEL_WORDS.get(geography["level"], geography["level"]), geography["code"]),
        ("Year", profile["period"]),
        ("Made on", today.isoformat()),
        (
            "Read for",
            "every place (analyst or administrator)"
            if remit.everything
            else f"the remit {remit.name}: restricted figures of other places are left out, "
            "as on screen",
        ),
        (
            "Small numbers",
            f"counts below {rules.min_count} in data not published openly are withheld, with "
            "whatever would give them back, exactly as on screen",
        ),
    ]
    if geography.get("fictional"):
        lines.append(("Fictional", "The demo's places and figures are invented: not real data."))
    lines += [
        (f"Source {number}", f"{source['file']} ({source['format']}, imported "
         f"{source['imported']}): {source['licence'] or 'licence not recorded'}")
        for number, source in enumerate(profile["sources"], start=1)
    ]  # fmt: skip
    return pd.DataFrame(lines, columns=["Item", "Detail"])


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


def _definitions(figures: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's definition of each indicator in the pack."""
    codes = set(figures.get("indicator_code", figures.get("indicator", pd.Series(dtype=str))))
    rows = [
        {"Indicator": row["code"], "Title": row["title"], "Unit": row["unit"],
         "Better when": row["polarity"].replace("_", " "), "Source": row["source"],
         "Definition": row["definition"]}
        for row in load_catalogue().indicators
        if row["code"] in codes
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _workbook(sheets: dict[str, pd.DataFrame], today: dt.date) -> bytes:
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


def _stable(content: bytes, today: dt.date) -> bytes:
    """``content`` (a zip) with every entry, and the workbook's "modified" time (which
    openpyxl sets as it saves), stamped ``today`` at midnight instead of the moment it was
    written, so the same pack made twice in a day is the same bytes."""
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
