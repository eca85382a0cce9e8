"""The Plan page's results as people read them: coverage in words, tables with plain column
names and links, the turn-the-curve frames and an action's history. Pure functions on the
results of ``ecm.plan.coverage`` and ``ecm.plan.loaders``; the page only lays them out."""

from __future__ import annotations

import pandas as pd

from ecm.catalogue import comparator_phrase, group_label, group_title
from ecm.plan.coverage import PlanCoverage
from ecm.plan.spend import OUTCOMES, spend_cells
from ecm.stats.direction import GAP_WIDENING
from ecm.stats.gaps import gap_order
from ecm.store.models import ACTION_STATUS_WORDS, action_status_words
from ecm.units import gap_unit, interval, rounded
from ecm.views.markdown import escape_markdown
from ecm.views.profile_tables import significance_word

SCOPE_WORDS = {"whole_area": "whole area", "locality": "a locality", "schools": "listed schools"}


def gap_key(indicator: str, group: str) -> str:
    """The URL form of a gap (or, for group ``all``, a value): ``ni_73:disadvantaged``."""
    return f"{indicator}:{group}"


def plan_link(la_code: str, **params: str | int) -> str:
    """The URL of the Plan page for an LA, with an action or gap chosen."""
    extra = "".join(f"&{name}={value}" for name, value in params.items())
    return f"/plan?la={la_code}{extra}"


def gap_words(focus: str, comparator: str) -> str:
    return f"{group_title(focus)} vs {comparator_phrase(comparator)}"


def interval_words(lower: object, upper: object) -> str:
    return interval(lower, upper)


def glance_summary(coverage: PlanCoverage) -> str:
    """The three numbers a Board asks first, in words."""
    concern = len(coverage.covered) + len(coverage.uncovered)
    actions_off = coverage.off_track["action_id"].nunique() if not coverage.off_track.empty else 0
    finished = (
        int(coverage.covered["only_completed"].sum()) if "only_completed" in coverage.covered else 0
    )
    untested = sum(
        int((table["trend"] == GAP_WIDENING).sum())
        for table in (coverage.covered, coverage.uncovered)
        if "trend" in table
    )
    more = (
        f" (**{untested}** of them have no interval and widen only by their direction of "
        "travel, untested)"
        if untested
        else ""
    )
    return (
        f"**{concern}** gaps are significant or widening in {coverage.period}{more}: "
        f"**{len(coverage.covered)}** have an action"
        + (f" ({finished} of them only by finished actions)" if finished else "")
        + f", **{len(coverage.uncovered)} have none**. "
        f"**{actions_off}** {'action is' if actions_off == 1 else 'actions are'} off track by "
        f"the figures, whatever their reported status; **{len(coverage.no_target)}** "
        f"{'has' if len(coverage.no_target) == 1 else 'have'} no measurable target."
    )


def coverage_rows(coverage: PlanCoverage) -> pd.DataFrame:
    """Per outcome, the gaps with and without an action and the actions off track by the
    figures: the coverage chart's rows (``outcome`` is the outcome's title)."""
    glance = coverage.by_outcome
    if glance.empty:
        return pd.DataFrame(columns=["outcome", "covered", "uncovered", "off_track"])
    rows = glance[["outcome", "covered", "uncovered", "off_track_actions"]]
    return rows.rename(columns={"off_track_actions": "off_track"}).reset_index(drop=True)


def _ordered(gaps: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Gaps in the gap league's order: percentage gaps first, widest in points, then gaps in
    other units (rates per 100,000 and points are not one scale)."""
    if gaps.empty:
        return gaps
    order = [
        gap_order({**g, "significant": True}, units.get(g["indicator_code"]))
        for g in gaps.to_dict("records")
    ]
    return gaps.iloc[sorted(range(len(gaps)), key=order.__getitem__)]


def _unit_words(indicators: pd.Series, units: dict[str, str]) -> list[str]:
    return [gap_unit(units.get(i)) for i in indicators]


def _gap_columns(gaps: pd.DataFrame, units: dict[str, str]) -> dict[str, list]:
    """The columns every gap table starts with: indicator, groups, size, unit, interval."""
    return {
        "Indicator": list(gaps["title"]),
        "Gap": [
            gap_words(f, c)
            for f, c in zip(gaps["focus_group"], gaps["comparator_group"], strict=True)
        ],
        "Size": list(rounded(gaps["gap"])),
        "Unit": _unit_words(gaps["indicator_code"], units),
        "95% interval": [
            interval_words(lo, hi) for lo, hi in zip(gaps["lower"], gaps["upper"], strict=True)
        ],
    }


def uncovered_table(
    coverage: PlanCoverage, la_code: str, units: dict[str, str] | None = None
) -> pd.DataFrame:
    """Significant or widening gaps with no action, percentage gaps widest first, each with
    its unit and a link to its turn-the-curve picture."""
    units = units or {}
    gaps = _ordered(coverage.uncovered, units)
    if gaps.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            **_gap_columns(gaps, units),
            "Significant": [
                significance_word(s, lo, hi)
                for s, lo, hi in zip(gaps["significant"], gaps["lower"], gaps["upper"], strict=True)
            ],
            "Trend": gaps["trend"],
            "Turn the curve": [
                plan_link(la_code, gap=gap_key(i, g))
                for i, g in zip(gaps["indicator_code"], gaps["focus_group"], strict=True)
            ],
        }
    )


def covered_table(
    coverage: PlanCoverage, la_code: str, units: dict[str, str] | None = None
) -> pd.DataFrame:
    """Significant or widening gaps with their actions, statuses, leads and spend (an action
    on two gaps counts for both)."""
    units = units or {}
    gaps = _ordered(coverage.covered, units)
    if gaps.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            **_gap_columns(gaps, units),
            "Trend": gaps["trend"],
            "Actions": ["; ".join(a) for a in gaps["actions"]],
            "Reported status": [
                "; ".join(action_status_words(s) for s in statuses) for statuses in gaps["statuses"]
            ],
            "Lead": ["; ".join(dict.fromkeys(leads)) for leads in gaps["leads"]],
            "Spend (£k)": (gaps["spend"] / 1000).round(0),
            "Off track by the figures": gaps["off_track"].map({True: "yes", False: "no"}),
            "Only finished actions": gaps.get(
                "only_completed", pd.Series(False, index=gaps.index)
            ).map({True: "yes", False: "no"}),
            "Turn the curve": [
                plan_link(la_code, gap=gap_key(i, g))
                for i, g in zip(gaps["indicator_code"], gaps["focus_group"], strict=True)
            ],
        }
    )


def off_track_table(coverage: PlanCoverage, la_code: str, titles: dict[str, str]) -> pd.DataFrame:
    """Actions the figures say are off track, whatever their reported status, with the
    evidence in words and links to the action and its curve."""
    rows = coverage.off_track
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Action": rows["title"],
            "Reported status": rows["status"].map(action_status_words),
            "Lead": rows["lead_partner"],
            "Target": [
                f"{titles.get(i, i)} ({group_label(g)})"
                for i, g in zip(rows["indicator_code"], rows["group_code"], strict=True)
            ],
            "Evidence": rows["reason"],
            "Action page": [plan_link(la_code, action=int(a)) for a in rows["action_id"]],
            "Turn the curve": [
                plan_link(la_code, gap=gap_key(i, g))
                for i, g in zip(rows["indicator_code"], rows["group_code"], strict=True)
            ],
        }
    )


def evidence_words(action_id: int, coverage: PlanCoverage) -> str:
    """What the figures say of one action: off track, on its path, not assessed, no target."""
    if not coverage.no_target.empty and action_id in set(coverage.no_target["action_id"]):
        return "no measurable target"
    mine = coverage.evidence[coverage.evidence["action_id"] == action_id]
    if mine.empty:
        return "no measurable target"
    if mine["off_track"].astype(bool).any():
        return "off track"
    if (mine["on_trajectory"] == True).any():  # noqa: E712 (None means not assessed)
        return "on its path"
    return "not assessed yet"


def action_table(
    actions: pd.DataFrame,
    spend: pd.DataFrame,
    coverage: PlanCoverage,
    outcomes: dict[str, str],
    la_code: str,
) -> pd.DataFrame:
    """Every action with its outcome, lead, reported status, what the figures say, spend and
    due date, and a link to the action."""
    if actions.empty:
        return pd.DataFrame()
    totals = spend.groupby("action_id")["amount"].sum() if not spend.empty else pd.Series()
    return pd.DataFrame(
        {
            "Action": actions["title"],
            "Outcome": actions["outcome_code"].map(lambda o: outcomes.get(o, o)),
            "Lead": actions["lead_partner"],
            "Contributing": actions["contributing_partners"].fillna("").str.replace(";", ", "),
            "Reported status": actions["status"].map(action_status_words),
            "The figures say": [evidence_words(int(a), coverage) for a in actions["action_id"]],
            "Spend (£k)": (actions["action_id"].map(totals).fillna(0) / 1000).round(0),
            "Due": actions["due_date"].astype(str).replace({"None": "", "NaT": ""}),
            "Scope": actions["scope"].map(lambda s: SCOPE_WORDS.get(s, s)),
            "Action page": [plan_link(la_code, action=int(a)) for a in actions["action_id"]],
        }
    )


def action_filters(table: pd.DataFrame) -> dict[str, list[str]]:
    """The choices of each filter of the action list: outcome, partner (lead or contributing,
    so each partner can see its part), reported status and what the figures say."""
    partners = set(table["Lead"]) | {
        p for listed in table["Contributing"] for p in listed.split(", ") if p
    }
    return {
        "Outcome": list(dict.fromkeys(table["Outcome"])),
        "Partner": sorted(partners),
        "Reported status": [
            s for s in ACTION_STATUS_WORDS.values() if s in set(table["Reported status"])
        ],
        "The figures say": sorted(set(table["The figures say"])),
    }


def filter_actions(table: pd.DataFrame, chosen: dict[str, list[str]]) -> pd.DataFrame:
    """The actions matching every filter with a choice (any of its choices)."""
    keep = pd.Series(True, index=table.index)
    for name, values in chosen.items():
        if not values:
            continue
        if name == "Partner":
            wanted = set(values)
            roles = (table["Lead"] + ", " + table["Contributing"]).str.split(", ")
            keep &= ~roles.map(wanted.isdisjoint).astype(bool)
        else:
            keep &= table[name].isin(values)
    return table[keep]


def spend_frame(
    actions: pd.DataFrame, spend: pd.DataFrame, outcomes: dict[str, str]
) -> pd.DataFrame:
    """Spend by partner and outcome (titles), the shape the spend chart takes."""
    cells = spend_cells(actions, spend)
    # Outcomes in the order of the Children Act 2004, as the matrix's columns.
    cells = cells.iloc[cells["outcome_code"].map(OUTCOMES.index).argsort(kind="stable")]
    return pd.DataFrame(
        {
            "partner": cells["partner"],
            "outcome": cells["outcome_code"].map(lambda o: outcomes.get(o, o)),
            "amount": cells["amount"].astype(float),
        }
    )


# --- the page's words and order -------------------------------------------------------------

#: The Plan page's panels, in the order they open when no link chose one.
PANELS = (
    "At a glance",
    "Gaps with no action",
    "Actions off track by the figures",
    "Gaps and the actions on them",
    "Turn the curve",
    "Actions",
    "Who spends what",
)
ACTION_PANEL = "Action"
FILES_PANEL = "Plan file"


def outcome_titles(coverage: PlanCoverage) -> dict[str, str]:
    """Outcome code -> title, in the order of the Children Act 2004."""
    by_outcome = coverage.by_outcome
    return dict(zip(by_outcome["outcome_code"], by_outcome["outcome"], strict=False))


def chosen_action(requested: str | None, actions: pd.DataFrame) -> int | None:
    """The action a link asks for (``?action=12``) when it is one of the plan's, else None."""
    if not requested or not requested.isdigit():
        return None
    action_id = int(requested)
    return action_id if action_id in set(actions["action_id"]) else None


def panel_order(action: int | None, gap: str | None, presenting: bool) -> list[str]:
    """The panels to draw, in order: an action chosen by a link first, else a gap asked for
    first (its turn-the-curve picture); the plan file last, and not on the meeting-room
    screen."""
    panels = list(PANELS)
    if action is not None:
        panels.insert(0, ACTION_PANEL)
    elif gap:
        panels.insert(0, panels.pop(panels.index("Turn the curve")))
    if not presenting:
        panels.append(FILES_PANEL)
    return panels


def no_plan_words(latest: dict | None, period: str) -> str:
    """Why the page shows no plan, and how to add one."""
    said = (
        f"No plan of this authority was in force in {period}; its latest is "
        f"{escape_markdown(latest['title'])} ({latest['start_date']:%b %Y} to "
        f"{latest['end_date']:%b %Y})."
        if latest
        else f"No plan of this authority was in force in {period}: the store holds none for it."
    )
    return (
        said + " Start from this area's gaps, or download the empty template, fill it in and "
        "import it below (or with `python -m ecm plan import FILE --la CODE`)."
    )


#: The label of the download that starts a plan from the area's gaps.
PLAN_START_LABEL = "Start a plan from this area's gaps (.xlsx)"


def plan_start_words(period: str) -> str:
    """What the workbook that starts a plan from the area's gaps holds, and what is left to
    do before it imports (:func:`ecm.plan.io.draft.draft_rows`)."""
    return (
        f"The plan template, pre-filled as a draft: one action, not started, for each gap of "
        f"{period} that is significant or widening with the focus group worse off (where there "
        "is none, the widest gaps), each with its indicator, pupil group and the gap's size and "
        "interval as the baseline. Withheld figures are left out. Add each action's lead "
        "partner, dates and target gap, then import it."
    )


def plan_start_file_name(la_code: str, period: str) -> str:
    """The file name of the draft plan started from an area's gaps of ``period``."""
    return f"{la_code}-draft-plan-from-{period.replace('/', '-')}-gaps.xlsx"


def plan_caption(plan: dict, period: str) -> str:
    """The plan's title, status and dates, and the year of the gaps it is set against."""
    return (
        f"{escape_markdown(plan['title'])} · {escape_markdown(plan['status'])} · "
        f"{plan['start_date']:%d %b %Y} to "
        f"{plan['end_date']:%d %b %Y} · gaps as of {period}"
    )


def uncovered_words(table: pd.DataFrame) -> str:
    """The sentence above the table of gaps with no action (:func:`uncovered_table`)."""
    return (
        f"**{len(table)}** gaps are significant (the focus group worse off) or widening, and "
        "**no action in the plan targets them**. Widest first."
    )


def off_track_words(table: pd.DataFrame) -> str:
    """The sentence above the table of actions off track (:func:`off_track_table`): how many,
    and how many of them their leads report on track or complete."""
    on_track = [action_status_words(s) for s in ("on_track", "complete")]
    reported = int(table["Reported status"].isin(on_track).sum())
    off = table["Action"].nunique()
    whose = "its target is" if off == 1 else "their target is"
    return (
        f"**{off}** {'action is' if off == 1 else 'actions are'} off track by the figures: "
        f"{whose} widening or getting worse, or significantly behind the straight path from "
        f"baseline to target. **{reported}** of them "
        f"{'is' if reported == 1 else 'are'} reported on track or complete."
    )


def spend_words(spend: pd.DataFrame) -> str:
    """The caption of the spend chart: the financial years it covers."""
    years = sorted(spend["financial_year"].unique())
    return (
        f"Spend of every partner on the plan's actions, by the action's outcome, all "
        f"financial years ({years[0]} to {years[-1]})."
    )


def idle_partners_words(coverage: PlanCoverage) -> str | None:
    """The partners with no part in any action, in a sentence (None when every partner has
    one). Partner names are escaped: they are data, not Markdown."""
    missing = coverage.partners_without_actions
    if missing.empty:
        return None
    names = ", ".join(escape_markdown(name) for name in missing["name"])
    return f"**Partners with no part in any action:** {names}."
