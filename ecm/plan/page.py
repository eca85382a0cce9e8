"""Everything the Plan page shows for one LA and year, assembled in one place: the page (and
its cache in :mod:`ecm.ui.loaders`) only lays it out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from ecm.figures import plans, queries
from ecm.plan.coverage import PlanCoverage
from ecm.plan.loaders import NO_PLAN, coverage_with_plan, load_action_schools


@dataclass(frozen=True)
class PlanPage:
    """One LA's plan beside its gaps in one year."""

    area: dict  # the LA as resolve_area gives it: code, name, region, ...
    coverage: PlanCoverage  # the gaps of coverage.period and how the plan covers them
    plan: dict | None  # the plan in force in coverage.period (None when none was)
    latest_plan: dict | None  # the plan in force, else the LA's latest (offered when none was)
    actions: pd.DataFrame  # the plan in force's actions, targets, spend and schools in scope
    targets: pd.DataFrame
    spend: pd.DataFrame
    schools: pd.DataFrame
    partners: pd.DataFrame  # the Children's Trust partners

    @property
    def code(self) -> str:
        """The LA's ONS code."""
        return self.area["code"]


def plan_page(engine: Engine, la_code: str, period: str | None = None) -> PlanPage:
    """The Plan page of an LA (ONS code or LA number) for ``period`` (default: the year its
    profile opens on). Only the plan in force that year and its actions are read, so no gap is
    called covered by a plan of another year. Raises
    :class:`ecm.figures.queries.UnknownArea` for an unknown LA."""
    area = queries.resolve_area(engine, "la", la_code)
    code = area["code"]
    coverage, in_force = coverage_with_plan(engine, code, period)
    plan = in_force.plan
    return PlanPage(
        area=area,
        coverage=coverage,
        plan=plan,
        latest_plan=plan or plans.load_plan(engine, code),
        actions=in_force.actions,
        targets=in_force.targets,
        spend=in_force.spend,
        schools=load_action_schools(engine, code, plan["id"] if plan else NO_PLAN),
        partners=in_force.partners,
    )
