"""Fictional Children and Young People's Plans 2008-2011, one per demo LA.

Actions come from ``data/demo_actions.csv`` (programmes of the time: Every Child a Reader,
Targeted Mental Health in Schools, September Guarantee, ...). Each LA deliberately leaves a few
gap-targeting actions out, so that some significant gaps have no action, and self-reported
statuses are drawn independently of the data, so that some "on track" actions target gaps that
are in fact widening.
"""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd

from ecm.config import DATA_DIR

ACTIONS_FILE = DATA_DIR / "demo_actions.csv"
BASELINE_PERIOD = "2007/08"
TARGET_PERIOD = "2010/11"
FINANCIAL_YEARS = ("2008-09", "2009-10", "2010-11")
#: How often the demo's actions have each status (the draw's order is part of the seed's demo).
STATUS_SHARES = {
    "on_track": 0.5,
    "at_risk": 0.18,
    "off_track": 0.14,
    "not_started": 0.08,
    "complete": 0.10,
}
PRIORITY_TITLES = {
    "be_healthy": "Improve children's physical, emotional and sexual health",
    "stay_safe": "Keep children safe from harm and give children in care stability",
    "enjoy_achieve": "Raise attainment and narrow the gap for disadvantaged pupils",
    "positive_contribution": "Reduce offending and widen positive activities",
    "economic_wellbeing": "Raise participation post-16 and reduce child poverty",
}


def load_action_templates() -> list[dict[str, str]]:
    """The action templates the demo plans are drawn from."""
    with ACTIONS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build_plans(
    las: pd.DataFrame,
    schools: pd.DataFrame,
    la_values: pd.DataFrame,
    polarity: dict[str, str],
    rng: np.random.Generator,
) -> dict[str, pd.DataFrame]:
    """Plans, priorities, actions, targets, spend and school scopes as table frames.

    ``la_values`` holds LA-level observations (indicator_code, area_code, group_code, period,
    value) used for the targets' baselines.
    """
    templates = load_action_templates()
    lookup = la_values.set_index(["indicator_code", "area_code", "group_code", "period"])["value"]
    plans, priorities, actions, targets, spend, scopes = [], [], [], [], [], []
    action_id = 0
    for plan_id, la in enumerate(las.itertuples(index=False), start=1):
        plans.append(
            {
                "id": plan_id,
                "la_code": la.code,
                "title": f"{la.name} Children and Young People's Plan 2008-2011",
                "period_label": "2008-2011",
                "start_date": dt.date(2008, 4, 1),
                "end_date": dt.date(2011, 3, 31),
                "status": "agreed",
            }
        )
        priority_ids = {}
        for outcome, title in PRIORITY_TITLES.items():
            priority_ids[outcome] = len(priorities) + 1
            priorities.append(
                {
                    "id": priority_ids[outcome],
                    "plan_id": plan_id,
                    "outcome_code": outcome,
                    "title": title,
                    "position": len(priority_ids),
                }
            )
        first_action = action_id
        for template in _choose_templates(templates, rng):
            action_id += 1
            status = str(rng.choice(list(STATUS_SHARES), p=list(STATUS_SHARES.values())))
            actions.append(
                {
                    "id": action_id,
                    "plan_id": plan_id,
                    "ref": f"A{action_id - first_action}",
                    "priority_id": priority_ids[template["outcome"]],
                    "outcome_code": template["outcome"],
                    "title": template["title"],
                    "description": template["description"],
                    "lead_partner": template["lead_partner"],
                    "contributing_partners": template["contributing_partners"] or None,
                    "status": status,
                    "start_date": dt.date(2008, int(rng.choice([4, 9])), 1),
                    "due_date": dt.date(2011, 3, 31),
                    "scope": template["scope"],
                    "scope_detail": "North and East localities"
                    if template["scope"] == "locality"
                    else None,
                    "version": 1,
                }
            )
            if template["indicator"]:
                targets.append(
                    _target(
                        action_id, template, la.code, lookup, polarity.get(template["indicator"])
                    )
                )
            spend.extend(_spend(action_id, template, rng))
            if template["scope"] == "schools":
                scopes.extend(_scope_schools(action_id, template, la.code, schools, rng))
    frames = {
        "plan": pd.DataFrame(plans),
        "priority": pd.DataFrame(priorities),
        "action": pd.DataFrame(actions),
        "action_target": pd.DataFrame(targets),
        "action_spend": pd.DataFrame(spend),
        "action_school": pd.DataFrame(scopes, columns=["action_id", "urn"]),
    }
    frames["action_target"].insert(0, "id", range(1, len(targets) + 1))
    frames["action_spend"].insert(0, "id", range(1, len(spend) + 1))
    return frames


def _choose_templates(templates: list[dict[str, str]], rng: np.random.Generator) -> list[dict]:
    """15-30 actions, leaving out 2-4 of the gap-targeting ones on purpose."""
    gap_targeting = [t for t in templates if t["group"] not in ("", "all")]
    left_out = {
        t["title"] for t in rng.choice(gap_targeting, size=rng.integers(2, 5), replace=False)
    }
    candidates = [t for t in templates if t["title"] not in left_out]
    count = int(min(len(candidates), rng.integers(15, 31)))
    chosen = rng.choice(len(candidates), size=count, replace=False)
    return [candidates[i] for i in sorted(chosen)]


def _target(
    action_id: int,
    template: dict[str, str],
    la_code: str,
    lookup: pd.Series,
    polarity: str | None,
) -> dict:
    """The action's target: a gap to narrow (focus groups) or a value to improve (all pupils)."""
    indicator, group = template["indicator"], template["group"]
    period = _baseline_period(lookup, indicator, la_code)
    target = {
        "action_id": action_id,
        "indicator_code": indicator,
        "group_code": group,
        "baseline_period": period,
        "target_period": TARGET_PERIOD,
        "baseline_gap": None,
        "target_gap": None,
        "baseline_value": None,
        "target_value": None,
    }
    higher_better = polarity == "higher_is_better"
    if group == "all":
        value = lookup.get((indicator, la_code, "all", period))
        if value is not None and not np.isnan(value):
            target["baseline_value"] = round(float(value), 1)
            # Aim for a tenth better than the baseline by 2010/11.
            target["target_value"] = round(float(value) * (1.1 if higher_better else 0.9), 1)
        return target
    comparator = {"disadvantaged": "not_disadvantaged", "fsm": "not_fsm", "sen": "no_sen"}.get(
        group, "girls" if group == "boys" else "all"
    )
    focus = lookup.get((indicator, la_code, group, period))
    other = lookup.get((indicator, la_code, comparator, period))
    if focus is not None and other is not None and not np.isnan(focus) and not np.isnan(other):
        # Signed so that a positive gap means the focus group is worse off.
        gap = (other - focus) if higher_better else (focus - other)
        target["baseline_gap"] = round(float(gap), 2)
        target["target_gap"] = round(float(gap) * 0.75, 2)  # close a quarter of the gap
    return target


def _baseline_period(lookup: pd.Series, indicator: str, la_code: str) -> str:
    """The baseline period: 2007/08 in the indicator's own period style."""
    periods = sorted({key[3] for key in lookup.index if key[0] == indicator and key[1] == la_code})
    return periods[2] if len(periods) >= 3 else BASELINE_PERIOD


def _spend(action_id: int, template: dict[str, str], rng: np.random.Generator) -> list[dict]:
    """Each partner's spend per financial year, in whole thousands of pounds."""
    partners = [template["lead_partner"]]
    contributors = [p for p in template["contributing_partners"].split(";") if p]
    partners += contributors[: int(rng.integers(0, 3))]
    rows = []
    for k, partner in enumerate(partners):
        yearly = rng.lognormal(np.log(120_000 if k == 0 else 30_000), 0.6)
        for year in FINANCIAL_YEARS:
            amount = round(yearly * rng.uniform(0.85, 1.15), -3)
            rows.append(
                {
                    "action_id": action_id,
                    "partner": partner,
                    "financial_year": year,
                    "amount": amount,
                }
            )
    return rows


def _scope_schools(
    action_id: int,
    template: dict[str, str],
    la_code: str,
    schools: pd.DataFrame,
    rng: np.random.Generator,
) -> list[dict]:
    """3-10 schools of the LA in the action's phase (primary for KS2 work, else secondary)."""
    primary_codes = {"ni_73", "ni_94", "ni_93", "ni_72", "ni_56", "perctot", "ni_50"}
    phase = "primary" if template["indicator"] in primary_codes else "secondary"
    pool = schools.loc[(schools["la_code"] == la_code) & (schools["phase"] == phase), "urn"]
    if pool.empty:
        return []
    chosen = rng.choice(
        pool.to_numpy(), size=min(len(pool), int(rng.integers(3, 11))), replace=False
    )
    return [{"action_id": action_id, "urn": urn} for urn in chosen]
