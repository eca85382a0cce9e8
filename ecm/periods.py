"""Periods: the one place that knows how years are written and read.

Figures arrive with periods in several styles: academic years ``2008/09`` (performance tables,
the demo), ``2008-09`` (financial years, some tables), ``2009`` (LAIT, March snapshots: the
year a period ends) and ``200809`` (tidy files). Every layer that parses, compares or labels a
period uses these functions, so a page, the command line and the analyses agree on what a
year means. Pure functions; imports nothing from ``ecm``.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

#: An academic year as the pages, the address and the command line take it.
ACADEMIC_YEAR = re.compile(r"\d{4}/\d{2}")


def is_academic_year(text: object) -> bool:
    """Whether ``text`` is an academic year written like ``2008/09`` whose second year follows
    its first (``2008/10`` and ``2008/08`` are not years)."""
    if not isinstance(text, str) or not ACADEMIC_YEAR.fullmatch(text):
        return False
    return (int(text[:4]) + 1) % 100 == int(text[5:])


def period_start(period: str) -> int:
    """The first calendar year a period label covers (2008/09, 2008-09 -> 2008; 2009 -> 2008,
    since a calendar or March-snapshot year belongs with the academic year ending in it)."""
    start = int(str(period)[:4])
    return start - 1 if len(str(period)) == 4 else start


def period_aliases(period: str) -> set[str]:
    """The same year in each period style: ``2008/09`` <-> ``2008-09`` <-> ``2009``
    (a four-digit year is the year a period ends, as :func:`period_start` reads it)."""
    start = period_start(period)
    end = start + 1
    return {
        f"{start}/{str(end)[-2:]}",
        f"{start}-{str(end)[-2:]}",
        str(end),
        f"{start}{str(end)[-2:]}",
    }


def year_bounds(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of an academic year (1 September to 31 August), any style."""
    start = period_start(period)
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def default_period(figures: pd.DataFrame) -> str:
    """The year a page opens on: the latest academic year with figures that can be tested
    (counts or published intervals), so that comparisons and gaps are not all "not compared"
    because a newer year holds only value-only figures (LAIT); else the latest academic year;
    else the latest period of any style. All-pupil figures decide where there are any, since
    they carry the headline comparisons."""
    if "group_code" in figures and (figures["group_code"] == "all").any():
        figures = figures[figures["group_code"] == "all"]
    academic = figures[figures["period"].str.contains("/", regex=False)]
    testable = (
        academic[academic["denominator"].notna() | academic["lower_ci"].notna()]
        if {"denominator", "lower_ci"} <= set(academic.columns)
        else academic
    )
    for candidates in (testable, academic):
        if not candidates.empty:
            return str(candidates["period"].max())
    return str(figures["period"].max())
