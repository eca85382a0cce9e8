"""The area (LA) and region overviews: what a Children's Trust Board and a Government Office
team ask first, computed from the same figures, comparisons, trends and gaps as the profiles.

Pure analysis on top of ``ecm.places.profile`` (one place's whole profile), ``ecm.places.explorer``
(school gaps in a funnel) and ``ecm.figures.many_places`` (figures after disclosure control). Pages
only lay these results out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ecm.catalogue import series_breaks
from ecm.figures import many_places, queries
from ecm.figures.plans import (
    load_plan,
    mark_covered,
    off_track_actions_of_plans,
    plan_targets_of_plans,
    plans_in_force,
)
from ecm.periods import default_period, period_aliases, period_start
from ecm.places.explorer import GapExploration, explore_gaps
from ecm.places.profile import band_from_quartiles, profile_and_peers, with_intervals
from ecm.stats.benchmarks import (
    BETTER,
    HIGHER,
    LOWER,
    NOT_COMPARED,
    QUARTER_WORDS,
    SIMILAR,
    WORSE,
    WORST_QUARTER,
    compare,
    quartile_band,
    rank_best_first,
    standing,
)
from ecm.stats.breaks import since_latest_break
from ecm.stats.direction import (
    GAP_WIDENING,
    IMPROVING,
    WORSENING,
    direction_of_travel,
    trend_column,
)
from ecm.stats.gaps import compute_gaps, gap_order
from ecm.stats.trends import compute_trends, tested_on_counts

#: How a figure stands against England: tested words, then quarters among the places ranked.
STANDINGS = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, *QUARTER_WORDS.values(), NOT_COMPARED)
#: Trends counted on the tiles: tested, then the untested direction of travel.
TREND_COUNTS = ("getting better", "getting worse", IMPROVING, WORSENING)
#: Gaps a Board sees first: significant and widening, then significant, then widening (all
#: tested), then widening by their direction of travel (untested).
LEAGUE_ORDER = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}


@dataclass
class AreaOverview:
    """Everything the area page shows for one LA and period."""

    profile: dict
    tiles: pd.DataFrame  # outcome, counts of each of STANDINGS and TREND_COUNTS
    league: pd.DataFrame  # significant or widening gaps, with plan coverage
    red_reds: pd.DataFrame
    neighbours: pd.DataFrame  # indicator, value, neighbours' average, England, comparison
    schools: pd.DataFrame
    funnel: GapExploration | None = None
    headline: str | None = None  # the indicator of the funnel
    plan: dict | None = None  # the plan in force in the period, whose actions cover the gaps
    #: The spine chart's rows: the LA's all-pupil figures against all LAs' spread and England
    spine: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: All-pupil figures that cannot be tested, in the worst quarter of all LAs (untested)
    worst_quarter: pd.DataFrame = field(default_factory=pd.DataFrame)


def area_overview(engine: Engine, la_code: str, period: str | None = None) -> AreaOverview:
    """The overview of one LA (ONS code or DfE number) for ``period`` (default: latest)."""
    # Every LA's figures of the year are read once: the profile ranks the LA among them and
    # the spine chart draws their spread.
    profile, peers = profile_and_peers(engine, "la", la_code, period)
    observations = pd.DataFrame(profile["observations"])
    gaps = pd.DataFrame(profile["gaps"])
    if not gaps.empty:
        # The profile says None for a gap with no interval (not tested); the league sorts and
        # filters on "found significant", and words a gap's test from its interval.
        gaps["significant"] = gaps["significant"].eq(True)
    code = profile["geography"]["code"]
    catalogue = queries.load_indicators(engine)
    school_level = set(catalogue.loc[catalogue["levels"].str.contains("school"), "code"])
    headline = _headline_indicator(observations, gaps, school_level)
    funnel = (
        explore_gaps(engine, headline, "disadvantaged", "school", profile["period"], ("la", code))
        if headline and profile["period"]
        else None
    )
    return AreaOverview(
        profile=profile,
        tiles=outcome_tiles(observations),
        league=gap_league(gaps, observations),
        red_reds=_red_reds(observations),
        neighbours=_neighbour_table(observations),
        schools=school_table(engine, code, profile["period"])
        if profile["period"]
        else pd.DataFrame(),
        funnel=funnel,
        headline=headline,
        plan=load_plan(engine, code, profile["period"]) if profile["period"] else None,
        spine=spine_rows(observations, many_places.la_distribution(peers)),
        worst_quarter=_worst_quarter(observations),
    )


def outcome_tiles(observations: pd.DataFrame) -> pd.DataFrame:
    """Per outcome: how many all-pupil indicators are better, similar or worse than England
    (tested), how many of the rest sit in each quarter of the places ranked (untested), how
    many are not compared at all; and how many are getting better or worse (tested) or
    improving or worsening (untested direction of travel)."""
    columns = ["outcome", *STANDINGS, *TREND_COUNTS]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    own = observations[observations["group"] == "all"]
    rows = []
    # The profile lists figures in the catalogue's order: outcomes in the Act's order.
    for outcome, part in own.groupby("outcome", sort=False):
        stands = part["standing"].where(part["standing"].isin(STANDINGS), NOT_COMPARED)
        counts, trends = stands.value_counts(), part["trend"].value_counts()
        rows.append(
            {
                "outcome": outcome,
                **{word: int(counts.get(word, 0)) for word in STANDINGS},
                **{word: int(trends.get(word, 0)) for word in TREND_COUNTS},
            }
        )
    return pd.DataFrame(rows, columns=columns)


def gap_league(gaps: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """The place's own gaps (focus group against comparator group in the same place) that are
    significant or widening (tested), then those widening by their untested direction of
    travel, widest and widening first, each with the plan's actions on it."""
    columns = [
        "indicator", "title", "unit", "focus_group", "comparator_group", "gap", "lower",
        "upper", "significant", "trend", "covered", "actions",
    ]  # fmt: skip
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    own = gaps[(gaps["kind"] == "within") & gaps["gap"].notna()].copy()
    own["widening"] = own["trend"] == "widening"
    # Gaps with no interval cannot be significant or tested for a trend; one widening by its
    # direction of travel still belongs on a Board's list, last and labelled untested.
    untested = own["trend"] == GAP_WIDENING
    # A gap in the focus group's favour is not a concern for the league, however it moves.
    own = own[(own["gap"] > 0) & (own["significant"] | own["widening"] | untested)]
    titles = dict(
        zip(observations.get("indicator", []), observations.get("title", []), strict=False)
    )
    own["title"] = own["indicator"].map(titles).fillna(own["indicator"])
    own["covered"] = own["actions"].map(bool)
    units = dict(zip(observations.get("indicator", []), observations.get("unit", []), strict=False))
    own["unit"] = own["indicator"].map(units)
    # Significant and widening first; then by size, in points for percentages and relative to
    # the comparator otherwise (points and rates per 100,000 are not one scale).
    order = [
        (
            LEAGUE_ORDER[(g["significant"], g["widening"])],
            *gap_order(g, units.get(g["indicator"]))[1:],
        )
        for g in own.to_dict("records")
    ]
    own = own.iloc[sorted(range(len(own)), key=order.__getitem__)]
    return own[columns].reset_index(drop=True)


def _red_reds(observations: pd.DataFrame) -> pd.DataFrame:
    """Figures worse than England and getting worse."""
    if observations.empty:
        return pd.DataFrame(columns=["indicator", "title", "group", "value", "trend"])
    rows = observations[observations["red_red"].astype(bool)]
    return rows[["indicator", "title", "group", "value", "trend"]].reset_index(drop=True)


def _worst_quarter(observations: pd.DataFrame) -> pd.DataFrame:
    """All-pupil figures without a test in the worst quarter of all LAs, worsening first:
    indicator, title, value, rank, of, trend."""
    columns = ["indicator", "title", "value", "rank", "of", "trend"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    rows = observations[
        (observations["group"] == "all") & (observations["standing"] == WORST_QUARTER)
    ]
    rows = rows.assign(
        rank=[r["rank"] if r and "rank" in r else np.nan for r in rows["rank"]],
        of=[r["of"] if r and "of" in r else np.nan for r in rows["rank"]],
        later=rows["trend"] != WORSENING,
    ).sort_values("later", kind="stable")
    return rows[columns].reset_index(drop=True)


def _neighbour_table(observations: pd.DataFrame) -> pd.DataFrame:
    """All-pupil figures beside the statistical neighbours' average and England."""
    columns = [
        "indicator",
        "title",
        "unit",
        "value",
        "neighbours",
        "england",
        "vs_neighbours",
        "vs_england",
        "neighbour_rank",
        "neighbour_of",
    ]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    own = observations[observations["group"] == "all"]
    rows = []
    for o in own.itertuples(index=False):
        values = o.comparator_values or {}
        rows.append(
            {
                "indicator": o.indicator,
                "title": o.title,
                "unit": o.unit,
                "value": o.value,
                "neighbours": values.get("statistical_neighbours"),
                "england": values.get("england"),
                "vs_neighbours": o.benchmarks.get("statistical_neighbours", NOT_COMPARED),
                "vs_england": o.standing,
                "neighbour_rank": o.neighbour_rank,
                "neighbour_of": o.neighbour_of,
            }
        )
    table = pd.DataFrame(rows, columns=columns)
    # Numbers stay numbers where some are missing (an LA with no statistical neighbours
    # loaded yet): missing is NaN, not None, so the views can round the column.
    numbers = ["value", "neighbours", "england", "neighbour_rank", "neighbour_of"]
    table[numbers] = table[numbers].apply(pd.to_numeric, errors="coerce")
    return table


def _headline_indicator(
    observations: pd.DataFrame, gaps: pd.DataFrame, school_level: set[str]
) -> str | None:
    """The indicator for the funnel: among indicators schools report, the one with the widest
    significant disadvantage gap (percentage gaps in points first), else the widest gap."""
    if gaps.empty:
        return None
    candidates = gaps[
        (gaps["focus_group"] == "disadvantaged")
        & (gaps["kind"] == "within")
        & gaps["indicator"].isin(school_level)
        & gaps["gap"].notna()
    ]
    if candidates.empty:
        return None
    units = dict(zip(observations.get("indicator", []), observations.get("unit", []), strict=False))
    ranked = sorted(
        candidates.to_dict("records"), key=lambda g: gap_order(g, units.get(g["indicator"]))
    )
    return str(ranked[0]["indicator"])


#: The schools table's own columns, then two per indicator: its value and its band.
SCHOOL_COLUMNS = {"urn": "URN", "name": "School", "phase": "Phase", "percent_fsm": "% FSM"}
BAND_SUFFIX = ": band"


def school_table(engine: Engine, la_code: str, period: str) -> pd.DataFrame:
    """The LA's schools (URN, School, Phase, % FSM) with their all-pupil figures for the
    period: per indicator a number column (so the table sorts by value) and beside it a band
    column holding the national phase quartile band (A best), ``c`` where the figure is
    withheld (its number column is then empty), the publisher's marker where it published
    none (NE, ...), and blank where the school has none."""
    schools = queries.load_schools(engine, la_code)
    if schools.empty:
        return schools.rename(columns=SCHOOL_COLUMNS)
    own = schools[list(SCHOOL_COLUMNS)].rename(columns=SCHOOL_COLUMNS)
    figures = many_places.load_school_figures_of_la(engine, la_code, period_aliases(period))
    if figures.empty:
        return own
    catalogue = queries.load_indicators(engine).set_index("code")
    figures = figures.merge(schools[["urn", "phase"]], left_on="area_code", right_on="urn")
    quartiles = many_places.load_phase_quartiles(engine, sorted(set(figures["period"])))
    figures = figures.merge(quartiles, on=["indicator_code", "period", "phase"], how="left")
    figures["polarity"] = figures["indicator_code"].map(catalogue["polarity"])
    figures["band"] = band_from_quartiles(figures)
    # Context measures (polarity "neither") have no best quarter.
    figures.loc[~figures["polarity"].isin(["higher_is_better", "lower_is_better"]), "band"] = None
    figures.loc[figures["suppressed"].astype(bool), "band"] = "c"
    # A missing figure the publisher marked (NE, NP, ...) shows its marker in the band column.
    marked = figures["value"].isna() & figures["band"].isna() & figures["marker"].notna()
    figures.loc[marked, "band"] = figures.loc[marked, "marker"]
    # One figure per school and indicator (a year can be stored in two styles, 2018/19 and
    # 2019): its number and band from the same row, the period's own style first.
    figures = figures.sort_values("period", key=lambda p: p != period, kind="stable")
    figures = figures.drop_duplicates(["urn", "indicator_code"])
    grid = figures.pivot(index="urn", columns="indicator_code", values=["value", "band"])
    # Indicators in the catalogue's order, each number beside its band.
    wide = pd.DataFrame(index=schools["urn"])
    for code in (c for c in catalogue.index if c in grid["value"].columns):
        title = catalogue["title"].get(code, code)
        wide[title] = grid["value"][code].astype(float).round(1)
        wide[title + BAND_SUFFIX] = grid["band"][code]
    band_columns = [c for c in wide.columns if c.endswith(BAND_SUFFIX)]
    wide[band_columns] = wide[band_columns].fillna("")
    return own.merge(wide, left_on="URN", right_index=True, how="left")


# --- region -------------------------------------------------------------------------------


@dataclass
class RegionOverview:
    """Everything the region page shows for one region and period."""

    region: dict
    period: str | None
    periods: list[str]
    cells: pd.DataFrame  # la_code, la_name, indicator, title, value, comparison, trend, rank, band
    briefs: dict[str, dict] = field(default_factory=dict)  # LA code -> priorities brief
    #: indicator, focus_group, authorities: how many of the region's LAs have that gap
    gap_counts: pd.DataFrame = field(default_factory=pd.DataFrame)


def _marker_column(figures: pd.DataFrame) -> pd.Series:
    """Each figure's marker: ``c`` where disclosure control withheld it, else the publisher's
    own marker (or none), so a missing figure can say whether it was withheld."""
    marker = (
        figures["marker"].astype(object)
        if "marker" in figures
        else pd.Series(None, index=figures.index, dtype=object)
    )
    if "suppressed" in figures:
        marker = marker.where(~figures["suppressed"].fillna(False).astype(bool), "c")
    return marker


def region_overview(engine: Engine, region_code: str, period: str | None = None) -> RegionOverview:
    """The LAs of a region side by side, each figure compared with England, with trends,
    national ranks and quartile bands, and a priorities brief per LA."""
    region = queries.resolve_area(engine, "region", region_code)
    las = queries.load_local_authorities(engine, region["code"])
    catalogue = queries.load_indicators(engine)
    meta = catalogue.set_index("code")
    figures = many_places.load_la_figures(engine, list(las["code"]))
    national = many_places.load_country_figures(engine, region.get("country_code"))
    academic = (
        sorted({p for p in figures["period"] if "/" in p}, key=period_start)
        if not figures.empty
        else []
    )
    if not academic:
        return RegionOverview(region, None, [], pd.DataFrame())
    period = period if period in academic else default_period(figures)
    aliases = period_aliases(period)
    figures = with_intervals(
        figures[figures["period"].map(period_start) <= period_start(period)], catalogue
    )
    own = figures[figures["group_code"] == "all"]
    # No trend crosses a series break: each series from its latest break on.
    trended = since_latest_break(own, series_breaks(), ["area_code", "indicator_code"])
    trends = compute_trends(
        trended.rename(columns={"lower_ci": "lower", "upper_ci": "upper"}),
        ["area_code", "indicator_code"],
        use_counts=tested_on_counts(trended),
    )
    current = own[own["period"].isin(aliases)].copy()
    england = with_intervals(
        national[(national["group_code"] == "all") & national["period"].isin(aliases)], catalogue
    )
    current = current.merge(
        england[["indicator_code", "period", "value", "value_least", "value_most"]].rename(
            columns={
                "value": "england",
                "value_least": "england_least",
                "value_most": "england_most",
            }
        ),
        on=["indicator_code", "period"],
        how="left",
    )
    # Different from England only if it holds at both ends of every derived numerator.
    current["comparison"] = compare(
        current["value"],
        current["lower_ci"],
        current["upper_ci"],
        current["england"],
        current["polarity"],
        current.get("published_vs_england"),
        widest=(current["widest_lower"], current["widest_upper"]),
        comparator_range=(current["england_least"], current["england_most"]),
    )
    directions = direction_of_travel(trended, ["area_code", "indicator_code"])
    current = current.merge(trends[["area_code", "indicator_code", "trend"]], how="left")
    current = current.merge(directions[["area_code", "indicator_code", "direction"]], how="left")
    current["trend"] = trend_column(current)
    current = _national_ranks(engine, current, aliases)
    # Tested against England where the figure allows; else its quarter among all LAs.
    current["comparison"] = [
        standing(c, b, p)
        for c, b, p in zip(current["comparison"], current["band"], current["polarity"], strict=True)
    ]
    names = las.set_index("code")["name"]
    current["la_name"] = current["area_code"].map(names)
    current["title"] = current["indicator_code"].map(meta["title"])
    current["outcome"] = current["indicator_code"].map(meta["outcome"])
    current["unit"] = current["indicator_code"].map(meta["unit"])
    current["marker"] = _marker_column(current)
    cells = current.rename(
        columns={"area_code": "la_code", "indicator_code": "indicator", "lower_ci": "lower",
                 "upper_ci": "upper"}
    )[
        ["la_code", "la_name", "outcome", "indicator", "title", "period", "value", "lower",
         "upper", "england", "comparison", "trend", "rank", "of", "band", "unit", "marker"]
    ].sort_values(["la_name", "outcome", "indicator"]).reset_index(drop=True)  # fmt: skip
    groups = queries.load_pupil_groups(engine).dropna(subset=["comparator_code"])
    own_gaps = compute_gaps(
        figures[figures["period"].isin(aliases)],
        catalogue,
        dict(zip(groups["code"], groups["comparator_code"], strict=True)),
        kinds=("within",),
    )
    own_gaps["title"] = own_gaps["indicator_code"].map(meta["title"])
    own_gaps["unit"] = own_gaps["indicator_code"].map(meta["unit"])
    briefs = region_briefs(engine, list(las["code"]), cells, own_gaps, period)
    shown_gaps = own_gaps[own_gaps["gap"].notna()]
    gap_counts = (
        shown_gaps.groupby(["indicator_code", "focus_group"])["area_code"]
        .nunique()
        .rename("authorities")
        .reset_index()
        .rename(columns={"indicator_code": "indicator"})
    )
    return RegionOverview(region, period, academic, cells, briefs, gap_counts)


def _national_ranks(engine: Engine, current: pd.DataFrame, aliases: set[str]) -> pd.DataFrame:
    """Rank (1 = best) and quartile band of each LA figure among all LAs of the country."""
    peers = queries.load_peer_figures(engine, "la", sorted(aliases))
    peers = peers[(peers["group_code"] == "all") & peers["value"].notna()]
    current = current.copy()
    current["rank"], current["of"], current["band"] = np.nan, np.nan, None
    for (indicator, period), rows in peers.groupby(["indicator_code", "period"]):
        mine = (current["indicator_code"] == indicator) & (current["period"] == period)
        if not mine.any() or len(rows) < 4:  # a rank among fewer than four says nothing
            continue
        polarity = current.loc[mine, "polarity"].iloc[0]
        if polarity not in ("higher_is_better", "lower_is_better"):
            continue
        values = rows.set_index("area_code")["value"]
        ranks, bands = rank_best_first(values, polarity), quartile_band(values, polarity)
        codes = current.loc[mine, "area_code"]
        current.loc[mine, "rank"] = codes.map(ranks).to_numpy()
        current.loc[mine, "of"] = len(values)
        current.loc[mine, "band"] = codes.map(bands).to_numpy()
    return current


def region_briefs(
    engine: Engine, la_codes: list[str], cells: pd.DataFrame, gaps: pd.DataFrame, period: str
) -> dict[str, dict]:
    """The priorities brief of each LA (:func:`priorities_brief`), with the plans in force in
    ``period``, their targets and their actions reported off track read once for all the LAs
    (three queries, not three per LA)."""
    plans = plans_in_force(engine, la_codes, period)
    plan_ids = [plan["id"] for plan in plans.values() if plan]
    targets = plan_targets_of_plans(engine, plan_ids)
    off_track = off_track_actions_of_plans(engine, plan_ids)
    none = pd.DataFrame(columns=["title", "status", "lead_partner"])
    briefs = {}
    for code in la_codes:
        plan = plans[code]
        briefs[code] = priorities_brief(
            code,
            cells,
            gaps[gaps["area_code"] == code],
            plan,
            targets.get(plan["id"]) if plan else None,
            off_track.get(plan["id"], none) if plan else none,
        )
    return briefs


def priorities_brief(
    la_code: str,
    cells: pd.DataFrame,
    gaps: pd.DataFrame,
    plan: dict | None,
    targets: pd.DataFrame | None,
    off_track: pd.DataFrame,
) -> dict:
    """A one-page brief for a priorities meeting: top concerns (worse than England and getting
    worse, then worse), then untested ones (in the worst quarter of LAs and worsening),
    improvements, significant gaps with no action in ``plan`` (the plan in
    force in the year; None when none was), and that plan's actions reported off track or at
    risk. ``targets`` are the plan's targets (None or empty when it has none) and
    ``off_track`` its actions reported off track (:mod:`ecm.figures.plans`)."""
    mine = cells[cells["la_code"] == la_code]
    worse = mine[mine["comparison"] == WORSE]
    concerns = pd.concat(
        [worse[worse["trend"] == "getting worse"], worse[worse["trend"] != "getting worse"]]
    )
    # The second tier, untested: figures without a test in the worst quarter of all LAs and
    # worsening by their direction of travel.
    lagging = mine[(mine["comparison"] == WORST_QUARTER) & (mine["trend"] == WORSENING)]
    improvements = mine[mine["trend"] == "getting better"]
    worse_off = gaps[gaps["significant"].astype(bool) & (gaps["gap"] > 0)]
    significant = _covered_by_plan(worse_off, targets)
    uncovered = significant[~significant["covered"]]
    return {
        "la_code": la_code,
        "la_name": mine["la_name"].iloc[0] if not mine.empty else la_code,
        "concerns": concerns[["title", "value", "england", "trend", "unit"]]
        .head(5)
        .to_dict("records"),
        "worst_quarter_worsening": lagging[["title", "value", "rank", "of", "unit"]]
        .head(5)
        .to_dict("records"),
        "improvements": improvements[["title", "value", "comparison", "unit"]]
        .head(5)
        .to_dict("records"),
        "significant_gaps": int(len(significant)),
        "uncovered_gaps": uncovered.head(5).to_dict("records"),
        "has_plan": plan is not None,
        "off_track_actions": off_track.to_dict("records"),
    }


def _covered_by_plan(gaps: pd.DataFrame, targets: pd.DataFrame | None) -> pd.DataFrame:
    """The gaps (with their ``unit``), widest first, each marked covered when an action of the
    plan targets its indicator and focus group: title, focus_group, gap, covered."""
    columns = ["title", "focus_group", "gap", "unit", "covered"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    if targets is None:
        targets = pd.DataFrame(columns=["indicator_code", "group_code"])
    gaps = gaps.assign(covered=mark_covered(gaps, targets))
    order = [gap_order({**g, "significant": True}, g["unit"]) for g in gaps.to_dict("records")]
    return gaps.iloc[sorted(range(len(gaps)), key=order.__getitem__)][columns]


# --- spine charts ---------------------------------------------------------------------------


#: Fewest comparators whose spread a spine chart draws. Real stores can hold an indicator for
#: a handful of places only (one LA's published file, say): their "range" would be the place
#: itself, and its marker would sit at the chart's edge as if it were the best in England.
MIN_SPREAD_PLACES = 10


def spine_rows(observations: pd.DataFrame, distribution: pd.DataFrame) -> pd.DataFrame:
    """Rows for a spine chart of a place's all-pupil figures: indicator (title), outcome, unit,
    polarity, value, england, worst, q1, q3, best (oriented by polarity) and comparison with
    England. ``distribution`` holds the comparators' indicator_code, period, minimum, q1, q3,
    maximum and places (all LAs, or all schools of the phase); indicators whose spread rests
    on fewer than ``MIN_SPREAD_PLACES`` places are left out (the tables still list them)."""
    columns = ["indicator", "outcome", "unit", "polarity", "value", "england", "worst", "q1",
               "q3", "best", "comparison"]  # fmt: skip
    if observations.empty or distribution.empty:
        return pd.DataFrame(columns=columns)
    own = observations[(observations["group"] == "all") & observations["value"].notna()]
    rows = []
    spread = distribution.set_index(["indicator_code", "period"])
    for o in own.itertuples(index=False):
        england = (o.comparator_values or {}).get("england")
        if (o.indicator, o.period) not in spread.index or england is None:
            continue
        if o.polarity not in ("higher_is_better", "lower_is_better"):
            continue
        d = spread.loc[(o.indicator, o.period)]
        if d.get("places", MIN_SPREAD_PLACES) < MIN_SPREAD_PLACES:
            continue
        low_first = o.polarity == "higher_is_better"
        rows.append(
            {
                "indicator": o.title,
                "outcome": o.outcome,
                "unit": o.unit,
                "polarity": o.polarity,
                "value": o.value,
                "england": england,
                "worst": d["minimum"] if low_first else d["maximum"],
                "q1": d["q1"] if low_first else d["q3"],
                "q3": d["q3"] if low_first else d["q1"],
                "best": d["maximum"] if low_first else d["minimum"],
                "comparison": o.standing,
            }
        )
    return pd.DataFrame(rows, columns=columns)
