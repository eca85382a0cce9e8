"""A region's files for a Government Office priorities meeting: every authority's priorities
brief as one PDF (or one authority's alone), and the authorities x indicators over the years
with national ranks and quartile bands as one workbook, laid out as LAIT users expect (one
sheet per indicator: an authority per row, for each year its figure, rank and band).

Both read :func:`ecm.places.overview.region_overview`, the region page's own reading, so the
files say what the page says, for the viewer the code runs for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine

from ecm import units
from ecm.disclosure.rules import DisclosureRules
from ecm.packs.content import definitions, read_for_words
from ecm.packs.pdf import PackPdf, write_heading, write_paragraph, write_table
from ecm.packs.workbook import stable_zip, write_workbook
from ecm.places.overview import RegionOverview, region_overview
from ecm.views.region import brief_item, brief_sections, brief_title

Progress = Callable[[str], None]
#: The columns each year brings to an indicator's sheet.
YEAR_COLUMNS = ("figure", "rank", "band", "vs England")


def briefs_pdf(overview: RegionOverview, today: dt.date, only: str | None = None) -> bytes:
    """Each authority's priorities brief for the overview's year, one to a page, after a cover
    naming the region, the year, the remit and disclosure control; ``only``: that authority's
    brief alone. Raises KeyError for an authority with no brief."""
    briefs = overview.briefs
    codes = [only] if only else sorted(briefs, key=lambda c: briefs[c]["la_name"])
    chosen = {code: briefs[code] for code in codes}
    region, period = overview.region["name"], overview.period or ""
    pdf = PackPdf(f"{region} · {period} · made {today.isoformat()}")
    pdf.set_title(pdf.text_of(f"Priorities briefs: {region}, {period}"))
    pdf.set_creation_date(dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC))
    pdf.set_lang("en-GB")
    if only is None:
        pdf.add_page()
        write_heading(pdf, f"Priorities meeting briefs: {region}", size=20)
        write_paragraph(pdf, _about_line(overview, today, len(chosen)))
        write_table(
            pdf,
            pd.DataFrame({"Authority": [b["la_name"] for b in chosen.values()],
                          "Code": list(chosen)}),
            widths=(120, 40),
        )  # fmt: skip
    for brief in chosen.values():
        pdf.add_page()
        write_heading(pdf, brief_title(brief, period))
        if only is not None:
            write_paragraph(pdf, _about_line(overview, today, 1))
        for section in brief_sections(brief, period):
            write_heading(pdf, section.heading, size=11)
            pdf.set_font(pdf.family, "", 10)
            lines = [brief_item(name, detail) for name, detail in section.items]
            for line in lines or [section.empty]:
                pdf.multi_cell(0, 5, pdf.text_of(f"•  {line}"), align="L", new_x="LMARGIN")
            pdf.ln(2)
    return bytes(pdf.output())


def _about_line(overview: RegionOverview, today: dt.date, count: int) -> str:
    rules = DisclosureRules.from_environment()
    fictional = " Fictional demo data: invented places and figures." if (
        overview.region.get("fictional")
    ) else ""  # fmt: skip
    return (
        f"{count} authorit{'y' if count == 1 else 'ies'}, {overview.period}; made "
        f"{today.isoformat()}, read for {read_for_words()}. Counts below {rules.min_count} in "
        "data not published openly are withheld, as on screen. 'Worse' and 'better' are "
        f"tested against England at 95%; ranks and quarters are among all authorities.{fictional}"
    )


def over_time_workbook(
    engine: Engine,
    region_code: str,
    today: dt.date,
    progress: Progress | None = None,
) -> tuple[bytes, tuple[str, ...]]:
    """The region's authorities x indicators over every year held: an "About" sheet, then one
    sheet per indicator (named by its code) with an authority per row and, for each year, its
    figure, national rank (of how many), quartile band (A best to D worst) and comparison with
    England; and "Definitions". Returns the file and its sheets' names."""
    tell = progress or (lambda _part: None)
    latest = region_overview(engine, region_code)
    years = []
    for period in latest.periods:
        tell(period)
        read = latest if period == latest.period else region_overview(engine, region_code, period)
        cells = read.cells
        if not cells.empty:
            years.append(cells.assign(year=period))
    every = pd.concat(years, ignore_index=True) if years else pd.DataFrame()
    sheets: dict[str, pd.DataFrame] = {"About": _over_time_about(latest, today)}
    titles = {}
    for indicator, rows in every.groupby("indicator", sort=True) if not every.empty else ():
        sheets[_sheet_name(indicator)] = _indicator_sheet(rows, latest.periods)
        titles[indicator] = rows["title"].iloc[0]
    defined = definitions(set(titles))
    sheets["Definitions"] = defined.assign(Indicator=defined["Indicator"].map(_sheet_name))
    content = stable_zip(write_workbook(sheets, today), today)
    return content, tuple(sheets)


def _sheet_name(indicator: str) -> str:
    """An indicator's sheet: its code as people write it ("NI 112"), within Excel's 31."""
    return indicator.upper().replace("_", " ")[:31]


def _indicator_sheet(rows: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """One indicator: an authority per row; per year its figure, rank, band and comparison."""
    values = units.rounded(rows["value"], rows["unit"], rows["indicator"])
    rows = rows.assign(
        rank_of=[
            f"{int(r)} of {int(o)}" if pd.notna(r) and pd.notna(o) else ""
            for r, o in zip(rows["rank"], rows["of"], strict=True)
        ],
        figure=[
            v if pd.notna(v) else ("withheld" if m == "c" else "")
            for v, m in zip(values, rows["marker"], strict=True)
        ],
    )
    wide = rows.pivot_table(
        index=["la_code", "la_name"],
        columns="year",
        values=["figure", "rank_of", "band", "comparison"],
        aggfunc="first",
    )
    frame = pd.DataFrame(index=wide.index)
    for period in periods:
        for column, name in zip(("figure", "rank_of", "band", "comparison"), YEAR_COLUMNS,
                                strict=True):  # fmt: skip
            # A year or a column with no value at all (a context measure has no rank)
            # is still written, blank, so every sheet has the same columns.
            present = (column, period) in wide.columns
            frame[f"{period} {name}"] = wide[(column, period)] if present else ""
    frame = frame.reset_index().rename(columns={"la_code": "LA code", "la_name": "Authority"})
    return frame.sort_values("Authority", kind="stable").reset_index(drop=True)


def _over_time_about(overview: RegionOverview, today: dt.date) -> pd.DataFrame:
    rules = DisclosureRules.from_environment()
    lines = [
        ("Region", overview.region["name"]),
        ("Code", overview.region["code"]),
        ("Years", ", ".join(overview.periods)),
        ("Made on", today.isoformat()),
        ("Read for", read_for_words()),
        (
            "Small numbers",
            f"counts below {rules.min_count} in data not published openly are "
            "withheld, exactly as on screen",
        ),  # fmt: skip
        ("Rank", "national rank among all authorities with a figure that year, 1 the best"),
        ("Band", "quarter among all authorities: A the best quarter, D the worst (as LAIT)"),
        (
            "vs England",
            "better, similar or worse than England, tested at 95%; blank where no test is possible",
        ),  # fmt: skip
    ]
    if overview.region.get("fictional"):
        lines.append(("Fictional", "The demo's places and figures are invented: not real data."))
    return pd.DataFrame(lines, columns=["Item", "Detail"])
