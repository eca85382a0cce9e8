"""Coverage of a Children and Young People's Plan: which gaps its actions target, which they
miss, which actions the data say are not turning their curve, and who spends what.

Pure functions: DataFrames in (gaps from :func:`ecm.places.profile.place_gaps`, the plan's actions,
targets and spend, the partner list), dataclasses and DataFrames out. The loaders live in
:mod:`ecm.plan.loaders`; the trajectory and forecast arithmetic in :mod:`ecm.plan.trajectory`;
the evidence on each target in :mod:`ecm.plan.evidence`; spend by outcome and partner in
:mod:`ecm.plan.spend`.
Methods: METHODOLOGY.md, "Plan coverage and off-track evidence".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields

import pandas as pd

from ecm.catalogue import series_breaks
from ecm.figures.plans import mark_covered
from ecm.periods import period_aliases, period_start, year_bounds
from ecm.plan.evidence import actions_without_target, target_evidence, trend_in_words
from ecm.plan.spend import OUTCOMES, action_spend, partners_without_actions, spend_matrix
from ecm.plan.trajectory import (
    GAP,
    VALUE,
    Forecast,
    Target,
    Trajectory,
    assess_trajectory,
    forecast_if_nothing_changes,
    lower_is_better,
    measurable_target,
    outlook,
    period_label,
    required_path,
)
from ecm.stats.breaks import break_labels, since_latest_break
from ecm.stats.direction import GAP_WIDENING

GAP_COLUMNS = [
    "indicator_code", "title", "outcome_code", "focus_group", "comparator_group", "period",
    "gap", "lower", "upper", "significant", "trend",
]  # fmt: skip
COVER_COLUMNS = [
    "action_ids", "actions", "statuses", "leads", "spend", "off_track", "only_completed",
]  # fmt: skip
#: The status of an action that is done.
COMPLETE = "complete"


@dataclass
class PlanCoverage:
    """An LA plan's coverage of its gaps in one period (see :func:`plan_coverage`)."""

    period: str
    covered: pd.DataFrame  # concern gaps with the actions on them (lists) and their spend
    uncovered: pd.DataFrame  # concern gaps no action targets
    off_track: pd.DataFrame  # evidence rows whose target is worsening or behind its path
    no_target: pd.DataFrame  # actions without a measurable target, with the reason
    spend_by_outcome_partner: pd.DataFrame  # outcome_code, one column per partner, total
    partners_without_actions: pd.DataFrame  # name, sector, relevant_partner
    by_outcome: pd.DataFrame  # outcome_code, outcome, gap counts, off-track actions, spend
    evidence: pd.DataFrame  # every measurable target, on trajectory or not
    # The plan in force that year (id, title, period_label, start_date, end_date, status) when
    # the coverage was read from the store; None when none was (every gap is then uncovered).
    plan: dict | None = None

    @property
    def plan_in_force(self) -> bool:
        """Whether a plan was in force in the year (as far as the caller said)."""
        return self.plan is not None

    def as_dict(self) -> dict:
        """JSON-ready: ``period`` and every frame as a list of records (missing -> None)."""
        out: dict = {"period": self.period}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, pd.DataFrame):
                out[f.name] = json.loads(value.to_json(orient="records", date_format="iso"))
        return out


@dataclass
class TurnTheCurve:
    """The results-based-accountability picture of one gap (or value): where it has been,
    where it is heading if nothing changes, where the plan wants it, and what is being done."""

    indicator_code: str
    group_code: str
    measure: str  # "gap" or "value"
    # period, year, value, lower, upper, withheld (value NaN when True), series_break (a
    # break's label on the first period after it)
    history: pd.DataFrame
    baseline: dict | None  # period, value (the plan's recorded baseline)
    target: dict | None  # period, value
    required: pd.DataFrame  # period, year, value: the straight path from baseline to target
    forecast: Forecast | None  # if nothing changes; None with fewer than three usable points
    trajectory: Trajectory | None  # the latest figure against the path; None without target
    trend: str  # the series' recent trend in words
    # Before the target period, if nothing changes: likely met, likely missed, uncertain; from
    # it on, the target period's own figure: met, missed (not) significantly; or not assessed.
    outlook: str
    actions: pd.DataFrame  # action_id, title, status, lead_partner, spend

    @property
    def on_trajectory(self) -> bool | None:
        """True or False when the latest figure could be tested against the path."""
        return self.trajectory.on_trajectory if self.trajectory else None


# --- coverage -----------------------------------------------------------------------------


def concern_gaps(gaps: pd.DataFrame, period: str) -> pd.DataFrame:
    """The gaps of ``period`` (any period style of that year) a plan should answer, with the
    focus group worse off: significant, or widening (by the trend test, or, for a gap with no
    interval, by its untested direction of travel: the area's gap league holds the same gaps,
    so the area page and the Plan page count alike). A gap in the focus group's favour is not
    a concern however it moves. Gaps with no figure (withheld) are left out."""
    current = gaps[gaps["period"].isin(period_aliases(period)) & gaps["gap"].notna()]
    worse_off = current["gap"] > 0
    concern = current["significant"].astype(bool) | current["trend"].isin(
        ["widening", GAP_WIDENING]
    )
    return current[worse_off & concern].reset_index(drop=True)


def plan_coverage(
    gaps: pd.DataFrame,
    actions: pd.DataFrame,
    targets: pd.DataFrame,
    spend: pd.DataFrame,
    partners: pd.DataFrame,
    period: str,
    *,
    indicators: pd.DataFrame | None = None,
    values: pd.DataFrame | None = None,
    plan: dict | None = None,
) -> PlanCoverage:
    """How the plan covers the LA's gaps in ``period``, and what the data say of its actions.

    Parameters
    ----------
    gaps
        The LA's own gaps up to ``period`` (``ecm.places.profile.place_gaps``): indicator_code,
        focus_group, comparator_group, period, gap, lower, upper, significant, trend.
    actions, targets, spend
        The plan's actions (action_id, title, outcome_code, status, lead_partner,
        contributing_partners), targets (action_id, indicator_code, group_code,
        baseline_period, baseline_gap, target_gap, baseline_value, target_value,
        target_period) and spend (action_id, partner, financial_year, amount).
    partners
        The Children's Trust partners (name, sector, relevant_partner).
    indicators
        The catalogue (code, title, polarity, outcome_code): titles, outcomes and, for
        value targets, which way is better. Optional for gap-only use.
    values
        The LA's all-pupil figures up to ``period`` (indicator_code, period, value, lower,
        upper, trend in words): the history of value targets (group ``all``).
    plan
        The plan the actions belong to (the one in force in ``period``), carried on the result.

    Notes
    -----
    *Covered*: a gap (significant and worse off, or widening) with at least one action
    targeting its indicator and focus group. *Off track*: an action whose target series is
    widening (gaps) or getting worse (values) as of ``period``, or whose latest figure is
    significantly behind the straight path from its baseline to its target
    (:func:`ecm.plan.trajectory.assess_trajectory`), whatever its self-reported status.
    *Only completed*: a covered gap every action on which is complete or due by the end of
    ``period`` (31 August): nothing still under way answers it.
    """
    meta = _catalogue(indicators)
    linked = _linked_targets(actions, targets, spend)
    concern = _with_titles(concern_gaps(gaps, period), meta)
    is_covered = mark_covered(concern, linked)
    evidence = target_evidence(linked, gaps, values, meta)
    covered = _with_actions(concern[is_covered], linked, evidence, period)
    return PlanCoverage(
        period=period,
        covered=covered,
        uncovered=concern.loc[~is_covered, GAP_COLUMNS].reset_index(drop=True),
        off_track=evidence[evidence["off_track"]].reset_index(drop=True),
        no_target=actions_without_target(actions, targets),
        spend_by_outcome_partner=spend_matrix(actions, spend, partners),
        partners_without_actions=partners_without_actions(actions, partners),
        by_outcome=_by_outcome(concern, covered, evidence, actions, spend, indicators),
        evidence=evidence,
        plan=plan,
    )


def _catalogue(indicators: pd.DataFrame | None) -> pd.DataFrame:
    """The catalogue indexed by code with title, polarity and outcome_code (may be empty)."""
    columns = ["title", "polarity", "outcome_code"]
    if indicators is None or indicators.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="code"))
    return indicators.set_index("code")[columns]


def _with_titles(gaps: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """Gaps with their indicator's title and outcome, significant and widening first, then
    widest first."""
    gaps = gaps.assign(
        title=gaps["indicator_code"]
        .map(meta["title"])
        .astype(object)
        .fillna(gaps["indicator_code"]),
        outcome_code=gaps["indicator_code"].map(meta["outcome_code"]).astype(object),
        significant=gaps["significant"].astype(bool),
    )
    order = (~gaps["significant"]).astype(int) * 2 + (gaps["trend"] != "widening").astype(int)
    return gaps.assign(_order=order).sort_values(["_order", "gap"], ascending=[True, False])[
        GAP_COLUMNS
    ]


def _linked_targets(
    actions: pd.DataFrame, targets: pd.DataFrame, spend: pd.DataFrame
) -> pd.DataFrame:
    """Each target with its action's title, outcome, status, lead and total spend."""
    columns = ["action_id", "title", "outcome_code", "status", "lead_partner", "due_date"]
    if targets.empty or actions.empty:
        return pd.DataFrame(columns=[*columns, "indicator_code", "group_code", "spend"])
    if "due_date" not in actions:
        actions = actions.assign(due_date=None)
    linked = targets.merge(actions[columns], on="action_id", how="inner")
    linked["spend"] = linked["action_id"].map(action_spend(spend)).fillna(0.0)
    return linked.sort_values("action_id").reset_index(drop=True)


def finished(linked: pd.DataFrame, period: str) -> pd.Series:
    """Per action row: complete, or due on or before the last day of ``period`` (31 August),
    so nothing of it is still under way that year."""
    _, last = year_bounds(period)
    due = pd.to_datetime(linked["due_date"], errors="coerce")
    return (linked["status"] == COMPLETE) | (due <= pd.Timestamp(last))  # NaT: not due


def _with_actions(
    covered: pd.DataFrame, linked: pd.DataFrame, evidence: pd.DataFrame, period: str
) -> pd.DataFrame:
    """Covered gaps, each with the ids, titles, statuses and leads of the actions on it,
    their total spend (an action on two gaps counts towards both), whether any of those
    actions is off track by the evidence on this gap, and whether every one of them is
    finished (:func:`finished`: ``only_completed``)."""
    off = evidence[evidence["off_track"] & (evidence["measure"] == GAP)]
    off_pairs = set(zip(off["indicator_code"], off["group_code"], strict=True))
    rows = []
    for gap in covered.to_dict("records"):
        on = linked[
            (linked["indicator_code"] == gap["indicator_code"])
            & (linked["group_code"] == gap["focus_group"])
        ].drop_duplicates("action_id")
        done = finished(on, period)
        rows.append(
            {
                **gap,
                "action_ids": [int(a) for a in on["action_id"]],
                "actions": list(on["title"]),
                "statuses": list(on["status"]),
                "leads": list(on["lead_partner"]),
                "spend": float(on["spend"].sum()),
                "off_track": (gap["indicator_code"], gap["focus_group"]) in off_pairs,
                "only_completed": bool(len(on)) and bool(done.all()),
            }
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS + COVER_COLUMNS)


def _by_outcome(
    concern: pd.DataFrame,
    covered: pd.DataFrame,
    evidence: pd.DataFrame,
    actions: pd.DataFrame,
    spend: pd.DataFrame,
    indicators: pd.DataFrame | None,
) -> pd.DataFrame:
    """Coverage at a glance, per outcome: its concern gaps covered by an action, with no
    action, covered but with an action off track by the evidence (``off_track``), and covered
    only by finished actions (``covered_only_by_finished``, also counted in ``covered``); the
    outcome's actions, those off track by the evidence on any target (gap or value), and
    their spend."""
    columns = ["outcome_code", "outcome", "covered", "uncovered", "off_track",
               "covered_only_by_finished", "actions", "off_track_actions", "spend"]  # fmt: skip
    gap_outcome = concern["outcome_code"].astype(object).fillna("unknown")
    covered_outcome = covered["outcome_code"].astype(object).fillna("unknown")
    off = evidence[evidence["off_track"]].drop_duplicates("action_id")
    per_action = action_spend(spend)
    present = set(gap_outcome) | set(actions.get("outcome_code", []))
    titles = (
        dict(zip(indicators["outcome_code"], indicators["outcome"], strict=True))
        if indicators is not None and {"outcome_code", "outcome"} <= set(indicators.columns)
        else {}
    )
    rows = []
    for outcome in [o for o in OUTCOMES if o in present] + sorted(present - set(OUTCOMES)):
        mine = actions["action_id"][actions["outcome_code"] == outcome] if len(actions) else []
        covered_here = covered_outcome == outcome
        rows.append(
            {
                "outcome_code": outcome,
                "outcome": titles.get(outcome, outcome),
                "covered": int(covered_here.sum()),
                "uncovered": int((gap_outcome == outcome).sum() - covered_here.sum()),
                "off_track": int((covered_here & covered["off_track"].astype(bool)).sum()),
                "covered_only_by_finished": int(
                    (covered_here & covered["only_completed"].astype(bool)).sum()
                ),
                "actions": len(mine),
                "off_track_actions": int((off["outcome_code"] == outcome).sum()),
                "spend": float(per_action.reindex(list(mine)).fillna(0).sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --- turn the curve -----------------------------------------------------------------------


def turn_the_curve(
    history: pd.DataFrame,
    target: Mapping,
    actions: pd.DataFrame,
    *,
    polarity: str | None = None,
    trend: str | None = None,
    horizon: str | None = None,
) -> TurnTheCurve:
    """The turn-the-curve picture of one gap or value.

    Parameters
    ----------
    history
        The series: period, ``gap`` or ``value``, lower, upper (95%); a ``trend`` column, if
        present, gives the trend in words; a ``suppressed`` column, if present, marks withheld
        figures (a row with no figure is withheld too). Withheld years stay in the picture's
        history (value NaN, ``withheld`` True); the path is tested on the latest shown figure.
    target
        A target row (indicator_code, group_code, baseline_period, baseline_gap/_value,
        target_gap/_value, target_period). Without a measurable target the picture has no
        path or trajectory, and the forecast runs to ``horizon`` (default: two years on).
    actions
        The actions on it (action_id, title, status, lead_partner, spend).
    polarity
        The indicator's polarity, for value targets (gaps: lower is always better).

    Notes
    -----
    Forecast: :func:`ecm.plan.trajectory.forecast_if_nothing_changes` (inverse-variance weighted
    straight line through the last up-to-five years, with a 95% prediction band). Required
    path and trajectory: :func:`ecm.plan.trajectory.required_path`, :func:`assess_trajectory`.
    """
    series = history.rename(columns={"gap": "value"}).copy()
    withheld = series["value"].isna()
    if "suppressed" in series:
        withheld |= series["suppressed"].fillna(False).astype(bool)
    series = series.assign(
        year=series["period"].map(period_start), withheld=withheld.astype(bool)
    ).sort_values("year")
    series.loc[series["withheld"], ["value", "lower", "upper"]] = float("nan")
    series = series[["period", "year", "value", "lower", "upper", "withheld"]].reset_index(
        drop=True
    )
    code = str(target.get("indicator_code"))
    breaks = series_breaks()
    series["series_break"] = break_labels(series["period"], code, breaks)
    measurable = measurable_target(target)
    measure = VALUE if target.get("group_code") == "all" else GAP
    words = trend or (str(history["trend"].iloc[0]) if "trend" in history and len(history) else "")
    words = trend_in_words(words, series, measure) if words else words
    until = _horizon(series, measurable, horizon)
    style = _style(series, measurable)
    # The forecast runs on the latest series only: never across a series break.
    latest = since_latest_break(series, breaks, [], indicator_code=code)
    forecast = forecast_if_nothing_changes(latest, until, style=style)
    better_low = lower_is_better(measurable, polarity) if measurable else None
    trajectory = assess_trajectory(series, measurable, better_low) if measurable else None
    return TurnTheCurve(
        indicator_code=str(target.get("indicator_code")),
        group_code=str(target.get("group_code")),
        measure=measure,
        history=series,
        # Every point in the history's own period style, so each year has one place on the
        # chart's axis (2009-10, 2009/10 and 2010 are one year).
        baseline={
            "period": _restyled(measurable.baseline_period, style),
            "value": measurable.baseline,
        }
        if measurable
        else None,
        target={"period": _restyled(measurable.target_period, style), "value": measurable.target}
        if measurable
        else None,
        required=required_path(measurable, style) if measurable else pd.DataFrame(),
        forecast=forecast,
        trajectory=trajectory,
        trend=words or "not enough data",
        outlook=outlook(forecast, measurable, better_low, series),
        actions=actions.reset_index(drop=True),
    )


def _horizon(series: pd.DataFrame, target: Target | None, horizon: str | None) -> int | None:
    """The first year of the period the forecast runs to."""
    if target is not None:
        return period_start(target.target_period)
    if horizon is not None:
        return period_start(horizon)
    years = series.loc[series["value"].notna(), "year"]
    return int(years.max()) + 2 if not years.empty else None


def _style(series: pd.DataFrame, target: Target | None) -> str:
    """A period label whose style the path and forecast copy: the history's own, else the
    target's."""
    if not series.empty:
        return str(series["period"].iloc[-1])
    return target.target_period if target is not None else "2000/01"


def _restyled(period: str, style: str) -> str:
    """``period`` written in the style of ``style`` (the same year)."""
    return period_label(period_start(period), style)
