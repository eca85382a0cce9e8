"""A plan to start from: the template workbook pre-filled with an LA's own gaps, for an area
that has no plan yet. One draft action (and its target) per gap the Board would act on, with
the gap's size, unit and interval written beside it; the lead partner, dates and target gap
are left for the Board, so the file imports once they are filled in (the importer requires a
lead partner, and a target gap beside a baseline gap)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from ecm.catalogue import comparator_phrase, group_noun
from ecm.figures import queries
from ecm.periods import period_aliases, period_start
from ecm.places.overview import LEAGUE_ORDER
from ecm.plan.coverage import concern_gaps
from ecm.plan.io.layout import Reference, reference_lists
from ecm.plan.io.template import plan_workbook
from ecm.plan.loaders import la_gaps
from ecm.stats.gaps import gap_order, verdict
from ecm.store.models import ACTION_STATUSES
from ecm.units import gap_unit

#: How many of the widest gaps a draft offers when no gap is significant or widening.
WIDEST = 5
#: Years a drafted plan runs (CYPPs ran three years, April to March).
PLAN_YEARS = 3


@dataclass(frozen=True)
class DraftPlan:
    """A draft plan started from an LA's gaps of one year: the sheets' rows (:func:`draft_rows`)
    and the values the workbook's drop-downs offer."""

    area: dict  # the LA: code, name, ...
    period: str  # the year of the gaps
    rows: dict[str, list[dict]]
    reference: Reference

    def workbook(self) -> bytes:
        """The plan template (instructions, drop-downs) holding the draft."""
        return plan_workbook(self.reference, self.rows)

    def describe(self) -> str:
        """One line for people: which plan, for whom, from how many gaps of which year."""
        plan = self.rows["Plan"][0]
        return (
            f"draft plan {plan['period']} for {self.area['name']} ({self.area['code']}): "
            f"{len(self.rows['Actions'])} draft actions from its gaps of {self.period}"
        )


def draft_plan(engine: Engine, la_code: str, period: str | None = None) -> DraftPlan:
    """The draft plan of one LA (ONS code or LA number) from its gaps in ``period`` (an
    academic year; default: the year its Plan page opens on): see :func:`draft_rows`. Raises
    :class:`ecm.figures.queries.UnknownArea` for an unknown LA."""
    area, year, gaps = la_gaps(engine, la_code, period)
    rows = draft_rows(area, year, gaps, queries.load_indicators(engine))
    return DraftPlan(area, year, rows, reference_lists(engine))


def plan_template_for(engine: Engine, la_code: str, period: str | None = None) -> bytes:
    """The plan template pre-filled for one LA from its gaps in ``period``
    (:func:`draft_plan`), as an .xlsx workbook."""
    return draft_plan(engine, la_code, period).workbook()


def draft_rows(
    area: dict, period: str, gaps: pd.DataFrame, catalogue: pd.DataFrame
) -> dict[str, list[dict]]:
    """The sheets of a draft plan for ``area`` (code, name) from its gaps (as
    :func:`ecm.places.profile.place_gaps` gives them) in ``period``.

    Plan: a draft titled and dated to start in the April the year ends, for
    :data:`PLAN_YEARS` years, so that it is in force in ``period`` once imported. Actions:
    one per gap of :func:`draft_gaps`, not started, across the whole area, with the gap in
    words in its description; Targets: the gap's indicator, focus group, period and size as
    the baseline. Lead partner, dates, target gap and target period stay empty for the Board.
    """
    meta = catalogue.set_index("code")
    start = period_start(period) + 1
    label = f"{start}-{start + PLAN_YEARS}"
    actions, targets = [], []
    for number, gap in enumerate(draft_gaps(gaps, period, catalogue).to_dict("records"), 1):
        ref, code, focus = f"A{number}", gap["indicator_code"], gap["focus_group"]
        unit = meta["unit"].get(code)
        size = _rounded(gap["gap"], unit)
        actions.append(
            {
                "ref": ref,
                "outcome": meta["outcome_code"].get(code),
                "title": f"{meta['title'].get(code, code)}: narrow the gap for {group_noun(focus)}",
                "description": gap_note(gap, unit),
                "status": ACTION_STATUSES[0],
                "scope": "whole_area",
            }
        )
        targets.append(
            {"action_ref": ref, "indicator": code, "group": focus,
             "baseline_period": gap["period"], "baseline_gap": size}
        )  # fmt: skip
    plan = {
        "title": f"{area['name']} Children and Young People's Plan {label} - draft",
        "period": label,
        "start_date": dt.date(start, 4, 1),
        "end_date": dt.date(start + PLAN_YEARS, 3, 31),
        "status": "draft",
    }
    return {"Plan": [plan], "Actions": actions, "Targets": targets, "Spend": []}


def draft_gaps(gaps: pd.DataFrame, period: str, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The gaps of ``period`` a draft plan answers: the ones the Plan page calls gaps with no
    action (the focus group worse off, and significant or widening), significant and widening
    first, then widest; where there are none, the :data:`WIDEST` widest with the focus group
    worse off. Withheld gaps (no figure, or suppressed) are never offered, and a gap stored in
    two period styles (2018/19 and 2019) is offered once, in the period's own style."""
    current = gaps[
        gaps["period"].isin(period_aliases(period))
        & gaps["gap"].notna()
        & ~gaps["suppressed"].fillna(False).astype(bool)
    ]
    chosen = concern_gaps(current, period)
    only_widest = chosen.empty
    if only_widest:
        chosen = current[current["gap"] > 0]
    chosen = chosen.sort_values("period", key=lambda p: p != period, kind="stable")
    chosen = chosen.drop_duplicates(["indicator_code", "focus_group"])
    units = catalogue.set_index("code")["unit"]

    def order(gap: dict) -> tuple:
        widening = gap["trend"] == "widening"
        league = LEAGUE_ORDER.get((bool(gap["significant"]), widening), 3)
        return (league, *gap_order(gap, units.get(gap["indicator_code"]))[1:])

    records = sorted(chosen.to_dict("records"), key=order)
    if only_widest:
        records = records[:WIDEST]
    return pd.DataFrame(records, columns=chosen.columns).reset_index(drop=True)


def gap_note(gap: dict, unit: str | None) -> str:
    """A draft action's description: the gap it answers in words (size, unit, interval,
    significance, trend), and what the Board is to fill in."""
    size = f"{_rounded(gap['gap'], unit)} {gap_unit(unit)}".strip()
    lower, upper = gap.get("lower"), gap.get("upper")
    interval = (
        f"95% interval {_rounded(lower, unit)} to {_rounded(upper, unit)}"
        if _number(lower) and _number(upper)
        else "no interval: the figures were published without counts"
    )
    standing = [
        {True: "significant", False: "not significant", None: "not tested"}[
            verdict(gap["significant"], lower, upper)
        ],
        f"trend: {gap['trend']}",
    ]
    return (
        f"DRAFT from the dashboard. In {gap['period']} {group_noun(gap['focus_group'])} were "
        f"{size} worse off than {comparator_phrase(gap['comparator_group'])} ({interval}; "
        f"{', '.join(standing)}). To fill in: what will be done, for whom and where; the lead "
        "partner; the dates; and, on the Targets sheet, the target gap and its period."
    )


def _number(value: object) -> bool:
    """Whether ``value`` is a number (not None or NaN)."""
    return isinstance(value, int | float) and not math.isnan(value)


def _rounded(value: float, unit: str | None) -> float:
    """A gap as a plan states it: to one decimal, or two for a gap under 10 in a unit other
    than percentages (a mean score's gap can be a fraction of a point)."""
    value = float(value)
    return round(value, 2 if unit != "%" and abs(value) < 10 else 1)
