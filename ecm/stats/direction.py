"""Direction of travel of a series that cannot be tested: values published without counts or
intervals (most LAIT items and LA tables).

The Fingertips recent-trend test (:mod:`~ecm.stats.trends`) needs counts or intervals. For a
series that has neither, LAIT shows how the value has moved; this module states such a rule and
keeps its words apart from the tested ones, so nothing untested is ever called significant.

The rule, over the series' points within the last ``WINDOW`` years up to its latest (at least
three points): the series is *rising* when its last value is above its first and it fell (or
stayed level) in none of its year-on-year steps with three points, or in at most one step with
four or five; *falling* likewise downwards; otherwise there is *no clear change*. One step
against the run is allowed in a longer series because a single year of noise should not hide a
steady movement, but the run must still have moved overall. Pure functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecm.periods import period_start
from ecm.stats.trends import NOT_ENOUGH, WINDOW, trend_by_polarity

RISING, FALLING, NO_CLEAR_CHANGE = "rising", "falling", "no clear change"
#: Untested directions by polarity. They are never the tested words ("getting better",
#: "getting worse"), so a red-red or a "getting worse" list can only hold tested trends.
IMPROVING, WORSENING = "improving", "worsening"
#: A gap's untested direction: its distance from zero growing or shrinking. Written with
#: "(untested)" so that no list of tested widening gaps can take one in.
GAP_WIDENING, GAP_NARROWING = "widening (untested)", "narrowing (untested)"
UNTESTED_WORDS = (RISING, FALLING, NO_CLEAR_CHANGE, IMPROVING, WORSENING)
POLARITIES = ("higher_is_better", "lower_is_better")
#: A direction needs three points (LAIT-style, over the last three to five), whatever the
#: tested trend needs: it is a description, not a test.
MIN_POINTS = 3


def direction_of_travel(
    figures: pd.DataFrame, by: list[str], *, window: int = WINDOW, min_points: int = MIN_POINTS
) -> pd.DataFrame:
    """The direction of travel of every series in ``figures`` (untested).

    ``figures`` has the ``by`` columns, ``period`` (text whose first four characters are the
    first year) and ``value``; rows without a value are left out. Returns one row per series:
    the ``by`` columns, ``direction`` (``rising``, ``falling``, ``no clear change`` or ``not
    enough data``) and ``points``.
    """
    columns = [*by, "direction", "points"]
    frame = figures[figures["value"].notna()].copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # The academic year a period falls in, whatever its style ("2019" in LAIT is 2018/19).
    frame["x"] = frame["period"].map(period_start).astype(float)
    # One point per year: a year given in two period styles counts once.
    frame = frame.drop_duplicates([*by, "x"], keep="last")
    latest = frame.groupby(by, sort=False)["x"].transform("max")
    frame = frame[frame["x"] > latest - window].sort_values([*by, "x"])
    rows = []
    for key, series in frame.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, direction_of_values(series["value"].to_numpy(float)), len(series)))
    result = pd.DataFrame(rows, columns=columns)
    result.loc[result["points"] < min_points, "direction"] = NOT_ENOUGH
    return result


def direction_of_values(values: np.ndarray) -> str:
    """The rule of the module docstring on one series, oldest first (at least two values)."""
    steps = np.diff(values)
    net = values[-1] - values[0]
    allowed = 0 if len(values) <= 3 else 1
    if net > 0 and _steady(-steps, net, allowed):
        return RISING
    if net < 0 and _steady(steps, -net, allowed):
        return FALLING
    return NO_CLEAR_CHANGE


def _steady(against: np.ndarray, net: float, allowed: int) -> bool:
    """At most ``allowed`` steps went against the run (or stayed level), and each was smaller
    than the run's whole movement ``net``."""
    backwards = against[against >= 0]
    return len(backwards) <= allowed and bool((backwards < net).all())


def direction_by_polarity(direction: str, polarity: str) -> str:
    """``rising``/``falling`` as ``improving``/``worsening`` where the indicator has a better
    direction; unchanged otherwise."""
    if direction not in (RISING, FALLING) or polarity not in POLARITIES:
        return direction
    better = (direction == RISING) == (polarity == "higher_is_better")
    return IMPROVING if better else WORSENING


def trend_words(tested: object, direction: object, polarity: str) -> str:
    """The trend a reader sees: the tested trend by polarity where a test could be made, else
    the untested direction of travel by polarity, else ``not enough data``."""
    if isinstance(tested, str) and tested != NOT_ENOUGH:
        return trend_by_polarity(tested, polarity)
    if isinstance(direction, str) and direction != NOT_ENOUGH:
        return direction_by_polarity(direction, polarity)
    return NOT_ENOUGH


def trend_column(frame: pd.DataFrame) -> list[str]:
    """:func:`trend_words` for each row of ``frame`` (columns ``trend``, ``direction``,
    ``polarity``, ``value``); ``not enough data`` where the row's own value is withheld."""
    return [
        trend_words(t, d, p) if not pd.isna(v) else NOT_ENOUGH
        for t, d, p, v in zip(
            frame["trend"], frame["direction"], frame["polarity"], frame["value"], strict=True
        )
    ]


def gap_direction(direction: object, latest_gap: float) -> str | None:
    """A gap's direction of travel in words: ``widening (untested)`` when its distance from
    zero grows, ``narrowing (untested)`` when it shrinks, ``no clear change``; None when there
    is no direction (too few points)."""
    if direction == NO_CLEAR_CHANGE:
        return NO_CLEAR_CHANGE
    if direction not in (RISING, FALLING) or pd.isna(latest_gap):
        return None
    grows = (direction == RISING) == (latest_gap >= 0)
    return GAP_WIDENING if grows else GAP_NARROWING
