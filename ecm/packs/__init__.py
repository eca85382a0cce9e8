"""Meeting packs: a place's page as a file to circulate, as a PDF (:mod:`ecm.packs.pdf`),
PowerPoint slides (:mod:`ecm.packs.slides`) or an Excel workbook (:mod:`ecm.packs.workbook`),
all three laid out from one reading of the store (:mod:`ecm.packs.content`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from ecm.packs.content import EmptyPack, pack_content

__all__ = ["FORMATS", "EmptyPack", "Pack", "make_pack", "pack_file_name"]


@dataclass(frozen=True)
class PackFormat:
    """A pack's file format: its label on a button, its MIME type."""

    label: str
    mime: str


#: The formats, in the order the pages offer them.
FORMATS = {
    "pdf": PackFormat("PDF", "application/pdf"),
    "pptx": PackFormat(
        "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "xlsx": PackFormat(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Pack:
    """A pack made: its file's bytes, a file name for it, and (a workbook's) its sheets."""

    content: bytes
    file_name: str
    sheets: tuple[str, ...] = ()


def make_pack(
    engine: Engine,
    level: str,
    code: str,
    period: str | None = None,
    fmt: str = "xlsx",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Pack:
    """The pack of the school (URN), LA or region ``code`` for ``period`` (default: the latest
    with figures) as ``fmt`` (pdf, pptx or xlsx), made on ``today``, read for the viewer the
    code runs for. ``progress`` is told each part as it is made. Raises
    :class:`ecm.figures.queries.UnknownArea` for an unknown place, :class:`EmptyPack` when it
    has no figures, and :class:`ecm.charts.images.ChartImageError` when a chart cannot be
    drawn; nothing is returned half made."""
    if fmt not in FORMATS:
        raise ValueError(f"a pack is made as {', '.join(FORMATS)}, not {fmt!r}")
    tell = progress or (lambda _part: None)
    tell("the figures")
    content = pack_content(engine, level, code, period, today)
    file_name = pack_file_name(content.code, content.period, fmt)
    if fmt == "xlsx":
        from ecm.packs.workbook import workbook_bytes

        data, sheets = workbook_bytes(content)
        return Pack(data, file_name, sheets)
    if fmt == "pdf":
        from ecm.packs.pdf import pdf_bytes

        return Pack(pdf_bytes(content, tell), file_name)
    from ecm.packs.slides import slides_bytes

    return Pack(slides_bytes(content, tell), file_name)


def pack_file_name(code: str, period: str, fmt: str = "xlsx") -> str:
    """The name a place's pack is saved under: ``E10000014-2018-19-pack.pdf``."""
    return f"{code}-{period.replace('/', '-')}-pack.{fmt}"
