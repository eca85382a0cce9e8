"""The evidence on a plan's actions: each measurable target's series, its latest figure against
the path to its target and its trend, and the actions with no measurable target. Pure
functions on the plan's frames (see ``ecm.plan.coverage``); methods in METHODOLOGY.md, "Plan
coverage and off-track evidence"."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ecm.periods import period_start
from ecm.plan.trajectory import (
    GAP,
    VALUE,
    Target,
    assess_trajectory,
    lower_is_better,
    measurable_target,
)
from ecm.stats.trends import DECREASING, INCREASING, gap_trend

#: The trend words that count as evidence against an action, by what its target measures.
WORSENING = {GAP: "widening", VALUE: "getting worse"}
EVIDENCE_COLUMNS = [
    "action_id", "title", "outcome_code", "status", "lead_partner", "indicator_code",
    "group_code", "measure", "baseline_period", "baseline", "target_period", "target",
    "latest_period", "latest", "lower", "upper", "required", "trend", "worsening",
    "on_trajectory", "off_track", "reason",
]  # fmt: skip
NO_TARGET_COLUMNS = ["action_id", "title", "outcome_code", "status", "lead_partner", "reason"]


def target_history(
    target: Target, gaps: pd.DataFrame, values: pd.DataFrame | None
) -> tuple[pd.DataFrame, str]:
    """The series a target is measured on (period, value, lower, upper) and its trend in
    words: the focus group's gap for gap targets, the all-pupil value for value targets."""
    empty = pd.DataFrame(columns=["period", "value", "lower", "upper"])
    if target.measure == GAP:
        rows = gaps[
            (gaps["indicator_code"] == target.indicator_code)
            & (gaps["focus_group"] == target.group_code)
        ].rename(columns={"gap": "value"})
    else:
        if values is None or values.empty:
            return empty, "not enough data"
        rows = values[values["indicator_code"] == target.indicator_code]
    if rows.empty:
        return empty, "not enough data"
    series = rows[["period", "value", "lower", "upper"]].reset_index(drop=True)
    trend = rows["trend"].iloc[0] if "trend" in rows else "not enough data"
    return series, trend_in_words(str(trend), series, target.measure)


def trend_in_words(trend: str, series: pd.DataFrame, measure: str) -> str:
    """A series' trend in words. A gap's trend is ``widening`` or ``narrowing`` by the size of
    its latest *shown* figure: when the latest year is withheld the gap loader leaves the bare
    direction (``increasing``), which is read here against the last gap shown."""
    if measure != GAP or trend not in (INCREASING, DECREASING):
        return trend
    shown = series[series["value"].notna()]
    if shown.empty:
        return "not enough data"
    latest = shown.assign(_year=shown["period"].map(period_start)).sort_values("_year")
    return gap_trend(trend, float(latest["value"].iloc[-1]))


def target_evidence(
    linked: pd.DataFrame,
    gaps: pd.DataFrame,
    values: pd.DataFrame | None,
    meta: pd.DataFrame,
) -> pd.DataFrame:
    """One row per measurable target: its latest figure against its path, its trend, and
    whether the data put the action off track (with the reason in words)."""
    rows = []
    for row in linked.to_dict("records"):
        target = measurable_target(row)
        if target is None:
            continue
        history, trend = target_history(target, gaps, values)
        better_low = lower_is_better(target, _polarity(meta, target.indicator_code))
        path = assess_trajectory(history, target, better_low)
        # Trend evidence needs a figure shown since the baseline, as the path does: a target
        # with none is "not assessed", never off track. A gap widening in the focus group's
        # favour is no evidence against the action.
        worsening = (
            trend == WORSENING[target.measure]
            and path.latest is not None
            and not (target.measure == GAP and path.latest <= 0)
        )
        reasons = [f"the {target.measure} is {trend}"] if worsening else []
        if path.on_trajectory is False:
            reasons.append(path.verdict)
        rows.append(
            {
                **{k: row[k] for k in ("action_id", "title", "outcome_code", "status")},
                "lead_partner": row["lead_partner"],
                "indicator_code": target.indicator_code,
                "group_code": target.group_code,
                "measure": target.measure,
                "baseline_period": target.baseline_period,
                "baseline": target.baseline,
                "target_period": target.target_period,
                "target": target.target,
                "latest_period": path.latest_period,
                "latest": path.latest,
                "lower": path.lower,
                "upper": path.upper,
                "required": path.required,
                "trend": trend,
                "worsening": worsening,
                "on_trajectory": path.on_trajectory,
                "off_track": bool(reasons),
                "reason": "; ".join(reasons) if reasons else path.verdict,
            }
        )
    # on_trajectory stays True, False or None (not assessed), never NaN.
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS).astype(
        {"worsening": bool, "off_track": bool, "on_trajectory": object}
    )


def _polarity(meta: pd.DataFrame, indicator: str) -> str | None:
    """The indicator's polarity from the catalogue, if known."""
    return meta["polarity"].get(indicator) if indicator in meta.index else None


def actions_without_target(actions: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Actions with no measurable target: no target at all, or targets without a baseline or
    target figure or period (the first problem found is the reason)."""
    rows = []
    for action in actions.to_dict("records"):
        mine = (
            targets[targets["action_id"] == action["action_id"]] if not targets.empty else targets
        )
        if any(measurable_target(t) is not None for t in mine.to_dict("records")):
            continue
        reason = "no target" if mine.empty else _unmeasurable_reason(mine.to_dict("records")[0])
        rows.append({**{k: action[k] for k in NO_TARGET_COLUMNS[:-1]}, "reason": reason})
    return pd.DataFrame(rows, columns=NO_TARGET_COLUMNS)


def _unmeasurable_reason(row: Mapping) -> str:
    """Why a target row cannot be measured, in words."""
    measure = VALUE if row.get("group_code") == "all" else GAP
    if _missing(row.get(f"baseline_{measure}")) or _missing(row.get(f"target_{measure}")):
        return f"target has no baseline or target {measure}"
    if _missing(row.get("baseline_period")) or _missing(row.get("target_period")):
        return "target has no baseline or target period"
    return "target period is not after the baseline period"


def _missing(value: object) -> bool:
    """None, NaN or blank text."""
    return value is None or (isinstance(value, str) and not value.strip()) or bool(pd.isna(value))
