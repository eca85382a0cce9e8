"""The area overview's results as people read them: tiles in words and symbols, and tables
with plain column names. Pure functions; the area page only lays them out."""

from __future__ import annotations

import pandas as pd

from ecm import units
from ecm.catalogue import comparator_phrase, group_title
from ecm.charts import QUARTERS, TEXT_SYMBOLS
from ecm.places.explorer import GapExploration
from ecm.places.overview import BAND_SUFFIX
from ecm.stats.direction import GAP_WIDENING
from ecm.store.models import action_status_words
from ecm.units import gap_unit
from ecm.views.gaps import place_link
from ecm.views.markdown import escape_markdown
from ecm.views.missing import NO_RED_REDS
from ecm.views.profile_tables import (
    COMPARISON_LABELS,
    significance_word,
    trend_label,
)


def tile_lines(tiles: pd.DataFrame) -> list[str]:
    """One markdown block per outcome: counts better / similar / worse than England (tested),
    the untested ones by their quarter among all authorities (LAIT's bands A-D), and how many
    are getting better or worse (tested) or improving or worsening (untested direction of
    travel). :data:`TILE_KEY` says what the symbols mean."""
    lines = []
    for t in tiles.to_dict("records"):
        tested = f"▲ {t['better']} better · ● {t['similar']} similar · ▼ {t['worse']} worse"
        for word in ("higher", "lower", "not compared"):  # context measures, then the rest
            if t.get(word):
                tested += f" · {TEXT_SYMBOLS[word]} {t[word]} {word}"
        quarters = " · ".join(f"{TEXT_SYMBOLS[q]} {t[q]}" for q in QUARTERS)
        ranked = f"  \nUntested, by quarter: {quarters}" if any(t[q] for q in QUARTERS) else ""
        trends = f"↗ {t['getting better']} getting better · ↘ {t['getting worse']} getting worse"
        if t["improving"] or t["worsening"]:
            trends += f"  \nUntested: {t['improving']} improving · {t['worsening']} worsening"
        lines.append(f"**{t['outcome']}**  \n{tested}{ranked}  \n{trends}")
    return lines


#: What the tiles' symbols and words mean, under the tiles.
TILE_KEY = (
    "▲ better, ● similar, ▼ worse than England at 95% confidence (the figure's interval, or its "
    "publisher's test); ◆ not compared. Figures that cannot be tested are counted by their "
    "quarter among all authorities (untested, LAIT's bands): A best quarter, B second, C third, "
    "D worst. Trends over up to five years: getting better or worse by the Fingertips test; "
    "improving or worsening by direction of travel where no test can be made (untested)."
)


def league_table(league: pd.DataFrame, la_code: str) -> pd.DataFrame:
    """The gap league with words: indicator, gap between groups, size, unit, interval, significant,
    trend, whether the plan acts on it, its actions and a link to its turn-the-curve picture
    on the Plan page."""
    if league.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Indicator": league["title"],
            "Gap": [
                f"{group_title(f)} vs {comparator_phrase(c)}"
                for f, c in zip(league["focus_group"], league["comparator_group"], strict=True)
            ],
            "Size": units.rounded(league["gap"]),
            "Unit": [gap_unit(u) for u in league["unit"]],
            "95% interval": [
                units.interval(lo, hi)
                for lo, hi in zip(league["lower"], league["upper"], strict=True)
            ],
            "Significant": [
                significance_word(s, lo, hi)
                for s, lo, hi in zip(
                    league["significant"], league["lower"], league["upper"], strict=True
                )
            ],
            "Trend": league["trend"],
            "Plan action": league["covered"].map({True: "yes", False: "none"}),
            "Actions": [
                "; ".join(f"{a['title']} ({action_status_words(a['status'])})" for a in actions)
                for actions in league["actions"]
            ],
            "Turn the curve": [
                f"/plan?la={la_code}&gap={i}:{g}"
                for i, g in zip(league["indicator"], league["focus_group"], strict=True)
            ],
        }
    )


def league_summary(league: pd.DataFrame, plan: dict | None, period: str) -> str:
    """How many gaps the league holds (tested, then widening by their untested direction of
    travel) and how many have no action in ``plan`` (the plan in force in ``period``, None
    when none was), in words."""
    uncovered = int((~league["covered"].astype(bool)).sum())
    untested = int(((league["trend"] == GAP_WIDENING) & ~league["significant"].astype(bool)).sum())
    whose = (
        f"Plan actions are those of the plan in force that year: {escape_markdown(plan['title'])}."
        if plan is not None
        else f"No plan was in force in {period}, so no gap is covered."
    )
    more = (
        f" (the last **{untested}** have no interval and widen only by their direction of travel, "
        "untested)"
        if untested
        else ""
    )
    return (
        f"**{len(league)}** gaps are significant or widening{more}; **{uncovered}** have **no "
        f"plan action**. Widest and widening first. {whose}"
    )


def school_rows(schools: pd.DataFrame, phase: str = "", search: str = "") -> pd.DataFrame:
    """The schools table, only the ``phase`` asked for (all when empty) and the schools whose
    name or URN contains ``search``, without indicators none of them has; with a link to each
    school's page."""
    if schools.empty:
        return schools
    shown = schools
    if phase:
        shown = shown[shown["Phase"] == phase]
    if search.strip():
        words = search.strip().lower()
        shown = shown[
            shown["School"].str.lower().str.contains(words, regex=False)
            | shown["URN"].astype(str).str.contains(words, regex=False)
        ]
    bands = [c for c in shown.columns if c.endswith(BAND_SUFFIX)]
    empty = [
        column
        for band in bands
        for column in (band.removesuffix(BAND_SUFFIX), band)
        if shown[band].eq("").all() and shown[band.removesuffix(BAND_SUFFIX)].isna().all()
    ]
    shown = shown.drop(columns=empty)
    return shown.assign(**{"School page": [place_link("school", u) for u in shown["URN"]]})


def school_phases(schools: pd.DataFrame) -> list[str]:
    """The phases of the LA's schools, for the table's filter."""
    return sorted(schools["Phase"].dropna().unique()) if "Phase" in schools else []


def concern_tables(
    red_reds: pd.DataFrame, worst_quarter: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str, str]]:
    """The area's figures of concern: heading, table, sentence when empty and file key, for
    the tested red-reds and then the untested worst quarter of all authorities."""
    lagging = pd.DataFrame()
    if not worst_quarter.empty:
        lagging = pd.DataFrame(
            {
                "Indicator": worst_quarter["title"],
                "Value": units.rounded(worst_quarter["value"]),
                "Rank (1 = best)": [
                    f"{int(r)} of {int(n)}" if pd.notna(r) else ""
                    for r, n in zip(worst_quarter["rank"], worst_quarter["of"], strict=True)
                ],
                "Trend": worst_quarter["trend"].map(trend_label),
            }
        )
    return [
        ("", red_red_table(red_reds), NO_RED_REDS, "red-reds"),
        ("In the worst quarter of all authorities (untested: figures without counts, ranked)",
         lagging, "No untested figure is in the worst quarter of all authorities.",
         "worst-quarter"),
    ]  # fmt: skip


def red_red_table(red_reds: pd.DataFrame) -> pd.DataFrame:
    """Figures worse than England and getting worse."""
    if red_reds.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Indicator": red_reds["title"],
            "Group": red_reds["group"].map(group_title),
            "Value": units.rounded(red_reds["value"]),
            "Trend": red_reds["trend"],
        }
    )


def neighbour_table(neighbours: pd.DataFrame) -> pd.DataFrame:
    """All-pupil figures beside the statistical neighbours' average and England, with the
    comparison in words and symbols, and the figure's rank among itself and its neighbours
    (1 = best; untested, as LAIT places an LA in its neighbour group)."""
    if neighbours.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Indicator": neighbours["title"],
            "Value": units.rounded(neighbours["value"]),
            "Neighbours (average)": units.rounded(neighbours["neighbours"]),
            "vs neighbours": neighbours["vs_neighbours"].map(COMPARISON_LABELS),
            "Rank with neighbours": [
                f"{int(r)} of {int(n)}" if pd.notna(r) else ""
                for r, n in zip(
                    neighbours["neighbour_rank"], neighbours["neighbour_of"], strict=True
                )
            ],  # fmt: skip
            "England": units.rounded(neighbours["england"]),
            "vs England, else quarter among LAs": neighbours["vs_england"].map(COMPARISON_LABELS),
        }
    )


def school_funnel(funnel: GapExploration | None) -> tuple[pd.DataFrame, str, str] | None:
    """The funnel's points (label, size, value, position) and axis titles, or None."""
    if funnel is None or funnel.limits.empty:
        return None
    plotted = funnel.gaps.dropna(subset=["gap", "size"])
    if plotted.empty:
        return None
    points = pd.DataFrame(
        {
            "label": plotted["name"].fillna(plotted["area_code"]),
            "size": plotted["size"],
            "value": units.rounded(plotted["gap"], funnel.indicator["unit"]),
            "position": plotted["position"],
        }
    )
    unit = gap_unit(funnel.indicator["unit"])
    y_title = (
        f"{funnel.indicator['title']}: disadvantaged pupils' gap ({unit}; positive = worse off)"
    )
    return points, y_title, "Number of disadvantaged pupils"
