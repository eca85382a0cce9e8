"""The region overview's results as people read them: heat-map cells, rank tables, map cells
and the priorities brief in words. Pure functions; the region page only lays them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecm import units
from ecm.catalogue import group_title
from ecm.charts import QUARTERS, cell_text, map_geometry
from ecm.stats.direction import GAP_NARROWING, GAP_WIDENING, NO_CLEAR_CHANGE
from ecm.store.models import action_status_words
from ecm.views.markdown import escape_markdown as _md

#: A region's authority with no figure for the mapped indicator: its own category, in a grey
#: darker than the pale "other region", so a gap in the data does not pass for another region.
NO_FIGURE = units.NO_FIGURE
HEX_COLOURS = {NO_FIGURE: "#C9C9C9"}


def outcome_choices(cells: pd.DataFrame, act_order: list[str]) -> list[str]:
    """The outcomes the region's figures fall under, in the Act's order."""
    present = set(cells["outcome"].dropna())
    return [o for o in act_order if o in present]


def map_choices(cells: pd.DataFrame, outcome: str) -> tuple[dict[str, str], str | None]:
    """The outcome's indicators for the map (code -> title, catalogue order) and the one to
    open on: the indicator with the most authorities tested against England (then ranked), so
    the map opens on colours that mean something rather than on context figures."""
    mine = cells[cells["outcome"] == outcome]
    titles = dict(zip(mine["indicator"], mine["title"], strict=False))
    # Tested comparisons count first, untested quarters next, as a tie-break.
    tested = mine["comparison"].isin(["better", "similar", "worse"])
    ranked = mine["comparison"].isin(QUARTERS)
    counts = (tested * len(mine) + ranked).groupby(mine["indicator"]).sum()
    # max() keeps the first of equals: ties go to the catalogue's order.
    return titles, max(titles, key=lambda c: counts.get(c, 0), default=None)


def gap_trend_groups(gap_counts: pd.DataFrame, groups: pd.DataFrame) -> dict[str, str]:
    """The focus groups (code -> title, in the catalogue's order) with a gap in at least one
    of the region's authorities."""
    present = set(gap_counts.get("focus_group", []))
    return {code: title for code, title in zip(groups["code"], groups["title"], strict=True)
            if code in present}  # fmt: skip


def gap_trend_choices(
    gap_counts: pd.DataFrame, titles: dict[str, str], focus_group: str
) -> dict[str, str]:
    """Indicators with the focus group's gap in at least one of the region's authorities
    (code -> title), those with the most authorities first."""
    mine = gap_counts[gap_counts["focus_group"] == focus_group].sort_values(
        "authorities", ascending=False, kind="stable"
    )
    return {code: titles.get(code, code) for code in mine["indicator"]}


def heat_cells(cells: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """One heat-map cell per LA and indicator: row (LA), column (indicator), comparison with
    England, the value as text and its 95% interval in words (``detail``)."""
    chosen = cells if outcome is None else cells[cells["outcome"] == outcome]
    return pd.DataFrame(
        {
            "row": chosen["la_name"],
            "column": chosen["title"],
            "comparison": chosen["comparison"],
            "text": _numbers(chosen),
            "detail": [
                cell_detail(lo, hi, c, r, n)
                for lo, hi, c, r, n in zip(
                    chosen["lower"],
                    chosen["upper"],
                    chosen["comparison"],
                    chosen["rank"],
                    chosen["of"],
                    strict=True,
                )
            ],  # fmt: skip
        }
    ).reset_index(drop=True)


#: The most authorities a heat map shows at once on a projector: 24 px rows of them fit under
#: the header at 768 lines (a region such as London is shown in parts).
PRESENTED_HEAT_ROWS = 20


def heat_parts(cells: pd.DataFrame, most: int = PRESENTED_HEAT_ROWS) -> dict[str, pd.DataFrame]:
    """``cells`` (:func:`heat_cells`) in the fewest parts of about equal size with at most
    ``most`` rows each, in row order, each named by its first and last row ("Barnet to
    Hackney"); one part, named "", when all fit."""
    rows = list(dict.fromkeys(cells["row"]))
    count = max(1, -(-len(rows) // most))
    if count == 1:
        return {"": cells}
    size = -(-len(rows) // count)
    parts = [rows[start : start + size] for start in range(0, len(rows), size)]
    return {f"{part[0]} to {part[-1]}": cells[cells["row"].isin(part)] for part in parts}


def _numbers(cells: pd.DataFrame) -> list[str]:
    """Each cell's figure as every screen writes it (:func:`ecm.units.number`): its published
    precision, "withheld" or "no figure" where it has none."""
    unit = cells["unit"] if "unit" in cells else pd.Series(None, index=cells.index)
    marker = cells["marker"] if "marker" in cells else pd.Series(None, index=cells.index)
    return [
        units.number(v, u, m, i)
        for v, u, m, i in zip(cells["value"], unit, marker, cells["indicator"], strict=True)
    ]


def cell_detail(lower: float, upper: float, comparison: str, rank: float, of: float) -> str:
    """What a heat-map cell's comparison rests on, in words: its 95% interval, its publisher's
    test, or (untested) its rank among all authorities."""
    if pd.notna(lower) and pd.notna(upper):
        return f"95% interval {units.interval(lower, upper)}"
    if comparison in QUARTERS:
        return f"no interval; rank {int(rank)} of {int(of)} authorities with a figure (untested)"
    if comparison != "not compared":
        return "no interval; compared with England by its publisher"
    return "no interval"


def rank_table(cells: pd.DataFrame, outcome: str | None = None) -> pd.DataFrame:
    """LAs by indicators: each figure with its rank among all LAs and its quartile band."""
    chosen = cells if outcome is None else cells[cells["outcome"] == outcome]
    shown = [
        v + (f" · {int(r)} of {int(n)} ({b})" if pd.notna(r) else "")
        for v, r, n, b in zip(
            _numbers(chosen), chosen["rank"], chosen["of"], chosen["band"], strict=True
        )
    ]
    wide = chosen.assign(shown=shown).pivot_table(
        index="la_name", columns="title", values="shown", aggfunc="first"
    )
    return wide.fillna("").reset_index().rename(columns={"la_name": "Local authority"})


def region_hexes(
    cells: pd.DataFrame, indicator: str, las: pd.DataFrame, region_code: str | None = None
) -> tuple[pd.DataFrame, str]:
    """Hex-map cells of every LA for one indicator, coloured by comparison with England; the
    region's LAs without a figure are "no figure" (not drawn as if outside it), LAs outside the
    region "other region". Real hexes for real data, a generated layout for the demo."""
    hexes, layout = map_geometry.hexes_for(las)
    mine = cells[cells["indicator"] == indicator].set_index("la_code")
    comparison = mine["comparison"].reindex(hexes["code"])
    value = pd.Series(_numbers(mine), index=mine.index, dtype=object).reindex(hexes["code"])
    inside = set(cells["la_code"]) | set(las.loc[las["region_code"] == region_code, "code"])
    outside = np.where(hexes["code"].isin(inside), NO_FIGURE, "other region")
    return (
        hexes.assign(
            category=comparison.fillna(pd.Series(outside, index=comparison.index)).to_numpy(),
            text=[
                cell_text(c, v)
                if pd.notna(v)
                else (NO_FIGURE if code in inside else "not in this region")
                for c, v, code in zip(comparison, value, hexes["code"], strict=True)
            ],
        ),
        layout,
    )


@dataclass(frozen=True)
class BriefSection:
    """One part of a priorities brief: its heading, its items (a name and what is said of it,
    both plain text) and what it says when it has none."""

    heading: str
    items: list[tuple[str, str]]
    empty: str


def brief_sections(brief: dict, period: str) -> list[BriefSection]:
    """The priorities-meeting brief of one LA in parts, as plain text (the page writes it as
    markdown, :func:`brief_markdown`; the briefs' PDF as it is)."""
    concerns = [
        (c["title"], f"{units.figure(c['value'], c.get('unit'))} against England's "
         f"{units.figure(c['england'], c.get('unit'))}"
         + (", and getting worse" if c["trend"] == "getting worse" else ""))
        for c in brief["concerns"]
    ]  # fmt: skip
    lagging = [
        (c["title"], f"{units.figure(c['value'], c.get('unit'))}, "
         f"rank {int(c['rank'])} of {int(c['of'])}")
        for c in brief.get("worst_quarter_worsening", [])
    ]  # fmt: skip
    better = [
        (i["title"], f"({units.figure(i['value'], i.get('unit'))}), {i['comparison']} than England"
         if i["comparison"] in ("better", "worse")
         else f"({units.figure(i['value'], i.get('unit'))})")
        for i in brief["improvements"]
    ]  # fmt: skip
    gaps = [
        (g["title"],
         f"{group_title(g['focus_group'])}, gap {units.gap_text(g['gap'], g.get('unit'))}")
        for g in brief["uncovered_gaps"]
    ]  # fmt: skip
    actions = [
        (a["title"], f"({action_status_words(a['status'])}; lead: {a['lead_partner']})")
        for a in brief["off_track_actions"]
    ]
    if not brief.get("significant_gaps"):
        no_gaps = "No gap is significant this year."
    else:
        no_gaps = "Every significant gap has an action."
    if not brief.get("has_plan", True):
        gaps.insert(0, ("", f"No plan was in force in {period}, so no gap is covered."))
    return [
        BriefSection("Top concerns (worse than England, getting worse first)", concerns,
                     "None: no figure is significantly worse than England."),
        BriefSection("In the worst quarter of authorities and worsening (no test possible: "
                     "figures without counts; rank among all authorities, direction over recent "
                     "years)", lagging, "None."),
        BriefSection("Getting better", better, "No figure is significantly improving."),
        BriefSection("Significant gaps with no plan action", gaps, no_gaps),
        BriefSection("Plan actions off track or at risk", actions, "None reported."),
    ]  # fmt: skip


def brief_item(name: str, detail: str, bold: Callable[[str], str] = str) -> str:
    """One item of a brief as text: "Children in poverty: 28.8% against England's 20.7%", or
    "Take-up of school lunches (49.5%), better than England"; ``bold`` writes the name."""
    if not name:
        return detail
    return f"{bold(name)}{' ' if detail.startswith('(') else ': '}{detail}"


def brief_title(brief: dict, period: str) -> str:
    """A brief's title: "Osierholt: priorities brief, 2009/10"."""
    return f"{brief['la_name']}: priorities brief, {period}"


def brief_markdown(brief: dict, period: str) -> str:
    """The priorities-meeting brief of one LA as markdown."""

    def item(name: str, detail: str) -> str:
        return "- " + brief_item(_md(name), _md(detail), bold=lambda text: f"**{text}**")

    parts = [f"#### {_md(brief_title(brief, period))}"]
    for section in brief_sections(brief, period):
        heading, _, aside = section.heading.partition(" (")
        parts.append(f"**{heading}**" + (f" ({aside}" if aside else ""))
        lines = [item(name, detail) for name, detail in section.items]
        parts.append("\n".join(lines) if lines else f"- {section.empty}")
    return "\n\n".join(parts)


def worse_and_worsening(cells: pd.DataFrame) -> pd.DataFrame:
    """Every LA figure worse than England and getting worse: authority, indicator, value,
    England, national rank."""
    rows = cells[(cells["comparison"] == "worse") & (cells["trend"] == "getting worse")]
    return _concern_table(rows)


def _concern_table(rows: pd.DataFrame) -> pd.DataFrame:
    """LA figures of concern as a table: authority, outcome, indicator, value, England, rank."""
    return pd.DataFrame(
        {
            "Local authority": rows["la_name"],
            "Outcome": rows["outcome"],
            "Indicator": rows["title"],
            "Value": units.rounded(rows["value"], rows.get("unit")),
            "England": units.rounded(rows["england"], rows.get("unit")),
            "Rank": [
                f"{int(r)} of {int(n)}" if pd.notna(r) else ""
                for r, n in zip(rows["rank"], rows["of"], strict=True)
            ],
        }
    ).reset_index(drop=True)


#: The second tier's heading, what it says in a sentence, and how it was judged.
SECOND_TIER = "Second tier, untested: in the worst quarter of authorities and worsening"
SECOND_TIER_WORDS = "in the worst quarter of all authorities and worsening (untested)"
SECOND_TIER_NOTE = (
    "Figures published without counts or intervals cannot be tested against England. These "
    "are ranked instead: the worst quarter of the authorities with a figure (LAIT's band D), and "
    "worsening by their direction of travel over up to five recent years (rule in "
    "METHODOLOGY). Neither is a significance test."
)


def worst_quarter_and_worsening(cells: pd.DataFrame) -> pd.DataFrame:
    """The second, untested tier: LA figures that cannot be tested against England (no counts
    or interval) and sit in the worst quarter of all authorities while their direction of
    travel is worsening. Authority, indicator, value, England, national rank."""
    rows = cells[(cells["comparison"] == "worst quarter") & (cells["trend"] == "worsening")]
    return _concern_table(rows)


def gap_trend_sentence(authorities: pd.DataFrame, noun: str) -> str:
    """How many authorities' gaps are widening, of those whose trend could be tested, and how
    many more widen by their untested direction of travel, as markdown; ``noun`` is the focus
    group as it reads in a sentence."""
    noun = _md(noun)
    trends = authorities["trend"]
    tested = int(trends.isin(["widening", "narrowing", "no significant change"]).sum())
    directed = int(trends.isin([GAP_WIDENING, GAP_NARROWING, NO_CLEAR_CHANGE]).sum())
    too_few = len(trends) - tested - directed
    untested = (
        f" By direction of travel (untested: figures without counts or intervals), it widens in "
        f"**{int((trends == GAP_WIDENING).sum())}** of {directed} more."
        if directed
        else ""
    )
    few = f" {too_few} have too few figures for either." if too_few else ""
    if tested == 0:
        return (
            f"No authority's gap between {noun} and their peers can be tested for a trend: "
            "the figures come without counts or intervals, or cover too few years." + untested + few
        )
    widening = int((trends == "widening").sum())
    return (
        f"The gap between {noun} and their peers is **widening in {widening}** of the {tested} "
        "authorities whose trend could be tested (Fingertips trend method, 99.8%)." + untested + few
    )


def gap_trend_table(authorities: pd.DataFrame, periods: list[str], unit: str) -> pd.DataFrame:
    """Each authority's gap by year as people read it, widening first: the latest year's 95%
    interval and the trend in words (with a symbol, so it never rests on colour)."""
    if authorities.empty:
        return pd.DataFrame()
    marks = {
        "widening": "▲ widening",
        "narrowing": "▼ narrowing",
        GAP_WIDENING: "△ widening (untested)",
        GAP_NARROWING: "▽ narrowing (untested)",
        NO_CLEAR_CHANGE: "no clear change (untested)",
    }
    shown = [p for p in periods if p in authorities.columns]
    table = pd.DataFrame({"Local authority": authorities["la_name"]})
    for period in shown:
        table[period] = [units.number(v, unit) for v in authorities[period]]
    table["Latest 95% interval"] = [
        units.interval(lo, hi, unit)
        for lo, hi in zip(authorities["lower"], authorities["upper"], strict=True)
    ]
    table["Trend of the gap"] = [marks.get(t, t) for t in authorities["trend"]]
    table["Link"] = [f"/area?la={code}" for code in authorities["la_code"]]
    return table.rename(columns={p: f"{p} ({unit})" if unit else p for p in shown})


def region_caption(cells: pd.DataFrame, period: str) -> str:
    """The line under the region's name: how many authorities it has figures for, and the
    year."""
    return f"Region · {cells['la_code'].nunique()} local authorities · {period}"


def worse_and_worsening_words(
    table: pd.DataFrame, cells: pd.DataFrame, what: str = "worse than England and getting worse"
) -> str:
    """The sentence above :func:`worse_and_worsening` (or the second tier, with its ``what``):
    how many authorities, of how many, and how many figures in all."""
    return (
        f"**{table['Local authority'].nunique()}** of {cells['la_code'].nunique()} authorities "
        f"have figures {what} ({len(table)} in all)."
    )


def brief_choices(briefs: dict[str, dict]) -> dict[str, str]:
    """The authorities with a brief, LA code -> name, in the order of their names."""
    ordered = sorted(briefs.items(), key=lambda item: item[1]["la_name"])
    return {code: brief["la_name"] for code, brief in ordered}
