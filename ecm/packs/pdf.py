"""A place's meeting pack as a PDF for circulating: cover with the sources and their licences,
the five outcomes at a glance, each outcome's figures with their intervals and its spine chart,
the gaps with intervals and trends, an LA's plan coverage and off-track actions, the areas of
interest, and the definitions as an annex. Page numbers on every page.

Readable in black and white: every comparison is written in words beside its figure, and the
charts mark their comparisons by shape as well as colour (:mod:`ecm.charts.style`). Text from
data is written as it is (fpdf2 reads markup only when asked to). The file's creation date is
the day it was made, so the same store gives the same bytes on the same day.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from ecm import charts, units
from ecm.charts import plan_charts
from ecm.charts.images import chart_image
from ecm.packs.content import (
    OUTCOMES,
    PackContent,
    chart_gaps,
    chart_gaps_text,
    gap_summary,
    outcome_counts,
    outcome_summary,
)
from ecm.views.plan import coverage_rows

#: DejaVu (Debian's fonts-dejavu-core) carries every character a place's name can hold; the
#: PDF core fonts hold only Latin-1, which the fallback is cut down to.
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_GREY = (235, 235, 235)
#: Most "areas of interest" sentences on the summary page (the rest are in the workbook).
MOST_INTEREST = 10

Progress = Callable[[str], None]


class PackPdf(FPDF):
    """A4 portrait with the pack's running footer: place, year, date and page number."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.unicode = (_FONT_DIR / "DejaVuSans.ttf").exists()
        if self.unicode:
            self.add_font("body", "", str(_FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)

    def text_of(self, text: object) -> str:
        """``text`` as the font can write it."""
        written = "" if text is None else str(text)
        if self.unicode:
            return written
        return written.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 5, self.text_of(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def pdf_bytes(content: PackContent, progress: Progress | None = None) -> bytes:
    """The pack as a PDF. ``progress`` is told each part as it is drawn."""
    tell = progress or (lambda _part: None)
    pdf = PackPdf(f"{content.name} · {content.period} · made {content.today.isoformat()}")
    pdf.set_title(pdf.text_of(content.title))
    pdf.set_creation_date(dt.datetime.combine(content.today, dt.time(), tzinfo=dt.UTC))
    pdf.set_lang("en-GB")
    tell("the cover")
    _cover(pdf, content)
    tell("the five outcomes")
    _glance(pdf, content)
    for outcome in OUTCOMES:
        tell(outcome)
        _outcome(pdf, content, outcome)
    tell("the gaps")
    _gaps(pdf, content)
    if content.coverage is not None:
        tell("the plan")
        _plan(pdf, content)
    tell("the definitions")
    _definitions(pdf, content)
    return bytes(pdf.output())


# --- parts ------------------------------------------------------------------------------


def _cover(pdf: PackPdf, content: PackContent) -> None:
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 24)
    pdf.multi_cell(0, 11, pdf.text_of(content.name), new_x="LMARGIN")
    pdf.set_font(pdf.family, "", 14)
    pdf.multi_cell(0, 8, pdf.text_of(f"Meeting pack · {content.place_line} · {content.period}"))
    pdf.ln(4)
    write_table(pdf, content.about, widths=(30, 150))
    pdf.ln(3)
    write_paragraph(
        pdf,
        "Figures are shown with their 95% confidence intervals; 'better', 'similar' and "
        "'worse' say whether the interval excludes the comparator's figure. Gaps are "
        "differences between a group and its comparison group, tested the same way.",
    )


def _glance(pdf: PackPdf, content: PackContent) -> None:
    pdf.add_page()
    write_heading(pdf, "The five outcomes at a glance")
    write_paragraph(
        pdf,
        "All-pupil figures compared with England, by outcome: better, similar or worse (tested "
        "at 95%); ranked only (a figure published without the counts a test needs, placed by "
        "its quarter among all places); not compared (neither possible).",
    )
    write_table(pdf, outcome_counts(content), widths=(62, 22, 22, 22, 26, 26))
    pdf.ln(4)
    write_heading(pdf, "Areas of interest", size=13)
    interest = content.interest[:MOST_INTEREST]
    if not interest:
        write_paragraph(pdf, "Nothing stands out: no figure is below a floor, significantly worse "
                   "for three years, or a widening gap.")  # fmt: skip
    pdf.set_font(pdf.family, "", 10)
    for sentence in interest:
        pdf.multi_cell(0, 5, pdf.text_of(f"•  {sentence}"), align="L", new_x="LMARGIN")
        pdf.ln(1)
    if len(content.interest) > MOST_INTEREST:
        write_paragraph(
            pdf, f"And {len(content.interest) - MOST_INTEREST} more, in the workbook pack."
        )


def _outcome(pdf: PackPdf, content: PackContent, outcome: str) -> None:
    table = outcome_summary(content, outcome)
    pdf.add_page()
    write_heading(pdf, outcome)
    if table.empty:
        write_paragraph(pdf, f"No figure for this outcome in {content.period}.")
        return
    spine = content.spine_of(outcome)
    if not spine.empty:
        _chart(pdf, charts.spine_chart(spine), charts.describe_spine_chart(spine))
    write_table(pdf, table, widths=(62, 40, 20, 28, 30))


def _gaps(pdf: PackPdf, content: PackContent) -> None:
    pdf.add_page()
    write_heading(pdf, "Gaps between groups")
    rows, x_title = chart_gaps(content)
    if not rows.empty:
        _chart(pdf, charts.ranked_gaps(rows, x_title), chart_gaps_text(rows))
    table = gap_summary(content)
    if table.empty:
        write_paragraph(pdf, f"No gap between groups could be measured in {content.period}.")
        return
    widths = (45, 40, 35, 20, 40) if "Actions" not in table else (34, 30, 30, 20, 24, 42)
    write_table(pdf, table, widths=widths, size=7.5)


def _plan(pdf: PackPdf, content: PackContent) -> None:
    coverage = content.coverage
    assert coverage is not None  # only an LA's pack has a plan part
    pdf.add_page()
    write_heading(pdf, "The plan: coverage of the gaps")
    if not coverage.plan_in_force:
        write_paragraph(
            pdf,
            f"No Children and Young People's Plan was in force in {content.period}: every gap "
            "of concern is without an action.",
        )
    else:
        plan = coverage.plan or {}
        write_paragraph(
            pdf, f"The plan in force: {plan.get('title', '')} ({plan.get('period_label', '')})."
        )
    rows = coverage_rows(coverage)
    if not rows.empty:
        _chart(pdf, plan_charts.coverage_chart(rows), plan_charts.describe_coverage_chart(rows))
    pdf.ln(2)
    write_heading(pdf, "Actions off track", size=13)
    off = coverage.off_track
    if off.empty:
        write_paragraph(pdf, "No action with a measurable target is off track.")
        return
    table = pd.DataFrame(
        {
            "Action": off["title"],
            "Lead": off["lead_partner"].fillna(""),
            "Indicator": off["indicator_code"].str.upper().str.replace("_", " "),
            "Latest": [
                f"{units.number(v, None, None, i)} ({p})"
                for v, i, p in zip(
                    off["latest"], off["indicator_code"], off["latest_period"], strict=True
                )
            ],  # fmt: skip
            "Target": [
                f"{units.number(v, None, None, i)} ({p})"
                for v, i, p in zip(
                    off["target"], off["indicator_code"], off["target_period"], strict=True
                )
            ],  # fmt: skip
            "Why off track": off["reason"].fillna(""),
        }
    )
    write_table(pdf, table, widths=(38, 25, 18, 22, 22, 55), size=7.5)


def _definitions(pdf: PackPdf, content: PackContent) -> None:
    pdf.add_page()
    write_heading(pdf, "Annex: definitions")
    frame = content.definitions[["Indicator", "Title", "Better when", "Definition"]].copy()
    frame["Indicator"] = frame["Indicator"].str.upper().str.replace("_", " ")
    write_table(pdf, frame, widths=(17, 45, 25, 93), size=7.5)


# --- drawing ----------------------------------------------------------------------------


def write_heading(pdf: PackPdf, text: str, size: float = 16) -> None:
    pdf.set_font(pdf.family, "B", size)
    pdf.multi_cell(0, size * 0.5, pdf.text_of(text), align="L", new_x="LMARGIN")
    pdf.ln(2)


def write_paragraph(pdf: PackPdf, text: str) -> None:
    pdf.set_font(pdf.family, "", 10)
    pdf.multi_cell(0, 5, pdf.text_of(text), align="L", new_x="LMARGIN")
    pdf.ln(2)


def _chart(pdf: PackPdf, figure: object, alt: str) -> None:
    """The chart as an image the page's width, with its text alternative, on a new page when
    it would not fit below what is there."""
    width_px = 1000
    image = chart_image(figure, "png", width=width_px)  # type: ignore[arg-type]
    height_px = figure.layout.height or 450  # type: ignore[attr-defined]
    width_mm = pdf.epw
    height_mm = width_mm * height_px / width_px
    if height_mm > pdf.eph * 0.8:  # a tall spine is drawn smaller rather than split
        width_mm = width_mm * pdf.eph * 0.8 / height_mm
        height_mm = pdf.eph * 0.8
    if pdf.get_y() + height_mm > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(io.BytesIO(image), x=pdf.l_margin, w=width_mm, h=height_mm, alt_text=pdf.text_of(alt))
    pdf.set_font(pdf.family, "", 8)
    pdf.multi_cell(0, 4, pdf.text_of(alt), new_x="LMARGIN")
    pdf.ln(2)


def write_table(
    pdf: PackPdf, frame: pd.DataFrame, widths: Sequence[float], size: float = 8.5
) -> None:
    """``frame`` as a ruled table, headings repeated on each page it runs onto."""
    pdf.set_font(pdf.family, "", size)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        line_height=size * 0.5,
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", fill_color=_GREY),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        heading = table.row()
        for column in frame.columns:
            heading.cell(pdf.text_of(column))
        for values in frame.itertuples(index=False):
            row = table.row()
            for value in values:
                row.cell(pdf.text_of(_cell(value)))


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)
