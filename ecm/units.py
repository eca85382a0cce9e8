"""Units in words, so that every number on a screen, in a sentence or an export says what it
counts: a figure with its unit ("49.0%", "47.6 points", "12.3 per 10,000") and a gap with the
unit gaps are measured in (percentage points for a percentage, points for a score); and one
way to write each kind of figure (percent, rate, points, money, count) and a missing one."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

#: The unit a gap between two figures is measured in, where it differs from the figures' unit:
#: a difference of two percentages is in percentage points, of two scores in points.
GAP_UNITS = {"%": "percentage points", "score": "points"}
#: How a figure's unit is written after it ("%" sticks to the number).
FIGURE_UNITS = {"%": "%", "score": " points", "days": " days"}


def _known(unit: object) -> str | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or pd.isna(unit):
        return None
    return str(unit)


def gap_unit(unit: object) -> str:
    """The unit a gap between figures in ``unit`` is measured in, in words ("" when unknown or
    a plain count)."""
    known = _known(unit)
    if known is None or known == "count":
        return ""
    return GAP_UNITS.get(known, known)


def with_unit(value: float, unit: object, digits: int = 1) -> str:
    """A figure written with its unit: "49.0%", "47.6 points", "12.3 per 10,000", "1,234"."""
    known = _known(unit)
    if known == "count":
        return f"{value:,.0f}"
    if known == "£":
        return money(value)
    number = f"{value:,.{digits}f}"
    if known is None:
        return number
    return number + FIGURE_UNITS.get(known, f" {known}")


def gap_with_unit(value: float, unit: object, digits: int = 1) -> str:
    """A gap written with its unit: "30.2 percentage points", "4.1 points"."""
    words = gap_unit(unit)
    number = f"{value:,.{digits}f}"
    return f"{number} {words}" if words else number


# --- one way to write each kind of figure ------------------------------------------------
#
# Every screen, chart, presentation-mode table, CSV and the command line's text go through
# these, so one figure reads the same wherever it appears (METHODOLOGY.md, "How figures are
# written").

#: What a missing figure reads everywhere (tiles, tables, heat maps, hex maps, spines).
NO_FIGURE = "no figure"
#: What a figure withheld for disclosure reads everywhere (it exists but is not shown).
WITHHELD = "withheld"
#: Markers that stand for a figure withheld to protect confidentiality: the dashboard's own
#: disclosure control (``c``, ecm.disclosure.rules.SUPPRESSED_MARKER) and publishers' ``SUPP``.
WITHHELD_MARKERS = frozenset({"c", "SUPP"})
#: Decimal places figures are published to: whole numbers for counts and money, one decimal
#: for everything else (percentages, rates, scores, days and the gaps between them), as DfE's
#: tables and Fingertips publish them.
PUBLISHED_DECIMALS = {"count": 0, "£": 0}
#: Indicators published to more decimals than their unit's: DfE's exclusion statistics give
#: the permanent exclusion rate (a percentage of pupils, mostly under 1%) to two decimals.
INDICATOR_DECIMALS = {"ni_114": 2}


def decimals(unit: object = None, indicator: object = None) -> int:
    """The decimal places a figure in ``unit`` (of ``indicator``, where known) is published
    to: 1 unless a count or money, or an indicator published to more."""
    if indicator is not None and str(indicator) in INDICATOR_DECIMALS:
        return INDICATOR_DECIMALS[str(indicator)]
    return PUBLISHED_DECIMALS.get(_known(unit) or "", 1)


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def missing(marker: object = None) -> str:
    """A missing figure in words: "withheld" where a marker says it was withheld for
    disclosure (``c``, ``SUPP``); "no figure" otherwise (not published, not held), followed by
    the publisher's own code where it says more than that ("no figure (NE)"; not its "-",
    "..", "x" or ":", which only mean "not available")."""
    known = _known(marker)
    if known in WITHHELD_MARKERS:
        return WITHHELD
    return f"{NO_FIGURE} ({known})" if known and known.isalnum() and len(known) > 1 else NO_FIGURE


def is_missing_text(text: object) -> bool:
    """Whether ``text`` is :func:`missing`'s words rather than a figure."""
    return str(text) == WITHHELD or str(text).startswith(NO_FIGURE)


def number(
    value: object, unit: object = None, marker: object = None, indicator: object = None
) -> str:
    """A figure's number at its published precision, without its unit: "62.0", "1,234";
    :func:`missing`'s words when there is none."""
    if _missing(value):
        return missing(marker)
    return f"{float(value):,.{decimals(unit, indicator)}f}"  # type: ignore[arg-type]


def rounded(values: pd.Series, unit: object = None, indicator: object = None) -> pd.Series:
    """A column of figures rounded to their published precision (still numbers, so a table
    sorts by them and an export keeps them as numbers); ``unit`` and ``indicator`` are each
    one for the column or a Series giving each row's."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if not isinstance(unit, pd.Series) and not isinstance(indicator, pd.Series):
        return numbers.round(decimals(unit, indicator))

    def each(given: object) -> pd.Series:
        if isinstance(given, pd.Series):
            return given.reindex(numbers.index)
        return pd.Series([given] * len(numbers), index=numbers.index, dtype=object)

    places = [decimals(u, i) for u, i in zip(each(unit), each(indicator), strict=True)]
    return pd.Series(
        [v if math.isnan(v) else round(v, d) for v, d in zip(numbers, places, strict=True)],
        index=numbers.index,
        dtype=float,
    )


def percent(value: object) -> str:
    """A percentage: "49.0%"."""
    return figure(value, "%")


def rate(value: object, per: str = "per 10,000") -> str:
    """A rate with what it is per: "12.3 per 10,000"."""
    return figure(value, per)


def points(value: object, unit: object = "score") -> str:
    """A gap in points: "30.2 percentage points" for a gap between percentages, "4.1 points"
    between scores."""
    return gap_text(value, unit)


def count(value: object) -> str:
    """A count: "1,234"."""
    return number(value, "count")


def counted(n: int, thing: str, things: str | None = None) -> str:
    """A count with its noun in the right number: "1 action", "3 actions", "0 gaps"."""
    return f"{n:,} {thing if n == 1 else (things or thing + 's')}"


def money(amount: object) -> str:
    """Pounds, short: "£2.1m", "£340k", "£900" (the same in cells, legends and sentences)."""
    if _missing(amount):
        return NO_FIGURE
    pounds = float(amount)  # type: ignore[arg-type]
    if abs(pounds) >= 1_000_000:
        return f"£{pounds / 1_000_000:,.1f}m"
    if abs(pounds) >= 1_000:
        return f"£{pounds / 1_000:,.0f}k"
    return f"£{pounds:,.0f}"


def figure(value: object, unit: object = None, marker: object = None) -> str:
    """A figure with its unit ("49.0%", "47.6 points", "12.3 per 10,000", "1,234"), or
    :func:`missing`'s words."""
    if _missing(value):
        return missing(marker)
    return with_unit(float(value), unit, decimals(unit))  # type: ignore[arg-type]


def gap_text(value: object, unit: object = None) -> str:
    """A gap with the unit gaps are measured in ("30.2 percentage points"), or "no figure"."""
    if _missing(value):
        return NO_FIGURE
    return gap_with_unit(float(value), unit, decimals(unit))  # type: ignore[arg-type]


def interval(lower: object, upper: object, unit: object = None) -> str:
    """A 95% interval's ends: "15.1 to 42.1"; "" when either end is missing."""
    if _missing(lower) or _missing(upper):
        return ""
    return f"{number(lower, unit)} to {number(upper, unit)}"


# --- tables: the same text on screen, in presentation mode and in the grid ----------------

#: Columns holding identifiers, written as plain digits (URN 124938, not "124,938").
IDENTIFIER_COLUMNS = frozenset({"URN", "urn", "LAESTAB", "laestab", "NI", "Batch", "id"})


def column_decimals(values: pd.Series) -> int:
    """The decimal places a table column of figures is written with: the fewest (none, one
    or two) that write every figure of the column as it is held. Tables hold figures at their
    published precision (:func:`rounded`), so counts and ranks get none, most figures one and
    the few published to two decimals two; never more, so no raw float shows as "1.9000"."""
    numbers = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    for places in (0, 1):
        if bool(((numbers - numbers.round(places)).abs() < 1e-9).all()):
            return places
    return 2


def column_writer(name: object, values: pd.Series) -> Callable[[object], str]:
    """How a numeric table column's cells are written, on every screen and in presentation
    mode alike: identifiers as plain digits, figures with thousands separators at the
    column's :func:`column_decimals`; a missing figure as :data:`NO_FIGURE`."""
    if name in IDENTIFIER_COLUMNS:
        return lambda v: NO_FIGURE if _missing(v) else f"{float(v):.0f}"  # type: ignore[arg-type]
    places = column_decimals(values)
    return lambda v: NO_FIGURE if _missing(v) else f"{float(v):,.{places}f}"  # type: ignore[arg-type]


def table_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every cell as text, as a table shows it: numeric columns through
    :func:`column_writer`, missing text as blank."""
    written = frame.astype(object).copy()
    for column in frame.select_dtypes("number").columns:
        written[column] = frame[column].map(column_writer(column, frame[column]))
    return written.fillna("")
