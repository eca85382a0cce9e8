"""The gap explorer's result as people see it: a table with words, the rows of the ranked
chart, and map cells. Pure functions; pages only lay them out."""

from __future__ import annotations

import pandas as pd

from ecm import units
from ecm.charts import map_geometry
from ecm.places.explorer import MIN_RANKED_PUPILS, GapExploration
from ecm.store.school_types import MAINSTREAM, SCHOOL_KINDS, SPECIAL
from ecm.units import gap_unit
from ecm.views.markdown import escape_markdown

#: How many of the widest and of the narrowest gaps the ranked chart shows (the table has all).
RANKED_EACH_END = 20
POSITION_WORDS = {
    "above 99.8%": "wider than expected (99.8%)",
    "above 95%": "wider than expected (95%)",
    "within": "as expected",
    "below 95%": "narrower than expected (95%)",
    "below 99.8%": "narrower than expected (99.8%)",
}
#: Map colours by funnel position: wider gaps vermillion, narrower blue, as expected grey (the
#: product's worse / better / similar-or-not-compared colours), no figure white.
POSITION_COLOURS = {
    "wider than expected (99.8%)": "#D55E00",
    "wider than expected (95%)": "#F4A582",
    "as expected": "#BBBBBB",
    "narrower than expected (95%)": "#92C5DE",
    "narrower than expected (99.8%)": "#0072B2",
    units.NO_FIGURE: "#FFFFFF",
}
QUARTER_COLOURS = {
    "widest quarter": "#D55E00",
    "second widest quarter": "#F4A582",
    "second narrowest quarter": "#92C5DE",
    "narrowest quarter": "#0072B2",
    units.NO_FIGURE: "#FFFFFF",
}
LINK_PAGES = {"school": ("school", "urn"), "la": ("area", "la"), "region": ("region", "code")}


def place_link(level: str, code: str) -> str:
    """The URL of a place's page, carrying its code."""
    page, param = LINK_PAGES[level]
    return f"/{page}?{param}={code}"


def gap_table(result: GapExploration) -> pd.DataFrame:
    """Every place's gap, widest first, in words: place, LA, region, gap, interval,
    significance, group size, funnel position and a link to the place's page.

    Columns whose words repeat down the table are categorical, which keeps the table that
    the browser receives small when it lists every school in England."""
    gaps = result.gaps
    shown = gaps["gap"].notna()
    table = pd.DataFrame(
        {
            "Rank": gaps["rank"],
            "Place": gaps["name"].fillna(gaps["area_code"]),
            "Code": gaps["area_code"],
            "Authority": gaps["la_name"] if result.level == "school" else None,
            "Region": gaps["region_name"] if result.level != "region" else None,
            "Gap": units.rounded(gaps["gap"]).where(shown),
            "95% interval": [
                units.interval(lo, hi) for lo, hi in zip(gaps["lower"], gaps["upper"], strict=True)
            ],
            "Significant": [
                ("c" if s else "")
                if pd.isna(g)
                else ("not tested" if pd.isna(lo) else ("yes" if sig else "no"))
                for g, lo, sig, s in zip(
                    gaps["gap"],
                    gaps["lower"],
                    gaps["significant"],
                    gaps["suppressed"].fillna(False),
                    strict=True,
                )
            ],
            "Group size": gaps["size"],
            "Funnel": gaps["position"].map(POSITION_WORDS).fillna(""),
            "Place page": [place_link(result.level, c) for c in gaps["area_code"]],
        }
    )
    table = table.dropna(axis=1, how="all")
    # (Only columns without empty cells: the grid draws an empty category as "None".)
    repeated = [c for c in ("Authority", "Region") if c in table]
    return table.astype(dict.fromkeys(repeated, "category"))


def on_ranked_chart(result: GapExploration) -> pd.Series:
    """Which places the ranked chart shows: the ``RANKED_EACH_END`` widest and narrowest ranked
    gaps, every place tied with the last of each end included (ties share a rank, so a tie is
    never cut in two); every ranked place when there are few."""
    gaps = result.gaps
    ranked = gaps["rank"].notna()
    if int(ranked.sum()) <= 2 * RANKED_EACH_END:
        return ranked
    widest = gaps["rank"] <= RANKED_EACH_END
    narrowest = gaps["rank_narrow"] <= RANKED_EACH_END
    return (ranked & (widest | narrowest)).astype(bool)


def ranked_rows(result: GapExploration) -> pd.DataFrame:
    """The widest and narrowest gaps with intervals, for the ranked chart (rank, label, gap,
    lower, upper, significant), widest at the top."""
    gaps = result.gaps[on_ranked_chart(result)]
    return pd.DataFrame(
        {
            "rank": gaps["rank"],
            "label": gaps["name"].fillna(gaps["area_code"]),
            "gap": gaps["gap"],
            "lower": gaps["lower"],
            "upper": gaps["upper"],
            "significant": gaps["significant"].astype(bool),
        }
    ).reset_index(drop=True)


def ranked_table(result: GapExploration, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`gap_table` that the ranked chart shows, in its order: its table and
    CSV hold exactly what it draws."""
    return table[on_ranked_chart(result).to_numpy()].reset_index(drop=True)


def ranking_rule(result: GapExploration) -> str:
    """How the widest and narrowest lists treat ties and tiny groups, in words, with how many
    places the rule left out."""
    left_out = result.summary.get("too_small", 0)
    return (
        f"Ties share a rank, and every place tied at the {RANKED_EACH_END}th widest or "
        f"narrowest gap is shown. Places whose focus group has fewer than {MIN_RANKED_PUPILS} "
        f"pupils are left out of the ranking ({left_out:,} left out; they are in the table "
        "of every place, without a rank)."
    )


def map_cells(result: GapExploration, las: pd.DataFrame) -> tuple[pd.DataFrame | None, str | None]:
    """Hex-map cells of LA gaps coloured by funnel position: the real LA hexes for real data,
    a generated layout for the fictional demo. (None, None) below or above LA level."""
    if result.level != "la":
        return None, None
    hexes, layout = map_geometry.hexes_for(las)
    gaps = result.gaps.set_index("area_code")
    with_gap = gaps["gap"].notna()
    if gaps.loc[with_gap, "position"].notna().mean() >= 0.5:
        category = gaps["position"].map(POSITION_WORDS).reindex(hexes["code"])
    else:
        # No funnel for most places (figures published without counts, as LAIT's): the
        # gap's quarter among the places instead.
        category = gap_quarters(gaps["gap"]).reindex(hexes["code"])
    text = gaps["gap"].reindex(hexes["code"])
    hexes = hexes.assign(
        category=category.fillna(units.NO_FIGURE).to_numpy(),
        text=[f"gap {units.number(v)}" if pd.notna(v) else units.NO_FIGURE for v in text],
    )
    return hexes, layout


def gap_quarters(gaps: pd.Series) -> pd.Series:
    """Each gap's quarter among the places, widest first, in words."""
    shown = gaps.dropna()
    if shown.empty:
        return pd.Series(units.NO_FIGURE, index=gaps.index)
    labels = list(QUARTER_COLOURS)[:4][::-1]
    ranks = shown.rank(method="first", pct=True)
    quarters = pd.cut(ranks, [0, 0.25, 0.5, 0.75, 1.0], labels=labels).astype(str)
    return quarters.reindex(gaps.index)


def map_colours(hexes: pd.DataFrame) -> dict[str, str]:
    """The colour of each category a gap map uses (funnel positions or quarters)."""
    present = set(hexes["category"])
    return {k: v for k, v in {**POSITION_COLOURS, **QUARTER_COLOURS}.items() if k in present}


# --- the page's choices and words -----------------------------------------------------------

#: The levels the explorer compares places at, in words.
LEVELS = {"school": "Schools", "la": "Local authorities", "region": "Regions"}


def indicator_choices(catalogue: pd.DataFrame) -> dict[str, str]:
    """Indicators a gap can be taken on (code -> title): those with a better direction;
    context measures have no "worse off"."""
    scored = catalogue[catalogue["polarity"].isin(["higher_is_better", "lower_is_better"])]
    return dict(zip(scored["code"], scored["title"], strict=True))


def opening_indicator(choices: dict[str, str], coverage: pd.DataFrame, preferred: str) -> str:
    """The indicator the explorer opens on: ``preferred`` where the store holds figures for it,
    else the choice held for the most places (the catalogue's order among equals), so a store
    of other files never opens on an empty explorer. ``coverage`` is
    :func:`ecm.figures.queries.load_coverage`."""
    places = coverage.groupby("indicator_code")["places"].sum() if not coverage.empty else {}
    held = [code for code in choices if places.get(code, 0) > 0]
    if preferred in held or not held:
        return preferred
    return max(held, key=lambda code: places[code])


def group_choices(groups: pd.DataFrame) -> dict[str, str]:
    """Focus groups (code -> title): those with a comparator group to take the gap against."""
    focus = groups.dropna(subset=["comparator_code"])
    return dict(zip(focus["code"], focus["title"], strict=True))


def addressed_authority(las: pd.DataFrame, la: str | None) -> tuple[dict[str, str], str | None]:
    """What ``?la=`` in the explorer's address means: that authority's schools. Returns the
    defaults it gives the pickers (places, region, authority), for the address's own choices
    to override, and a sentence when the authority is not in the store (then it is ignored)."""
    if not la:
        return {}, None
    known = las.set_index("code")["region_code"]
    if la not in known.index or pd.isna(known[la]):
        return {}, "The authority in the address is not in the store, so it is not used here."
    return {"level": "school", "within_region": str(known[la]), "within_la": la}, None


def within_places(level: str, region: str | None, la: str | None) -> tuple[str, str] | None:
    """The places to keep: schools of an LA, else places of a region (not when comparing
    regions), else all."""
    if la and level == "school":
        return ("la", la)
    if region and level != "region":
        return ("region", region)
    return None


def gap_axis_title(unit: str) -> str:
    """The axis title of every gap chart."""
    return f"Gap ({gap_unit(unit)}; positive = focus group worse off)"


def exploration_summary(result: GapExploration, group_title: str, comparator_title: str) -> str:
    """What the explorer found, in words: how many places have a figure, the national gap,
    how many gaps are significantly above zero and above the funnel."""
    if result.centre is None:
        return "There is no national gap for this indicator and group in this year."
    summary = result.summary
    if result.limits.empty:
        funnel = (
            " No funnel: the places' figures come without group sizes (or the sizes count "
            "sessions, not pupils), so no limits can be drawn."
        )
    else:
        funnel = (
            f" **{summary['above_998']:,}** lie above the funnel's 99.8% limit (wider than "
            "chance allows for their size)"
            + (
                f"; the funnel holds the {summary['with_sizes']:,} places whose figures come "
                "with group sizes."
                if summary["with_sizes"] < summary["with_figures"]
                else "."
            )
        )
    return (
        f"**{summary['with_figures']:,}** of {result.places_words} have a figure for "
        f"{escape_markdown(result.indicator['title'])} in "
        f"{result.period}. The gap is each place's **{group_title.lower()}** against "
        f"**{comparator_title.lower()} nationally**; positive means the focus group is worse "
        f"off, in {gap_unit(result.indicator['unit'])}. Nationally the gap is "
        f"**{units.gap_text(result.centre, result.indicator['unit'])}**. "
        f"**{summary['focus_worse']:,}** places have a gap "
        "significantly above zero." + funnel
    )


def funnel_points(result: GapExploration) -> pd.DataFrame:
    """The funnel plot's points: every place with a gap and a group size (label, size, value,
    position)."""
    plotted = result.gaps.dropna(subset=["gap", "size"])
    return pd.DataFrame(
        {
            "label": plotted["name"],
            "size": plotted["size"],
            "value": plotted["gap"],
            "position": plotted["position"],
        }
    )


def spread_table(values: pd.Series) -> pd.DataFrame:
    """The gaps' spread as a table (count, mean, quartiles, ...): the distribution chart's
    data."""
    return values.describe().rename_axis("statistic").reset_index()


def compared_places_caption(result: GapExploration) -> str:
    """Which places the ranking and the funnel are among, in words, so that nobody mistakes
    the set: for schools, state-funded ones (DfE's comparisons) or all of them, with the
    funnel's centre named."""
    among = f"Among {result.places_words}"
    if result.level != "school":
        return among + "."
    other = result.summary.get("other_kind", 0)
    apart = (
        f" {other:,} {'mainstream' if result.kind == SPECIAL else 'special'} "
        f"school{'' if other == 1 else 's'} with this indicator "
        f"{'is' if other == 1 else 'are'} compared apart (choose "
        f"{SCHOOL_KINDS[MAINSTREAM if result.kind == SPECIAL else SPECIAL].lower()})."
        if other
        else ""
    )
    return (
        f"{among}.{apart} The funnel's centre is the national gap DfE publishes, which is that "
        "of state-funded schools, whichever set is compared."
    )
