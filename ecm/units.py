"""Units in words, so that every number on a screen, in a sentence or an export says what it
counts: a figure with its unit ("49.0%", "47.6 points", "12.3 per 10,000") and a gap with the
unit gaps are measured in (percentage points for a percentage, points for a score)."""

from __future__ import annotations

import math

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
    number = f"{value:,.{digits}f}"
    if known is None:
        return number
    return number + FIGURE_UNITS.get(known, f" {known}")


def gap_with_unit(value: float, unit: object, digits: int = 1) -> str:
    """A gap written with its unit: "30.2 percentage points", "4.1 points"."""
    words = gap_unit(unit)
    number = f"{value:,.{digits}f}"
    return f"{number} {words}" if words else number
