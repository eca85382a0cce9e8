"""Reads of the plan as the place analyses need them: the plan in force in a year, its
targets, which gaps an action covers, and the actions reported off track.

Every page that calls a gap "covered" (school and area headlines, the gap league, the region's
briefs, the Plan page) asks here, so they all count the same plan. The plan analyses
(:mod:`ecm.plan`) build on these reads; these reads never import them.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from ecm.figures import queries
from ecm.periods import year_bounds
from ecm.store.models import Action, Plan, Priority

PLAN_COLUMNS = ["id", "la_code", "title", "period_label", "start_date", "end_date", "status"]
#: A plan id no plan has: an LA with no plan in force reads no actions.
NO_PLAN = 0
OFF_TRACK_STATUSES = ("off_track", "at_risk")


def select_frame(engine: Engine, statement, columns: list[str]) -> pd.DataFrame:  # noqa: ANN001
    """Run a select; its rows as a DataFrame with ``columns`` (also when there are none)."""
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(statement)]
    return pd.DataFrame.from_records(rows, columns=columns)


def _la_code(engine: Engine, la_code: str) -> str:
    """The LA's ONS code from an ONS code or a three-digit number."""
    return queries.resolve_area(engine, "la", la_code)["code"]


def load_plan(engine: Engine, la_code: str, period: str | None = None) -> dict | None:
    """The LA's plan (id, la_code, title, period_label, start_date, end_date, status) with its
    priorities (id, outcome_code, title, position), or None.

    With ``period`` (an academic year), the plan in force in it: running at some time between
    1 September and 31 August of that year, an agreed plan before a draft, then the latest to
    start; so gaps of 2005/06 are never "covered" by a plan of 2008-2011. Without, the LA's
    latest plan.
    """
    code = _la_code(engine, la_code)
    plans = _plans(engine, [code])
    if period is not None:
        chosen = choose_plan_in_force(plans, period)
    else:
        latest = plans.sort_values(["start_date", "id"], ascending=False)
        chosen = latest.iloc[0].to_dict() if len(latest) else None
    return _with_priorities(engine, {code: chosen})[code]


def plans_in_force(engine: Engine, la_codes: list[str], period: str) -> dict[str, dict | None]:
    """Each LA's plan in force in ``period``, as :func:`load_plan` gives it, read for all the
    LAs (ONS codes) at once: a region's briefs ask for every LA of the region."""
    plans = _plans(engine, la_codes)
    chosen = {
        code: choose_plan_in_force(plans[plans["la_code"] == code], period) for code in la_codes
    }
    return _with_priorities(engine, chosen)


def _with_priorities(engine: Engine, chosen: dict[str, dict | None]) -> dict[str, dict | None]:
    """The chosen plans (rows of :func:`_plans`, or None) as plan records with their
    priorities in order, read in one query."""
    records = {
        code: {**{column: row[column] for column in PLAN_COLUMNS}, "id": int(row["id"])}
        for code, row in chosen.items()
        if row is not None
    }
    ids = [record["id"] for record in records.values()]
    priorities: dict[int, list[dict]] = {plan_id: [] for plan_id in ids}
    if ids:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Priority.plan_id, Priority.id, Priority.outcome_code, Priority.title,
                       Priority.position)
                .where(Priority.plan_id.in_(ids))
                .order_by(Priority.plan_id, Priority.position, Priority.id)
            ).all()  # fmt: skip
        for row in rows:
            fields = row._asdict()
            priorities[fields.pop("plan_id")].append(fields)
    return {
        code: {**records[code], "priorities": priorities[records[code]["id"]]}
        if code in records
        else None
        for code in chosen
    }


def plan_in_force(engine: Engine, la_code: str, period: str) -> dict | None:
    """The LA's plan in force in ``period`` (an academic year), with its priorities, or None
    when no plan ran that year: :func:`load_plan` with a period (rule in
    :func:`choose_plan_in_force`)."""
    return load_plan(engine, la_code, period)


def _plans(engine: Engine, codes: list[str]) -> pd.DataFrame:
    """Every plan of the LAs: id, la_code, title, period_label, start_date, end_date, status."""
    statement = (
        select(Plan.id, Plan.la_code, Plan.title, Plan.period_label, Plan.start_date,
               Plan.end_date, Plan.status)
        .where(Plan.la_code.in_(codes))
        .order_by(Plan.id)
    )  # fmt: skip
    return select_frame(engine, statement, PLAN_COLUMNS)


def choose_plan_in_force(plans: pd.DataFrame, period: str) -> dict | None:
    """The plan in force in ``period`` (an academic year, any style) among an LA's plans (id,
    start_date, end_date, status, ...): running at some time between 1 September and 31 August
    of that year, an agreed plan before a draft, then the latest to start (then the highest
    id). None when no plan ran that year: a 2008-2011 plan does not cover 2005/06."""
    if plans.empty:
        return None
    first, last = year_bounds(period)
    running = plans[
        (pd.to_datetime(plans["start_date"]).dt.date <= last)
        & (pd.to_datetime(plans["end_date"]).dt.date >= first)
    ]
    if running.empty:
        return None
    ranked = running.assign(
        _agreed=running["status"] == "agreed", _start=pd.to_datetime(running["start_date"])
    ).sort_values(["_agreed", "_start", "id"], ascending=False)
    return ranked.drop(columns=["_agreed", "_start"]).iloc[0].to_dict()


def targeted_pairs(targets: pd.DataFrame) -> set[tuple[str, str]]:
    """The (indicator, group) pairs the plan's actions target: the coverage rule in one place.
    A gap is covered when a plan action targets its indicator and focus group."""
    if targets.empty:
        return set()
    return set(zip(targets["indicator_code"], targets["group_code"], strict=True))


def mark_covered(gaps: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """Per gap (``indicator_code``, ``focus_group``): whether an action targets it."""
    pairs = targeted_pairs(targets)
    return pd.Series(
        [(i, g) in pairs for i, g in zip(gaps["indicator_code"], gaps["focus_group"], strict=True)],
        index=gaps.index,
        dtype=bool,
    )


def off_track_actions(engine: Engine, plan_id: int) -> pd.DataFrame:
    """The plan's actions reported off track or at risk: title, status, lead partner."""
    statement = (
        select(Action.title, Action.status, Action.lead_partner)
        .where(Action.plan_id == plan_id, Action.status.in_(OFF_TRACK_STATUSES))
        .order_by(Action.status.desc(), Action.title)
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    return pd.DataFrame(rows, columns=["title", "status", "lead_partner"])


def off_track_actions_of_plans(engine: Engine, plan_ids: list[int]) -> dict[int, pd.DataFrame]:
    """:func:`off_track_actions` of each plan, read in one query: plan id -> its actions
    reported off track or at risk (title, status, lead partner; none for an id with none)."""
    statement = (
        select(Action.plan_id, Action.title, Action.status, Action.lead_partner)
        .where(Action.plan_id.in_(plan_ids), Action.status.in_(OFF_TRACK_STATUSES))
        .order_by(Action.status.desc(), Action.title)
    )
    rows = select_frame(engine, statement, ["plan_id", "title", "status", "lead_partner"])
    return {
        plan_id: rows[rows["plan_id"] == plan_id].drop(columns="plan_id").reset_index(drop=True)
        for plan_id in plan_ids
    }


def plan_targets_of_plans(engine: Engine, plan_ids: list[int]) -> dict[int, pd.DataFrame]:
    """Each plan's targets as :func:`ecm.figures.queries.load_plan_targets` gives them for one
    plan, read in one query: plan id -> its actions' targets (none for an id with none)."""
    statement = queries.plan_targets_statement().where(Plan.id.in_(plan_ids))
    rows = select_frame(engine, statement, [column.name for column in statement.selected_columns])
    return {
        plan_id: rows[rows["plan_id"] == plan_id].drop(columns="plan_id").reset_index(drop=True)
        for plan_id in plan_ids
    }
