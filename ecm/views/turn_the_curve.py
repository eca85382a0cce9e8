"""Turn the curve in words and tables: the choices of gap or value, the curve's frames and
its summary."""

from __future__ import annotations

import pandas as pd

from ecm.catalogue import group_label
from ecm.plan.coverage import PlanCoverage, TurnTheCurve
from ecm.units import number
from ecm.views.markdown import escape_markdown, shown_value
from ecm.views.plan import gap_key, gap_words, interval_words


def known_gap(asked: str | None, titles: dict[str, str], groups: set[str]) -> str | None:
    """The gap a link asks for (``?gap=INDICATOR:GROUP``) when its indicator is in the
    catalogue (``titles``) and its group is a pupil group (``groups``) or ``all``; None when
    it names something the store does not know (the page says so)."""
    if not asked or ":" not in asked:
        return None
    indicator, group = asked.split(":", 1)
    return asked if indicator in titles and (group in groups or group == "all") else None


def unknown_gap_words(asked: str, choices: dict[str, str]) -> str:
    """The note when the address's gap names no indicator and pupil group the store knows
    (Markdown, the value cut and escaped): what was asked for and what Turn the curve shows
    instead."""
    shown = next(iter(choices.values()), None)
    instead = (
        f"Turn the curve shows {escape_markdown(shown)} instead"
        if shown
        else ("this plan has no gap or value to draw instead")
    )
    return (
        f"The address's gap {shown_value(asked)} names no indicator and pupil group the store "
        f"holds; {instead}, and its picker lists the plan's gaps and values."
    )


def curve_choices(
    coverage: PlanCoverage,
    targets: pd.DataFrame,
    titles: dict[str, str],
    requested: str | None = None,
) -> dict[str, str]:
    """The gaps and values a turn-the-curve picture can be drawn for: a gap asked for by a link
    (whatever it is, never another in its place), the gaps of concern (uncovered first), then
    every other target of the plan; key -> words."""
    choices: dict[str, str] = {}
    if requested and ":" in requested:
        indicator, group = requested.split(":", 1)
        what = group_label(group)
        choices[requested] = f"{titles.get(indicator, indicator)}: {what}"
    for frame in (coverage.uncovered, coverage.covered):
        for row in frame.to_dict("records"):
            words = gap_words(row["focus_group"], row["comparator_group"])
            key = gap_key(row["indicator_code"], row["focus_group"])
            if key != requested:
                choices[key] = f"{titles.get(row['indicator_code'], row['title'])}: {words}"
    for row in targets.to_dict("records") if not targets.empty else []:
        key = gap_key(row["indicator_code"], row["group_code"])
        if key not in choices:
            group = row["group_code"]
            what = group_label(group)
            choices[key] = f"{titles.get(row['indicator_code'], row['indicator_code'])}: {what}"
    return choices


def curve_frames(curve: TurnTheCurve) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """History, forecast and required path as the turn-the-curve chart takes them."""
    columns = ["period", "value", "lower", "upper"]
    history = curve.history.reindex(columns=[*columns, "series_break"]).reset_index(drop=True)
    forecast = (
        curve.forecast.path[["period", "value", "lower", "upper"]]
        if curve.forecast is not None
        else pd.DataFrame(columns=["period", "value", "lower", "upper"])
    )
    path = (
        curve.required[["period", "value"]]
        if not curve.required.empty
        else pd.DataFrame(columns=["period", "value"])
    )
    return history, forecast, path


def curve_table(curve: TurnTheCurve) -> pd.DataFrame:
    """Everything the turn-the-curve chart shows, one row per period and line."""
    history, forecast, path = curve_frames(curve)
    parts = [history.assign(line="actual"), forecast.assign(line="if nothing changes")]
    parts.append(path.assign(line="path to target", lower=None, upper=None))
    if curve.target:
        parts.append(
            pd.DataFrame([{**curve.target, "line": "target", "lower": None, "upper": None}])
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True)[["line", "period", "value", "lower", "upper"]]
    # Figures stay numbers (a line without an interval has NaN, not None), so the grid writes
    # them as figures and a missing one as "no figure", never mixing text into the column.
    numbers = ["value", "lower", "upper"]
    table[numbers] = table[numbers].apply(pd.to_numeric, errors="coerce").astype(float)
    return table


def curve_summary(curve: TurnTheCurve, measure_words: str) -> str:
    """The turn-the-curve picture in words: where it is, the trend, the path and the outlook."""
    parts = []
    shown = curve.history.dropna(subset=["value"])
    if not curve.history.empty and pd.isna(curve.history["value"].iloc[-1]):
        parts.append(
            f"The {measure_words} in {curve.history['period'].iloc[-1]} is withheld (it rests "
            "on too few pupils)."
        )
    if not shown.empty:
        last = shown.iloc[-1]
        parts.append(
            f"The {measure_words} was **{number(last['value'])}** in {last['period']} "
            f"(95% interval {interval_words(last['lower'], last['upper'])})."
        )
    parts.append(f"Recent trend: **{curve.trend}**.")
    if curve.target:
        parts.append(
            f"Target: **{number(curve.target['value'])}** by {curve.target['period']}"
            + (f" from {number(curve.baseline['value'])} in {curve.baseline['period']}." if
               curve.baseline else ".")
        )  # fmt: skip
        if curve.trajectory is not None:
            parts.append(f"Against the path: {curve.trajectory.verdict}.")
        if curve.outlook.startswith(("met", "missed", "not assessed:")):
            parts.append(f"At the target year: **{curve.outlook}**.")  # the year has come
        else:
            parts.append(f"If nothing changes: target **{curve.outlook}**.")
    else:
        parts.append("No action sets a measurable target on it.")
    return " ".join(parts)


def curve_measure(group: str, unit: str | None) -> tuple[str, str]:
    """What a turn-the-curve picture draws, in words, and its axis title: the gap of a focus
    group, or the value for all pupils (percentages in points)."""
    measure = "gap" if group != "all" else "value"
    unit = unit or ""
    return measure, f"{measure.capitalize()} ({'points' if unit == '%' else unit})"
