"""One place's whole profile for a period: figures, intervals, benchmarks, trends and gaps.

The same assembly serves ``python -m ecm profile`` and the dashboard's pages, so both show the
same numbers. Figures arrive from :mod:`ecm.figures.queries` already under disclosure control.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ecm.catalogue import group_nouns, series_breaks
from ecm.figures import queries
from ecm.figures.plans import NO_PLAN, load_plan
from ecm.figures.predecessors import FROM_URN, Predecessor, with_predecessor
from ecm.periods import default_period, period_aliases, period_start
from ecm.stats.benchmarks import (
    NOT_COMPARED,
    compare,
    fsm_band,
    quartile_band,
    rank_best_first,
    red_red,
    standing,
)
from ecm.stats.breaks import break_labels, since_latest_break
from ecm.stats.direction import direction_of_travel, gap_direction, trend_column
from ecm.stats.floors import (
    areas_of_interest,
    bottom_quartile_sentences,
    floor_status,
    load_floor_standards,
)
from ecm.stats.gaps import compute_gaps, verdict
from ecm.stats.intervals import CONFIDENCE_95, CONFIDENCE_998, counts_pupils, value_ci
from ecm.stats.rounding import value_range, widest_limits
from ecm.stats.trends import NOT_ENOUGH, compute_trends, gap_trend, tested_on_counts
from ecm.store.school_types import STATE_FUNDED, in_set, school_set_words


def _empty_profile(area: dict, period: str | None) -> dict:
    """The profile of a place the store has no figures for."""
    keys = ("level", "code", "name", "la", "region", "fictional", "compared_with")
    return {
        "geography": {k: area.get(k) for k in keys},
        "period": period,
        "available_periods": [],
        "observations": [],
        "gaps": [],
        "floor_standards": [],
        "areas_of_interest": [],
        "sources": [],
        "context_gaps": [],
        "series": [],
    }


def with_intervals(figures: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Add 95% and 99.8% limits where the source published none (Wilson or Poisson).

    Where a numerator was derived from a rounded percentage, also the widest limits over the
    numerators the rounding allows (``widest_lower``/``widest_upper``, and ``_998``) and the
    least and greatest value (``value_least``, ``value_most``), so that comparisons can hold at
    both ends (:mod:`ecm.stats.rounding`). Where the interval comes from exact counts, both
    values are the counts' (not the published rounding); NaN where there are no counts."""
    meta = catalogue.set_index("code")
    out = figures.copy()
    out["statistic"] = out["indicator_code"].map(meta["statistic"])
    out["polarity"] = out["indicator_code"].map(meta["polarity"])
    out["multiplier"] = out["indicator_code"].map(meta["multiplier"]).astype(float)
    widest = ("widest_lower", "widest_upper", "widest_lower_998", "widest_upper_998")
    for column in ("lower_998", "upper_998", *widest, "value_least", "value_most"):
        out[column] = np.nan
    for column in ("numerator_low", "numerator_high"):
        if column not in out:
            out[column] = np.nan
    for statistic, rows in out.groupby("statistic"):
        if statistic not in ("proportion", "rate"):
            continue
        index = rows.index
        # No interval from counts of absence sessions (not independent trials).
        pupils = rows["pupils"] if "pupils" in rows else np.nan
        numerator = rows["numerator"].where(counts_pupils(rows["denominator"], pupils))
        ci95 = value_ci(
            statistic, numerator, rows["denominator"], CONFIDENCE_95, rows["multiplier"]
        )
        ci998 = value_ci(
            statistic, numerator, rows["denominator"], CONFIDENCE_998, rows["multiplier"]
        )
        published = rows["lower_ci"].notna()
        out.loc[index, "lower_ci"] = np.where(published, rows["lower_ci"], ci95.lower)
        out.loc[index, "upper_ci"] = np.where(published, rows["upper_ci"], ci95.upper)
        out.loc[index, "lower_998"] = ci998.lower
        out.loc[index, "upper_998"] = ci998.upper
        # A value worked out here from counts is compared as the counts give it, never as
        # the published rounding: England's 96% of pupils is 371,352 of 386,094, 96.18%, and
        # an LA whose interval starts at 96.00 is not above it. Ranged numerators widen this
        # below; a published interval keeps the publisher's value (it may be standardised).
        counted = numerator.notna() & (rows["denominator"] > 0) & ~published
        from_counts = numerator / rows["denominator"] * rows["multiplier"]
        out.loc[index, "value_least"] = from_counts.where(counted)
        out.loc[index, "value_most"] = from_counts.where(counted)
        ranged = counted & rows["numerator_low"].notna()
        if not ranged.any():
            continue
        least, most = rows["numerator_low"].where(ranged), rows["numerator_high"].where(ranged)
        for suffix, confidence in (("", CONFIDENCE_95), ("_998", CONFIDENCE_998)):
            ends = widest_limits(
                statistic, numerator, least, most, rows["denominator"], confidence,
                rows["multiplier"],
            )  # fmt: skip
            out.loc[index, f"widest_lower{suffix}"] = np.where(ranged, ends[0], np.nan)
            out.loc[index, f"widest_upper{suffix}"] = np.where(ranged, ends[1], np.nan)
        values = value_range(
            rows["value"], numerator, least, most, rows["denominator"], rows["multiplier"]
        )
        out.loc[index, "value_least"] = np.where(ranged, values[0], out.loc[index, "value_least"])
        out.loc[index, "value_most"] = np.where(ranged, values[1], out.loc[index, "value_most"])
    return out


def build_profile(
    engine: Engine,
    level: str,
    code: str,
    period: str | None = None,
    schools: str = STATE_FUNDED,
) -> dict:
    """The profile of a school (URN), LA (ONS code or number) or region for ``period``.

    ``period`` is an academic year such as ``2008/09``; other period styles of the same year
    (``2008-09``, ``2009``) come with it. Default: the latest year the place has figures for.
    ``schools`` is the set a school is compared with (its phase's quartiles and its similar
    schools): ``state_funded`` (DfE's comparisons) or ``all`` (independent schools too).
    """
    return profile_and_peers(engine, level, code, period, schools)[0]


def profile_and_peers(
    engine: Engine,
    level: str,
    code: str,
    period: str | None = None,
    schools: str = STATE_FUNDED,
) -> tuple[dict, pd.DataFrame]:
    """:func:`build_profile`, and the peer figures it ranked an LA or region among: every LA's
    (region's) figures in the profile's year, all its period styles, after disclosure control
    (:func:`ecm.figures.queries.load_peer_figures`; empty for a school or a place with no
    figures). The area overview draws all LAs' spread from them instead of reading them again.
    """
    # The set a school is compared with travels with the place to every comparison made.
    area = {**queries.resolve_area(engine, level, code), "compared_with": schools}
    catalogue = queries.load_indicators(engine)
    figures, predecessor = queries.load_area_figures(engine, area), None
    if area["level"] == "school":
        figures, predecessor = with_predecessor(engine, figures, area)
    figures = with_intervals(figures, catalogue)
    own = figures[(figures["level"] == area["level"]) & (figures["area_code"] == area["code"])]
    # The place's own figures: a predecessor's extend its series, never its years.
    mine = own[own[FROM_URN].isna()] if FROM_URN in own else own
    if mine.empty:
        return _empty_profile(area, period), pd.DataFrame()
    if period is None:
        period = default_period(mine)
    periods = period_aliases(period)
    # Every year the place has figures for is offered, before and after the one shown.
    academic_years = sorted(mine.loc[mine["period"].str.contains("/"), "period"].unique())
    # Trends and flags look back from the chosen year, never forward.
    own = own[own["period"].map(period_start) <= period_start(period)]
    figures = figures[figures["period"].map(period_start) <= period_start(period)]

    trends = _value_trends(own)
    gaps = _gaps(engine, figures, area, catalogue)
    current = own[own["period"].isin(periods) & own.index.isin(mine.index)].copy()
    current, peers = _benchmarks(engine, current, figures, area, periods)
    current = current.merge(trends, on=["indicator_code", "group_code"], how="left")
    current["trend"] = trend_column(current)
    meta = catalogue.set_index("code")
    current["outcome"] = current["indicator_code"].map(meta["outcome"])
    current["title"] = current["indicator_code"].map(meta["title"])
    current["unit"] = current["indicator_code"].map(meta["unit"])
    # The catalogue's order: the five outcomes in the Act's order, indicators by title within.
    order = {code: i for i, code in enumerate(catalogue["code"])}
    current = current.sort_values(
        ["indicator_code", "group_code", "period"],
        key=lambda column: column.map(order) if column.name == "indicator_code" else column,
    )

    interest, floors = _flags(engine, own, figures, trends, gaps, catalogue, area, period, current)

    geography = {
        k: area.get(k)
        for k in ("level", "code", "name", "la", "region", "fictional", "phase", "compared_with")
    }
    sources = queries.batch_sources(
        engine, sorted({int(b) for b in current["batch_id"].dropna().unique()})
    )
    current["source"] = current["batch_id"].map(
        lambda b: (sources.get(int(b)) or {}).get("file") if pd.notna(b) else None
    )
    profile = {
        "geography": geography,
        "period": period,
        "available_periods": academic_years,
        "observations": [_observation_record(row) for row in current.itertuples(index=False)],
        "gaps": _gap_records(gaps, period, periods, engine, area),
        "plan": _plan_record(engine, area, period),
        "context_gaps": _context_gaps(figures, area, catalogue, periods),
        "series": _series(figures, area, period),
        "predecessor": _predecessor_record(predecessor, period),
        "floor_standards": floors,
        "areas_of_interest": interest,
        "sources": list(sources.values()),
    }
    return profile, peers


def _flags(engine, own, figures, trends, gaps, catalogue, area, period, current):  # noqa: ANN001, ANN202
    """Areas-of-interest sentences and floor-standard results for the place."""
    country = area.get("country_code")
    england = figures[(figures["level"] == "england") & (figures["area_code"] == country)]
    mine = own[own["group_code"] == "all"].merge(
        england[["indicator_code", "group_code", "period", "value", "value_least", "value_most"]],
        on=["indicator_code", "group_code", "period"],
        suffixes=("", "_england"),
    )
    mine["vs_england"] = compare(
        mine["value"], mine["lower_ci"], mine["upper_ci"], mine["value_england"], mine["polarity"],
        mine.get("published_vs_england"),
        widest=(mine["widest_lower"], mine["widest_upper"]),
        comparator_range=(mine["value_least_england"], mine["value_most_england"]),
    )  # fmt: skip
    mine = mine.merge(trends[["indicator_code", "group_code", "trend", "direction"]], how="left")
    mine["trend"] = trend_column(mine)
    floors = (
        floor_status(own, load_floor_standards()) if area["level"] == "school" else own.iloc[:0]
    )
    gap_words = gaps.assign(
        trend=[gap_trend(t, g) for t, g in zip(gaps["trend"], gaps["gap"], strict=True)]
    )
    sentences = areas_of_interest(
        gap_words, mine, floors, catalogue, period, place=area["level"], nouns=group_nouns()
    )
    if area["level"] == "school" and area.get("phase"):
        sentences += _bottom_quartile(engine, current, catalogue, area, period)
    floor_records = [
        {
            "indicator": r.indicator_code,
            "period": r.period,
            "value": _number(r.value),
            "threshold": float(r.threshold),
            "label": r.label,
        }
        for r in floors.itertuples(index=False)
    ]
    return sentences, floor_records


def _bottom_quartile(engine, current, catalogue, area: dict, period: str) -> list[str]:  # noqa: ANN001
    """Sentences for the school's all-pupil figures in the bottom quarter of its phase (among
    the set of schools it is compared with)."""
    own = current[(current["group_code"] == "all") & current["value"].notna()]
    own = own[own["polarity"].isin(["higher_is_better", "lower_is_better"])]
    if own.empty:
        return []
    phase = area["phase"]
    quartiles = queries.load_school_benchmarks(
        engine, phase, "all", list(own["period"].unique()), area["compared_with"]
    )
    merged = own.merge(quartiles, on=["indicator_code", "period"], suffixes=("", "_q"))
    merged = merged[merged["schools"] >= MIN_BAND_PLACES]  # no quarters among too few
    worst = np.where(
        merged["polarity"] == "higher_is_better",
        merged["value"] < merged["q1"],
        merged["value"] > merged["q3"],
    )
    bands = pd.DataFrame(
        {"indicator_code": merged["indicator_code"], "band": np.where(worst, "D", "")}
    )
    among = school_set_words(phase, area["compared_with"], where="loaded")
    return bottom_quartile_sentences(bands, catalogue, among, period)


def _value_trends(own: pd.DataFrame) -> pd.DataFrame:
    """Recent trend of every indicator and group of the place (tested), and its direction of
    travel (untested, for series the test cannot be made on)."""
    series = own.rename(columns={"lower_ci": "lower", "upper_ci": "upper"})
    # No trend crosses a series break (METHODOLOGY, "Series breaks").
    series = since_latest_break(series, series_breaks(), ["indicator_code", "group_code"])
    counted = tested_on_counts(series)
    # Each period style is its own series order; sorting the text sorts the years.
    key = ["indicator_code", "group_code"]
    tested = compute_trends(series, key, use_counts=counted)
    tested = tested.rename(columns={"lost_to_rounding": "trend_lost_to_rounding"})
    directions = direction_of_travel(series, key)
    return tested.merge(directions[[*key, "direction"]], on=key, how="outer")


def _benchmarks(
    engine: Engine, current: pd.DataFrame, figures: pd.DataFrame, area: dict, periods: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Better / similar / worse against England, region, LA, neighbours and similar schools;
    with the peer figures read for the LA's or region's ranks (empty for a school)."""
    comparators: dict[str, pd.Series] = {}
    # The least and greatest values the comparators' roundings allow (England, region, LA).
    ranges: dict[str, tuple[pd.Series, pd.Series]] = {}
    key = ["indicator_code", "group_code", "period"]
    for name, level, code in (
        ("england", "england", area.get("country_code")),
        ("region", "region", (area.get("region") or {}).get("code")),
        ("la", "la", (area.get("la") or {}).get("code")),
    ):
        if code and not (level == area["level"] and code == area["code"]):
            rows = figures[(figures["level"] == level) & (figures["area_code"] == code)]
            comparators[name] = rows.set_index(key)["value"]
            ranges[name] = (rows.set_index(key)["value_least"], rows.set_index(key)["value_most"])
    peers = pd.DataFrame()
    if area["level"] in ("la", "region"):
        peers = queries.load_peer_figures(engine, area["level"], sorted(periods))
    if area["level"] == "la":
        codes = queries.load_neighbour_codes(engine, area["code"])
        neighbours = peers[peers["area_code"].isin(codes)]
        # LAIT shows the simple average of the neighbours' values.
        comparators["statistical_neighbours"] = neighbours.groupby(key)["value"].mean()
        current = _rank_among_neighbours(current, neighbours, key)
    if area["level"] == "school" and area.get("phase") and area.get("percent_fsm") is not None:
        similar = _similar_schools(engine, area, periods, current)
        comparators["similar_schools"] = similar["value"]
        index = pd.MultiIndex.from_frame(current[key])
        current["similar_schools_pooled"] = similar["schools"].reindex(index).to_numpy(float)
        current["similar_schools_left_out"] = similar["left_out"].reindex(index).to_numpy(float)
        current["similar_schools_among"] = similar["among"].reindex(index).to_numpy(object)
    index = pd.MultiIndex.from_frame(current[key])
    for name, values in comparators.items():
        aligned = values.reindex(index).to_numpy(float) if not values.empty else np.nan
        # The publisher's own test is against England only.
        published = current.get("published_vs_england") if name == "england" else None
        # NaN ends (no range, or no range known for the comparator) fall back to the point.
        ends = tuple(
            r.reindex(index).to_numpy(float) if not r.empty else np.nan
            for r in ranges.get(name, (pd.Series(dtype=float), pd.Series(dtype=float)))
        )
        current[f"vs_{name}"] = compare(
            current["value"], current["lower_ci"], current["upper_ci"], aligned,
            current["polarity"], published,
            widest=(current["widest_lower"], current["widest_upper"]), comparator_range=ends,
        )  # fmt: skip
        current[f"vs_{name}_998"] = compare(
            current["value"], current["lower_998"], current["upper_998"], aligned,
            current["polarity"],
            widest=(current["widest_lower_998"], current["widest_upper_998"]),
            comparator_range=ends,
        )  # fmt: skip
        current[f"{name}_value"] = aligned
    return _ranks(engine, current, peers, area, periods), peers


def _rank_among_neighbours(
    current: pd.DataFrame, neighbours: pd.DataFrame, key: list[str]
) -> pd.DataFrame:
    """Each figure's rank (1 = best by polarity) among itself and its statistical neighbours
    with a figure, as LAIT places an LA in its neighbour group: ``neighbour_rank`` and
    ``neighbour_of`` (NaN where fewer than three neighbours have a figure)."""
    shown = neighbours[neighbours["value"].notna()]
    sets = {k: rows["value"].to_numpy(float) for k, rows in shown.groupby(key)}
    ranks, sizes = [], []
    for row in current.itertuples(index=False):
        others = sets.get((row.indicator_code, row.group_code, row.period))
        ranked = row.polarity in ("higher_is_better", "lower_is_better")
        if others is None or len(others) < 3 or pd.isna(row.value) or not ranked:
            ranks.append(np.nan)
            sizes.append(np.nan)
            continue
        ahead = others > row.value if row.polarity == "higher_is_better" else others < row.value
        ranks.append(1 + int(ahead.sum()))
        sizes.append(len(others) + 1)
    return current.assign(neighbour_rank=ranks, neighbour_of=sizes)


#: No rank or quartile band among fewer places than this (LAs, regions, or schools of a phase).
MIN_BAND_PLACES = 4


def _ranks(
    engine: Engine, current: pd.DataFrame, peers: pd.DataFrame, area: dict, periods: set[str]
) -> pd.DataFrame:
    """Rank (1 = best by polarity) and LAIT quartile band A-D of each figure in its set: all
    LAs or all regions of the country; for a school, its phase's quartiles."""
    current = current.copy()
    current["rank"], current["of"], current["band"] = np.nan, np.nan, None
    key = ["indicator_code", "group_code", "period"]
    if area["level"] in ("la", "region") and not peers.empty:
        shown = peers[peers["value"].notna()]
        # Only the sets the place's own figures are ranked in.
        shown = shown.merge(current[key].drop_duplicates(), on=key)
        sets = {k: rows.set_index("area_code")["value"] for k, rows in shown.groupby(key)}
        ranks = []
        for row in current[[*key, "polarity"]].itertuples(index=False):
            values = sets.get(tuple(row[:3]))
            # A rank among fewer than four places says nothing; LAIT bands need quarters.
            if values is None or area["code"] not in values.index or len(values) < MIN_BAND_PLACES:
                ranks.append((np.nan, np.nan, None))
                continue
            ranks.append(
                (
                    rank_best_first(values, row.polarity)[area["code"]],
                    len(values),
                    quartile_band(values, row.polarity)[area["code"]],
                )
            )
        if ranks:
            current[["rank", "of", "band"]] = pd.DataFrame(
                ranks, columns=["rank", "of", "band"], index=current.index
            )
    elif area["level"] == "school" and area.get("phase"):
        quartiles = queries.load_school_benchmarks(
            engine, area["phase"], "all", sorted(periods), area["compared_with"]
        )
        merged = current[key + ["value", "polarity"]].merge(
            quartiles[["indicator_code", "period", "q1", "median", "q3", "schools"]],
            on=["indicator_code", "period"],
            how="left",
        )
        merged.loc[merged["group_code"] != "all", ["q1", "median", "q3"]] = np.nan
        # As for LAs, no band among fewer than four schools (a special school among the few
        # special schools loaded, say): quarters of three say nothing.
        merged.loc[merged["schools"] < MIN_BAND_PLACES, ["q1", "median", "q3"]] = np.nan
        current["band"] = np.where(merged["q1"].notna(), band_from_quartiles(merged), None)
        current["of"] = merged["schools"].where(merged["q1"].notna()).to_numpy(float)
        schools = area.get("compared_with", STATE_FUNDED)
        # Each band names its set with the number of schools it was among.
        current["among"] = [
            f"among {school_set_words(area['phase'], schools, of, 'loaded')}"
            if not pd.isna(of)
            else band_set_words(area)
            for of in current["of"]
        ]
        return current
    current["among"] = band_set_words(area)
    return current


def band_set_words(area: dict) -> str:
    """What a figure's rank and quartile band are among, in words: bands are among the places
    the store holds, which for a national picture must be all of them ("among the LAs loaded"),
    and a school's among the schools of its phase in the set it is compared with (state-funded
    schools, as DfE compares schools, unless chosen otherwise); the count goes in where
    :func:`_rank_record` knows it."""
    if area["level"] == "school":
        schools = area.get("compared_with", STATE_FUNDED)
        return f"among {school_set_words(area.get('phase'), schools, where='loaded')}"
    return "among the regions loaded" if area["level"] == "region" else "among the LAs loaded"


def band_from_quartiles(frame: pd.DataFrame) -> np.ndarray:
    """A (best quarter) to D from a value and its set's quartiles, by polarity."""
    value, q1, q2, q3 = (frame[c].to_numpy(float) for c in ("value", "q1", "median", "q3"))
    higher = np.select([value >= q3, value >= q2, value >= q1], ["A", "B", "C"], "D")
    lower = np.select([value <= q1, value <= q2, value <= q3], ["A", "B", "C"], "D")
    band = np.where(frame["polarity"].to_numpy() == "lower_is_better", lower, higher).astype(object)
    band[np.isnan(value) | np.isnan(q1)] = None
    return band


#: A similar-schools comparator needs this many other schools, so that it describes a group
#: and can never be worked back to one school's figures.
MIN_SIMILAR_SCHOOLS = 3


def _similar_schools(
    engine: Engine, area: dict, periods: set[str], current: pd.DataFrame
) -> pd.DataFrame:
    """Pooled value of the other schools of the same phase and FSM band in the set the school
    is compared with (state-funded, or all) whose counts are known (the school itself left
    out), indexed by indicator, group and period: ``value`` (missing where fewer than three
    other schools are pooled, or the school's own figure is withheld), ``schools`` (the other
    schools pooled) and ``left_out`` (schools of the band whose counts are not known, so not
    pooled)."""
    band = fsm_band([float(area["percent_fsm"])]).iloc[0]
    schools = area.get("compared_with", STATE_FUNDED)
    totals = queries.load_school_benchmarks(engine, area["phase"], band, sorted(periods), schools)
    key = ["indicator_code", "group_code", "period"]
    if totals.empty:
        columns = ["value", "schools", "left_out", "among"]
        return pd.DataFrame(columns=columns, index=_empty_index(key))
    own = current[[*key, "numerator", "denominator", "multiplier"]]
    pooled = totals.merge(own, on=key, suffixes=("", "_own"))
    # The school is in its band's pool only where both its counts are known; where they are
    # not (withheld here or by the publisher) there is no figure of its own to compare, and
    # the pool of the others is not shown either, so that it cannot be set against the band's.
    own_known = pooled["numerator_own"].notna() & pooled["denominator_own"].notna()
    if not in_set(area.get("state_funded"), schools):
        # An independent school is not in the state-funded pools: it is compared with the
        # whole band.
        others = pooled["schools"].where(own_known)
        numerator, denominator = pooled["numerator"], pooled["denominator"]
    else:
        others = (pooled["schools"] - 1).where(own_known)
        numerator = pooled["numerator"] - pooled["numerator_own"]
        denominator = pooled["denominator"] - pooled["denominator_own"]
    value = numerator / denominator * pooled["multiplier"]
    pooled["value"] = value.where((others >= MIN_SIMILAR_SCHOOLS) & (denominator > 0))
    pooled["schools"] = others
    pooled["left_out"] = pooled["left_out"].fillna(0)
    pooled["among"] = school_set_words(area["phase"], schools, where=f"in the {band} FSM band")
    return pooled.set_index(key)[["value", "schools", "left_out", "among"]]


def _empty_index(key: list[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([[] for _ in key], names=key)


def similar_schools_words(
    schools: float | None, left_out: float | None, among: str | None = None
) -> str | None:
    """How many schools a similar-schools value rests on, and which (``among``: "state-funded
    primary schools in the 8-20% FSM band"), in words: "similar schools: 42 other state-funded
    primary schools in the 8-20% FSM band, 3 with withheld figures left out"."""
    if schools is None or pd.isna(schools):
        return None
    if isinstance(among, str):
        words = f"similar schools: {int(schools):,} other {among}"
    else:
        words = f"similar schools: {int(schools):,} school{'s' if int(schools) != 1 else ''}"
    if left_out is not None and not pd.isna(left_out) and int(left_out) > 0:
        words += f", {int(left_out):,} with withheld figures left out"
    return words


def place_gaps(engine: Engine, level: str, code: str, period: str | None = None) -> pd.DataFrame:
    """A place's own gaps (focus group against its comparator group in the same place) in every
    period up to ``period`` (default: all), after disclosure control, each with the trend of
    the gap in words (``widening``, ``narrowing``, ...) as of its latest period.

    Columns as ``ecm.stats.gaps.compute_gaps`` plus ``trend``; the history behind a plan's targets.
    """
    area = queries.resolve_area(engine, level, code)
    catalogue = queries.load_indicators(engine)
    figures = with_intervals(queries.load_area_figures(engine, area), catalogue)
    if period is not None:
        figures = figures[figures["period"].map(period_start) <= period_start(period)]
    gaps = _gaps(engine, figures, area, catalogue)
    gaps = gaps[gaps["kind"] == "within"].reset_index(drop=True)
    latest = gaps.groupby(["indicator_code", "focus_group"])["period"].transform(
        lambda p: p.iloc[np.argmax(p.map(period_start).to_numpy())]
    )
    sizes = gaps.set_index(["indicator_code", "focus_group", "period"])["gap"]
    gaps["trend"] = [
        gap_trend(t, sizes.get((i, g, p)))
        for t, i, g, p in zip(
            gaps["trend"], gaps["indicator_code"], gaps["focus_group"], latest, strict=True
        )
    ]
    return gaps


def _gaps(
    engine: Engine, figures: pd.DataFrame, area: dict, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """The place's gaps of every kind, in every period, with each gap's trend."""
    groups = queries.load_pupil_groups(engine)
    comparators = dict(
        groups.dropna(subset=["comparator_code"])[["code", "comparator_code"]].values
    )
    la_of = None
    if area["level"] == "school" and area.get("la"):
        la_of = pd.Series({area["code"]: area["la"]["code"]})
    gaps = compute_gaps(
        figures,
        catalogue,
        comparators,
        la_of_school=la_of,
        national_code=area.get("country_code"),
        only_area=(area["level"], area["code"]),
    )
    if gaps.empty:
        gaps["trend"] = []
        return gaps
    series = gaps.rename(columns={"gap": "value"})
    by = ["indicator_code", "focus_group", "kind"]
    series = since_latest_break(series, series_breaks(), by)
    trends = compute_trends(series, by, use_counts=False)
    directions = direction_of_travel(series, by)
    gaps = gaps.merge(trends[[*by, "trend"]], how="left").merge(
        directions[[*by, "direction"]], how="left"
    )
    # Where no test could be made (gaps without intervals), the untested direction of travel.
    untested = gaps["trend"].isna() | (gaps["trend"] == NOT_ENOUGH)
    gaps.loc[untested, "trend"] = [
        gap_direction(d, g) for d, g in zip(gaps.loc[untested, "direction"],
                                            gaps.loc[untested, "gap"], strict=True)
    ]  # fmt: skip
    gaps["trend"] = gaps["trend"].fillna(NOT_ENOUGH)
    return gaps.drop(columns="direction")


#: Years of history the trend lines show.
SERIES_YEARS = 5


def _context_gaps(
    figures: pd.DataFrame, area: dict, catalogue: pd.DataFrame, periods: set[str]
) -> list[dict]:
    """The same gaps (focus group against comparator group) in the place's LA and in England,
    for the period, to set beside the place's own: indicator, focus_group, place, gap, lower,
    upper, significant."""
    places = [
        ("la", (area.get("la") or {}).get("code"), "LA"),
        ("england", area.get("country_code"), "England"),
    ]
    places = [(level, code, name) for level, code, name in places if code and code != area["code"]]
    if not places:
        return []
    groups = {
        "disadvantaged": "not_disadvantaged",
        "fsm": "not_fsm",
        "sen": "no_sen",
        "boys": "girls",
    }
    rows = figures[figures["period"].isin(periods)]
    records = []
    for level, code, name in places:
        mine = rows[(rows["level"] == level) & (rows["area_code"] == code)]
        gaps = compute_gaps(mine, catalogue, groups, kinds=("within",))
        for g in gaps.itertuples(index=False):
            records.append(
                {
                    "indicator": g.indicator_code,
                    "focus_group": g.focus_group,
                    "place": name,
                    "gap": _number(g.gap),
                    "lower": _number(g.lower),
                    "upper": _number(g.upper),
                    # None where there is no interval to test by (not "not significant").
                    "significant": verdict(g.significant, g.lower, g.upper),
                }
            )
    return records


def _predecessor_record(predecessor: Predecessor | None, period: str) -> dict | None:
    """The school this one replaced and the years of its figures the profile joins on, up
    to the period shown (None when none are)."""
    if predecessor is None:
        return None
    years = [p for p in predecessor.periods if period_start(p) <= period_start(period)]
    return {**predecessor.as_record(), "periods": years} if years else None


def _series(figures: pd.DataFrame, area: dict, period: str) -> list[dict]:
    """All-pupil figures of the place, its LA and England over the last five years up to the
    period, for trend lines: indicator, name, period, value, lower, upper, and series_break
    (the label of a series break on the first period after it, else "")."""
    names = {
        (area["level"], area["code"]): area["name"],
        ("la", (area.get("la") or {}).get("code")): (area.get("la") or {}).get("name"),
        ("england", area.get("country_code")): "England",
    }
    start = period_start(period) - (SERIES_YEARS - 1)
    rows = figures[
        (figures["group_code"] == "all")
        & figures["value"].notna()
        & (figures["period"].map(period_start) >= start)
    ]
    marks = pd.Series("", index=rows.index, dtype=object)
    for code, mine in rows.groupby("indicator_code"):
        marks[mine.index] = break_labels(mine["period"], str(code), series_breaks())
    records = []
    for r in rows.itertuples():
        name = names.get((r.level, r.area_code))
        if name:
            records.append(
                {
                    "indicator": r.indicator_code,
                    "name": name,
                    "period": r.period,
                    "value": _number(r.value),
                    "lower": _number(r.lower_ci),
                    "upper": _number(r.upper_ci),
                    "series_break": marks[r.Index],
                    # The URN a predecessor's figure came from (None for the place's own).
                    "from_urn": None if pd.isna(getattr(r, FROM_URN, None)) else r.from_urn,
                }
            )
    return records


def _observation_record(row) -> dict:  # noqa: ANN001
    """One figure as the profile's JSON shape."""
    benchmarks = {
        name: getattr(row, f"vs_{name}", NOT_COMPARED)
        for name in ("england", "region", "la", "statistical_neighbours", "similar_schools")
        if hasattr(row, f"vs_{name}")
    }
    return {
        "indicator": row.indicator_code,
        "title": row.title,
        "unit": row.unit,
        "polarity": row.polarity,
        "outcome": row.outcome,
        "group": row.group_code,
        "period": row.period,
        "value": _number(row.value),
        "numerator": _number(row.numerator),
        "denominator": _number(row.denominator),
        "pupils": _number(row.pupils) if not pd.isna(row.pupils) else _number(row.denominator),
        "lower": _number(row.lower_ci),
        "upper": _number(row.upper_ci),
        "suppressed": bool(row.suppressed),
        "marker": row.marker if isinstance(row.marker, str) and row.marker else None,
        "benchmarks": benchmarks,
        "benchmarks_998": {
            name: getattr(row, f"vs_{name}_998", NOT_COMPARED) for name in benchmarks
        },
        # The comparators' own values, for charts and for people who want the number.
        "comparator_values": {
            name: _number(getattr(row, f"{name}_value", None)) for name in benchmarks
        },
        "similar_schools": _pool_record(row),
        "rank": _rank_record(row),
        "neighbour_rank": _number(getattr(row, "neighbour_rank", None)),
        "neighbour_of": _number(getattr(row, "neighbour_of", None)),
        # Tested against England where it could be, else its quartile band (untested).
        "standing": standing(benchmarks.get("england", NOT_COMPARED), row.band, row.polarity),
        "trend": row.trend,
        # Significant at the point counts, not at the least favourable ends of the derived
        # numerators (METHODOLOGY, "Rounding of derived numerators").
        "trend_lost_to_rounding": getattr(row, "trend_lost_to_rounding", False) is True,
        "source": row.source,
        "red_red": red_red(benchmarks.get("england"), row.trend),
    }


def _pool_record(row) -> dict | None:  # noqa: ANN001
    """What a similar-schools value rests on: the other schools pooled, those left out for a
    withheld count, and both in words; None where there is no pool."""
    pooled = getattr(row, "similar_schools_pooled", None)
    if pooled is None or pd.isna(pooled) or pd.isna(getattr(row, "similar_schools_value", None)):
        return None
    left_out = getattr(row, "similar_schools_left_out", 0)
    return {
        "schools": int(pooled),
        "left_out": int(left_out) if not pd.isna(left_out) else 0,
        "words": similar_schools_words(
            pooled, left_out, getattr(row, "similar_schools_among", None)
        ),
    }


def _rank_record(row) -> dict | None:  # noqa: ANN001
    """Rank and quartile band of a figure, where it has them."""
    band = row.band if isinstance(row.band, str) and row.band in "ABCD" else None
    if band is None:
        return None
    record = {"band": band}
    if not pd.isna(row.rank):
        record.update({"rank": int(row.rank), "of": int(row.of)})
    elif not pd.isna(row.of):
        record["of"] = int(row.of)
    among = getattr(row, "among", None)
    if isinstance(among, str):
        # Name the set by its size where it is known: "among the 152 LAs loaded".
        # (A school's words carry their number already.)
        if "of" in record and among.startswith("among the "):
            among = among.replace("among the ", f"among the {record['of']:,} ", 1)
        record["among"] = among
    return record


def _gap_records(
    gaps: pd.DataFrame, period: str, periods: set[str], engine: Engine, area: dict
) -> list[dict]:
    """The period's gaps as the profile's JSON shape, each with the actions on it of the plan
    in force in that period: for a school, those that reach it (``actions``) and how many the
    plan has on the gap across its LA (``la_actions``), so that a school's headline and the
    LA's Plan page tell the same story."""
    current = gaps[gaps["period"].isin(periods)]
    la_code = area["code"] if area["level"] == "la" else (area.get("la") or {}).get("code")
    urn = area["code"] if area["level"] == "school" else None
    plan = load_plan(engine, la_code, period) if la_code else None
    plan_id = plan["id"] if plan else NO_PLAN

    def by_target(targets: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
        found: dict[tuple[str, str], list[dict]] = {}
        for a in targets.itertuples(index=False) if not targets.empty else []:
            found.setdefault((a.indicator_code, a.group_code), []).append(
                {"id": int(a.action_id), "title": a.title, "status": a.status,
                 "lead": a.lead_partner}
            )  # fmt: skip
        return found

    actions_by_target = (
        by_target(queries.load_plan_targets(engine, la_code, urn, plan_id)) if la_code else {}
    )
    across_la = (
        by_target(queries.load_plan_targets(engine, la_code, None, plan_id))
        if la_code and urn
        else actions_by_target
    )
    records = []
    for row in current.itertuples(index=False):
        actions = actions_by_target.get((row.indicator_code, row.focus_group), [])
        records.append(
            {
                "indicator": row.indicator_code,
                "focus_group": row.focus_group,
                "comparator_group": row.comparator_group,
                "kind": row.kind,
                "period": row.period,
                "gap": _number(row.gap),
                "comparator_value": _number(row.comparator_value),
                "lower": _number(row.lower),
                "upper": _number(row.upper),
                # True/False when tested, None when the gap has no interval (not tested).
                "significant": verdict(row.significant, row.lower, row.upper),
                # Significant at the point value, not once the rounding of a derived
                # numerator is allowed for (then "significant" is False).
                "lost_to_rounding": bool(row.lost_to_rounding),
                "suppressed": bool(row.suppressed),
                "trend": gap_trend(row.trend, row.gap),
                "actions": actions,
                "la_actions": len(across_la.get((row.indicator_code, row.focus_group), [])),
            }
        )
    return records


def _plan_record(engine: Engine, area: dict, period: str) -> dict | None:
    """The plan in force in ``period`` for the place's LA (title, period_label, la_code), the
    one whose actions the gaps carry; None when none is in force."""
    la_code = area["code"] if area["level"] == "la" else (area.get("la") or {}).get("code")
    plan = load_plan(engine, la_code, period) if la_code else None
    if not plan:
        return None
    return {"title": plan["title"], "period_label": plan["period_label"], "la_code": la_code}


def _number(value) -> float | None:  # noqa: ANN001
    """A JSON-friendly number: None for missing, rounded to 4 decimals."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return None
    return round(float(value), 4)
