"""Series breaks: no trend, forecast or direction of travel runs across one.

A break is the first year of a new series of an indicator (a new KS2 standard, 9-1 GCSEs,
years without national assessments); figures before it are not comparable with figures from
it on. The breaks are catalogue data (``data/series_breaks.csv``, read by
:func:`ecm.catalogue.series_breaks`) and are given to these functions, since statistics sit
below the catalogue. Pure functions on DataFrames; METHODOLOGY.md, "Series breaks".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecm.periods import period_start

#: Columns a breaks frame must have (as :func:`ecm.catalogue.load_series_breaks` returns).
BREAK_COLUMNS = ("indicator_code", "first_year", "first_period", "label")


def since_latest_break(
    figures: pd.DataFrame,
    breaks: pd.DataFrame,
    by: list[str],
    *,
    indicator_code: str | None = None,
) -> pd.DataFrame:
    """Only the points of each series from its latest break on.

    Parameters
    ----------
    figures
        The series' points: the ``by`` columns, ``period`` (any style) and, unless
        ``indicator_code`` is given, ``indicator_code``.
    breaks
        indicator_code, first_year (the first calendar year of the new series).
    by
        The columns that name one series (a place, an indicator, a group...).
    indicator_code
        The indicator of every row, when ``figures`` has no such column.

    Each series keeps its points from the latest break at or before its own latest period; a
    series without such a break keeps every point. The rows kept keep their index and order.
    """
    if figures.empty or breaks.empty:
        return figures
    codes = (
        pd.Series(indicator_code, index=figures.index)
        if indicator_code is not None
        else figures["indicator_code"]
    )
    year = figures["period"].map(period_start)
    keys = [figures[column] for column in by] if by else [codes]
    latest = year.groupby(keys, sort=False, dropna=False).transform("max")
    start = _series_start(codes, latest, breaks)
    return figures[(year >= start).to_numpy()]


def _series_start(codes: pd.Series, latest: pd.Series, breaks: pd.DataFrame) -> pd.Series:
    """The first year of the series each row belongs to: the latest break of its indicator at
    or before the series' latest year (minus infinity without one)."""
    start = pd.Series(-np.inf, index=codes.index)
    for code, rows in breaks.groupby("indicator_code"):
        mine = (codes == code).to_numpy()
        if not mine.any():
            continue
        years = np.sort(rows["first_year"].to_numpy(float))
        at = np.searchsorted(years, latest[mine].to_numpy(float), side="right") - 1
        start[mine] = np.where(at >= 0, years[np.clip(at, 0, None)], -np.inf)
    return start


def break_labels(periods: pd.Series, indicator_code: str, breaks: pd.DataFrame) -> pd.Series:
    """For a chart of one indicator: on each shown period that is the first after one or more
    breaks inside the shown span, the breaks' labels ("new KS2 standard"; joined by "; "),
    else "". A break before the first shown period or after the last is not inside the span
    and marks nothing."""
    labels = pd.Series("", index=periods.index, dtype=object)
    mine = breaks[breaks["indicator_code"] == indicator_code]
    if periods.empty or mine.empty:
        return labels
    years = periods.map(period_start)
    shown = sorted(set(years))
    for first, label in zip(mine["first_year"], mine["label"], strict=True):
        if not shown[0] < first <= shown[-1]:
            continue
        mark = min(y for y in shown if y >= first)
        at = years == mark
        labels[at] = [f"{old}; {label}" if old else label for old in labels[at]]
    return labels
