"""A place's meeting pack as PowerPoint slides for the Board's meeting: a title slide, the five
outcomes at a glance, one slide per outcome, the gaps, an LA's plan coverage and off-track
actions, the areas of interest, and the sources.

Slides are 16:9 in 24 pt type or larger for titles and 14 pt for tables, so they carry across
a meeting room. Each chart is a picture with its text alternative as the picture's description
(what a screen reader says). Same store, same day, same bytes (:func:`stable_zip`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pandas as pd
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from ecm import charts
from ecm.charts import plan_charts
from ecm.charts.images import chart_image
from ecm.packs.content import (
    OUTCOMES,
    PackContent,
    chart_gaps,
    chart_gaps_text,
    outcome_counts,
    outcome_summary,
)
from ecm.packs.workbook import stable_zip
from ecm.views.plan import coverage_rows

#: Most table rows on a slide: more would need type too small for the room.
SLIDE_ROWS = 8
_TITLE_ONLY, _TITLE = 5, 0
_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)

Progress = Callable[[str], None]


def slides_bytes(content: PackContent, progress: Progress | None = None) -> bytes:
    """The pack as a .pptx file. ``progress`` is told each slide as it is made."""
    tell = progress or (lambda _part: None)
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDTH, _HEIGHT
    _title_slide(deck, content)
    _table_slide(deck, "The five outcomes at a glance", outcome_counts(content))
    for outcome in OUTCOMES:
        tell(outcome)
        _outcome_slide(deck, content, outcome)
    tell("the gaps")
    rows, x_title = chart_gaps(content)
    if rows.empty:
        _text_slide(deck, "Gaps between groups", [f"No gap could be tested in {content.period}."])
    else:
        _chart_slide(
            deck, "Gaps between groups", charts.ranked_gaps(rows, x_title, presentation=True),
            chart_gaps_text(rows),
        )  # fmt: skip
    if content.coverage is not None:
        tell("the plan")
        _plan_slides(deck, content)
    _text_slide(deck, "Areas of interest", list(content.interest[:6]) or ["Nothing stands out."])
    _text_slide(deck, "Sources", [f"{i}: {d}" for i, d in content.about.itertuples(index=False)])
    stamp = dt.datetime.combine(content.today, dt.time())
    properties = deck.core_properties
    properties.title = content.title
    properties.author = properties.last_modified_by = "ECM outcomes dashboard"
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    buffer = io.BytesIO()
    deck.save(buffer)
    return stable_zip(buffer.getvalue(), content.today)


def _title_slide(deck: Deck, content: PackContent) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE])
    slide.shapes.title.text = content.name
    lines = [f"Meeting pack · {content.place_line} · {content.period}",
             f"Made {content.today.isoformat()}"]  # fmt: skip
    if content.fictional:
        lines.append("Fictional demo data: invented places and figures, not real data")
    slide.placeholders[1].text = "\n".join(lines)


def _outcome_slide(deck: Deck, content: PackContent, outcome: str) -> None:
    spine = content.spine_of(outcome)
    if not spine.empty:
        _chart_slide(
            deck, outcome, charts.spine_chart(spine, presentation=True),
            charts.describe_spine_chart(spine),
        )  # fmt: skip
        return
    table = outcome_summary(content, outcome)
    if table.empty:
        _text_slide(deck, outcome, [f"No figure for this outcome in {content.period}."])
        return
    _table_slide(deck, outcome, table)


def _plan_slides(deck: Deck, content: PackContent) -> None:
    coverage = content.coverage
    assert coverage is not None
    rows = coverage_rows(coverage)
    if rows.empty:
        _text_slide(deck, "The plan: coverage of the gaps", ["No gap of concern this year."])
    else:
        _chart_slide(
            deck, "The plan: coverage of the gaps",
            plan_charts.coverage_chart(rows, presentation=True),
            plan_charts.describe_coverage_chart(rows),
        )  # fmt: skip
    off = coverage.off_track
    if off.empty:
        _text_slide(deck, "Actions off track", ["No action with a measurable target is off track."])
        return
    table = pd.DataFrame(
        {
            "Action": off["title"],
            "Lead": off["lead_partner"].fillna(""),
            "Why off track": off["reason"].fillna(""),
        }
    )
    _table_slide(deck, "Actions off track", table)


def _titled(deck: Deck, title: str):  # noqa: ANN202 (python-pptx's Slide)
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(32)
    return slide


def _chart_slide(deck: Deck, title: str, figure: object, alt: str) -> None:
    slide = _titled(deck, title)
    image = chart_image(figure, "png", width=1200, scale=1.5)  # type: ignore[arg-type]
    height_px = figure.layout.height or 450  # type: ignore[attr-defined]
    top, room = Inches(1.5), _HEIGHT - Inches(1.7)
    width = _WIDTH - Inches(1)
    height = int(width * height_px / 1200)
    if height > room:  # a tall chart keeps its shape, narrower
        width, height = int(width * room / height), room
    picture = slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), top, width, height)
    picture._element.nvPicPr.cNvPr.set("descr", alt)  # the picture's text alternative


def _text_slide(deck: Deck, title: str, lines: list[str]) -> None:
    slide = _titled(deck, title)
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), _WIDTH - Inches(1.2), Inches(5.5))
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(18)
        paragraph.space_after = Pt(8)


def _table_slide(deck: Deck, title: str, frame: pd.DataFrame) -> None:
    slide = _titled(deck, title)
    shown = frame.head(SLIDE_ROWS)
    shape = slide.shapes.add_table(
        len(shown) + 1, len(shown.columns), Inches(0.5), Inches(1.5), _WIDTH - Inches(1),
        Inches(0.4) * (len(shown) + 1),
    )  # fmt: skip
    table = shape.table
    # The first column (a name) gets the room it needs to keep rows to one or two lines.
    width = _WIDTH - Inches(1)
    first = int(width * 0.4) if len(shown.columns) > 2 else int(width / 2)
    table.columns[0].width = first
    for column in range(1, len(shown.columns)):
        table.columns[column].width = int((width - first) / (len(shown.columns) - 1))
    for column, name in enumerate(shown.columns):
        table.cell(0, column).text = str(name)
    for row, values in enumerate(shown.itertuples(index=False), start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = "" if pd.isna(value) else str(value)
    for cell in (c for r in table.rows for c in r.cells):
        for paragraph in cell.text_frame.paragraphs:
            paragraph.font.size = Pt(14)
    if len(frame) > SLIDE_ROWS:
        note = slide.shapes.add_textbox(Inches(0.5), _HEIGHT - Inches(0.7), Inches(10), Inches(0.4))
        note.text_frame.text = (
            f"The first {SLIDE_ROWS} of {len(frame)} rows: the PDF and the workbook have them all."
        )
