"""Read an LA's Children and Young People's Plan from the store, and put it beside the LA's
gaps: the loaders behind ``ecm.plan.coverage`` (pure coverage analysis), the Plan page and
``python -m ecm plan coverage``.

LA codes may be ONS codes or three-digit LA numbers (``ecm.figures.queries.resolve_area``). For a
year, the plan read is the one in force that year (:func:`ecm.figures.plans.plan_in_force`); without
a year, the LA's latest (by start date).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from ecm.catalogue import series_breaks
from ecm.config import DATA_DIR
from ecm.figures import queries
from ecm.figures.plans import NO_PLAN, load_plan, select_frame
from ecm.periods import default_period, period_start
from ecm.places.profile import place_gaps, with_intervals
from ecm.plan.coverage import PlanCoverage, TurnTheCurve, plan_coverage, turn_the_curve
from ecm.plan.trajectory import measurable_target
from ecm.stats.breaks import since_latest_break
from ecm.stats.trends import compute_trends, tested_on_counts, trend_by_polarity
from ecm.store.models import Action, ActionSchool, ActionSpend, ActionTarget, Priority, School

PARTNERS_FILE = DATA_DIR / "partners.csv"
ACTION_COLUMNS = [
    "action_id", "plan_id", "priority", "outcome_code", "title", "description", "lead_partner",
    "contributing_partners", "status", "start_date", "due_date", "scope", "scope_detail",
    "version", "updated_at", "updated_by",
]  # fmt: skip
TARGET_COLUMNS = [
    "target_id", "action_id", "indicator_code", "group_code", "baseline_period",
    "baseline_gap", "target_gap", "baseline_value", "target_value", "target_period",
]  # fmt: skip
SPEND_COLUMNS = ["spend_id", "action_id", "partner", "financial_year", "amount"]
GAP_FRAME_COLUMNS = [
    "indicator_code", "focus_group", "comparator_group", "period", "gap", "lower", "upper",
    "significant", "suppressed", "trend",
]  # fmt: skip


def _plan_id(engine: Engine, la_code: str, plan_id: int | None) -> int | None:
    """The given plan, or the LA's latest."""
    if plan_id is not None:
        return plan_id
    plan = load_plan(engine, la_code)
    return plan["id"] if plan else None


def load_actions(engine: Engine, la_code: str, plan_id: int | None = None) -> pd.DataFrame:
    """The actions of the LA's latest plan (or of ``plan_id``), by id: action_id, plan_id,
    priority (its title), outcome_code, title, description, lead_partner,
    contributing_partners, status, start_date, due_date, scope, scope_detail, version,
    updated_at, updated_by."""
    plan_id = _plan_id(engine, la_code, plan_id)
    statement = (
        select(Action.id, Action.plan_id, Priority.title, Action.outcome_code, Action.title,
               Action.description, Action.lead_partner, Action.contributing_partners,
               Action.status, Action.start_date, Action.due_date, Action.scope,
               Action.scope_detail, Action.version, Action.updated_at, Action.updated_by)
        .join(Priority, Priority.id == Action.priority_id, isouter=True)
        .where(Action.plan_id == plan_id)
        .order_by(Action.id)
    )  # fmt: skip
    return select_frame(engine, statement, ACTION_COLUMNS)


def load_targets(engine: Engine, la_code: str, plan_id: int | None = None) -> pd.DataFrame:
    """The targets of the plan's actions: target_id, action_id, indicator_code, group_code,
    baseline_period, baseline_gap, target_gap, baseline_value, target_value, target_period."""
    plan_id = _plan_id(engine, la_code, plan_id)
    statement = (
        select(ActionTarget.id, ActionTarget.action_id, ActionTarget.indicator_code,
               ActionTarget.group_code, ActionTarget.baseline_period, ActionTarget.baseline_gap,
               ActionTarget.target_gap, ActionTarget.baseline_value, ActionTarget.target_value,
               ActionTarget.target_period)
        .join(Action, Action.id == ActionTarget.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(ActionTarget.action_id, ActionTarget.id)
    )  # fmt: skip
    frame = select_frame(engine, statement, TARGET_COLUMNS)
    numbers = list(queries.TARGET_NUMBERS)
    frame[numbers] = frame[numbers].astype(float)
    return queries.targets_shown_to_viewer(frame, la_code)


def load_spend(engine: Engine, la_code: str, plan_id: int | None = None) -> pd.DataFrame:
    """Each partner's spend on each action per financial year (pounds): spend_id, action_id,
    partner, financial_year, amount."""
    plan_id = _plan_id(engine, la_code, plan_id)
    statement = (
        select(ActionSpend.id, ActionSpend.action_id, ActionSpend.partner,
               ActionSpend.financial_year, ActionSpend.amount)
        .join(Action, Action.id == ActionSpend.action_id)
        .where(Action.plan_id == plan_id)
        .order_by(ActionSpend.action_id, ActionSpend.financial_year, ActionSpend.partner)
    )  # fmt: skip
    frame = select_frame(engine, statement, SPEND_COLUMNS)
    frame["amount"] = frame["amount"].astype(float)  # Numeric arrives as Decimal
    return frame


def load_action_schools(engine: Engine, la_code: str, plan_id: int | None = None) -> pd.DataFrame:
    """The schools in the scope of the plan's school-scoped actions: action_id, urn, name,
    phase."""
    plan_id = _plan_id(engine, la_code, plan_id)
    statement = (
        select(ActionSchool.action_id, ActionSchool.urn, School.name, School.phase)
        .join(Action, Action.id == ActionSchool.action_id)
        .join(School, School.urn == ActionSchool.urn)
        .where(Action.plan_id == plan_id)
        .order_by(ActionSchool.action_id, School.name)
    )
    return select_frame(engine, statement, ["action_id", "urn", "name", "phase"])


def load_partners() -> pd.DataFrame:
    """The Children's Trust partners (``data/partners.csv``): name, sector, relevant_partner
    (True for relevant partners under the duty to cooperate, Children Act 2004 s.10)."""
    partners = pd.read_csv(PARTNERS_FILE, dtype=str, keep_default_na=False)
    partners["relevant_partner"] = partners["relevant_partner"].str.strip().str.lower() == "yes"
    return partners


def _own_values(engine: Engine, area: dict, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The LA's all-pupil figures with 95% intervals: indicator_code, period, value, lower,
    upper, numerator, denominator, statistic, polarity (and the columns the loader gives)."""
    figures = with_intervals(queries.load_area_figures(engine, area), catalogue)
    own = figures[
        (figures["level"] == "la")
        & (figures["area_code"] == area["code"])
        & (figures["group_code"] == "all")
    ]
    return own.rename(columns={"lower_ci": "lower", "upper_ci": "upper"}).reset_index(drop=True)


def value_series(own: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    """All-pupil figures up to ``period`` with each indicator's recent trend in words
    (``getting better``, ``getting worse``, ...) as of that period."""
    columns = ["indicator_code", "period", "value", "lower", "upper", "trend"]
    if own.empty:
        return pd.DataFrame(columns=columns)
    if period is not None:
        own = own[own["period"].map(period_start) <= period_start(period)]
    # No trend crosses a series break: each indicator from its latest break on.
    trended = since_latest_break(own, series_breaks(), ["indicator_code"])
    counted = tested_on_counts(trended)
    trends = compute_trends(trended, ["indicator_code"], use_counts=counted)
    words = dict(zip(trends["indicator_code"], trends["trend"], strict=True))
    polarity = dict(zip(own["indicator_code"], own["polarity"], strict=False))
    own = own.assign(
        trend=[
            trend_by_polarity(words.get(i, "not enough data"), polarity.get(i) or "neither")
            for i in own["indicator_code"]
        ]
    )
    return own[columns].reset_index(drop=True)


@dataclass(frozen=True)
class PlanInForce:
    """The plan in force in a year as the store holds it (all empty when none was): the plan
    (with its priorities, or None), its actions, targets and spend, and the partners."""

    plan: dict | None
    actions: pd.DataFrame
    targets: pd.DataFrame
    spend: pd.DataFrame
    partners: pd.DataFrame


def la_plan_coverage(engine: Engine, la_code: str, period: str | None = None) -> PlanCoverage:
    """The coverage of the LA's gaps in ``period`` (default: the year its profile opens on,
    ``ecm.periods.default_period``) by the plan in force that year
    (:func:`ecm.figures.plans.plan_in_force`; the result's ``plan``, None when no plan was in force:
    every gap is then uncovered): see :func:`ecm.plan.coverage.plan_coverage`."""
    return coverage_with_plan(engine, la_code, period)[0]


def coverage_with_plan(
    engine: Engine, la_code: str, period: str | None = None
) -> tuple[PlanCoverage, PlanInForce]:
    """:func:`la_plan_coverage` and the plan it was computed from, read once: the Plan page
    shows both, and reading the plan's actions, targets and spend again would be waste."""
    area = queries.resolve_area(engine, "la", la_code)
    code = area["code"]
    catalogue = queries.load_indicators(engine)
    own = _own_values(engine, area, catalogue)
    period = _year(own, period)
    gaps = _gaps_up_to(engine, code, period)
    plan = load_plan(engine, code, period)
    plan_id = plan["id"] if plan else NO_PLAN
    reads = PlanInForce(
        plan=plan,
        actions=load_actions(engine, code, plan_id),
        targets=load_targets(engine, code, plan_id),
        spend=load_spend(engine, code, plan_id),
        partners=load_partners(),
    )
    coverage = plan_coverage(
        gaps,
        reads.actions,
        reads.targets,
        reads.spend,
        reads.partners,
        period,
        indicators=catalogue,
        values=value_series(own, period),
        plan=plan,
    )
    return coverage, reads


def la_gaps(
    engine: Engine, la_code: str, period: str | None = None
) -> tuple[dict, str, pd.DataFrame]:
    """The LA (as :func:`ecm.figures.queries.resolve_area` gives it), the year its Plan page
    opens on (``period``, default as :func:`coverage_with_plan`) and its own gaps up to that
    year (:func:`ecm.places.profile.place_gaps`; :data:`GAP_FRAME_COLUMNS` at least)."""
    area = queries.resolve_area(engine, "la", la_code)
    if period is None:
        period = _year(_own_values(engine, area, queries.load_indicators(engine)), None)
    return area, period, _gaps_up_to(engine, area["code"], period)


def _year(own: pd.DataFrame, period: str | None) -> str:
    """``period``, else the year the LA's all-pupil figures open on."""
    if period is not None:
        return period
    return default_period(own) if not own.empty else "2000/01"


def _gaps_up_to(engine: Engine, code: str, period: str) -> pd.DataFrame:
    """The LA's own gaps up to ``period``, with the frame's columns when it has none."""
    gaps = place_gaps(engine, "la", code, period)
    return pd.DataFrame(columns=GAP_FRAME_COLUMNS) if gaps.empty else gaps


def gap_turn_the_curve(
    engine: Engine,
    la_code: str,
    indicator_code: str,
    group_code: str,
    period: str | None = None,
) -> TurnTheCurve:
    """The turn-the-curve picture of one of the LA's gaps (a focus group) or, for group
    ``all``, of its value: the history up to ``period`` (default: all), the first measurable
    target the plan in force then (default: the latest plan) sets on it, and every action on
    it with its total spend."""
    area = queries.resolve_area(engine, "la", la_code)
    code = area["code"]
    catalogue = queries.load_indicators(engine)
    polarity = catalogue.set_index("code")["polarity"].get(indicator_code)
    if group_code == "all":
        history = value_series(_own_values(engine, area, catalogue), period)
        history = history[history["indicator_code"] == indicator_code]
    else:
        gaps = place_gaps(engine, "la", code, period)
        history = gaps[
            (gaps["indicator_code"] == indicator_code) & (gaps["focus_group"] == group_code)
        ] if not gaps.empty else pd.DataFrame(columns=GAP_FRAME_COLUMNS)  # fmt: skip
    plan = load_plan(engine, code, period)
    plan_id = plan["id"] if plan else NO_PLAN
    targets = load_targets(engine, code, plan_id)
    targets = targets[
        (targets["indicator_code"] == indicator_code) & (targets["group_code"] == group_code)
    ]
    rows = targets.to_dict("records")
    target = next((t for t in rows if measurable_target(t) is not None), None)
    target = target or (rows[0] if rows else {})
    target = {"indicator_code": indicator_code, "group_code": group_code, **target}
    actions = load_actions(engine, code, plan_id)
    actions = actions[actions["action_id"].isin(targets["action_id"])]
    spend = load_spend(engine, code, plan_id).groupby("action_id")["amount"].sum()
    actions = actions[["action_id", "title", "status", "lead_partner"]].assign(
        spend=actions["action_id"].map(spend).fillna(0.0).astype(float)
    )
    return turn_the_curve(history, target, actions, polarity=polarity)
