"""The gap explorer: one indicator's gap for one focus group across every school, LA or region.

Each place's gap is its focus group against the comparator group nationally (the DfE's
``DIFFN`` measure), so every place is measured against the same yardstick and the gaps can be
ranked and put in a funnel plot (``ecm.stats.funnel``). The national gap over time, and the chosen
LA's or region's own gap (focus against comparator within the area), give the trend.

Figures come through ``ecm.figures.many_places``, after disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ecm.catalogue import series_breaks
from ecm.figures import many_places, queries
from ecm.periods import default_period, period_aliases, period_start
from ecm.places.profile import with_intervals
from ecm.stats import funnel
from ecm.stats.breaks import break_labels
from ecm.stats.gaps import compute_gaps
from ecm.stats.intervals import counts_pupils
from ecm.store.school_types import (
    MAINSTREAM,
    SPECIAL,
    STATE_FUNDED,
    comparison_phase,
    school_set_words,
)

LEVELS = ("school", "la", "region")
LEVEL_NOUNS = {"school": "schools", "la": "local authorities", "region": "regions"}
#: Places whose focus group is known to hold fewer pupils than this are not ranked: one or two
#: pupils swing a tiny group's gap from widest to narrowest. They stay in the table of every
#: place, unranked.
MIN_RANKED_PUPILS = 10


@dataclass
class GapExploration:
    """What the gap explorer shows for one indicator, group, level and period."""

    indicator: dict
    focus_group: str
    comparator_group: str
    level: str
    period: str | None
    periods: list[str]
    gaps: pd.DataFrame  # one row per place, widest gap first
    limits: pd.DataFrame = field(default_factory=pd.DataFrame)  # funnel limits by size
    centre: float | None = None  # the national gap
    # name, period, value, lower, upper, series_break
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: dict = field(default_factory=dict)
    # Which schools are compared (``ecm.store.school_types``): state-funded ones, or all;
    # and of which kind: mainstream schools, or special schools (never the two together).
    compared_with: str = STATE_FUNDED
    kind: str = MAINSTREAM

    @property
    def places_words(self) -> str:
        """The places compared, with their number, in words: "68 state-funded schools",
        "all 89 schools (independent schools included)", "152 local authorities"."""
        count = self.summary.get("places", 0)
        if self.level == "school":
            phase = self.summary.get("phase")
            return school_set_words(phase, self.compared_with, count, kind=self.kind)
        return f"{count:,} {LEVEL_NOUNS[self.level]}"


def explore_gaps(
    engine: Engine,
    indicator: str,
    focus_group: str,
    level: str,
    period: str | None = None,
    within: tuple[str, str] | None = None,
    schools: str = STATE_FUNDED,
    kind: str = MAINSTREAM,
) -> GapExploration:
    """Every place's gap at ``level`` (optionally only those in an LA or region, ``within`` =
    ``("la", code)`` or ``("region", code)``) for ``period`` (default: the latest); schools
    among the set ``schools``: state-funded ones (DfE's comparisons), or ``all``; and of the
    ``kind`` mainstream (the default) or special: special schools are compared with special
    schools only (``ecm.store.school_types.is_special``)."""
    if kind not in (MAINSTREAM, SPECIAL):
        raise ValueError(f"kind must be {MAINSTREAM} or {SPECIAL}, not {kind!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    catalogue = queries.load_indicators(engine)
    meta = catalogue.set_index("code").loc[indicator]
    groups = queries.load_pupil_groups(engine).set_index("code")
    comparator = groups.loc[focus_group, "comparator_code"]
    if not isinstance(comparator, str) or not comparator:
        raise ValueError(f"{focus_group!r} has no comparator group")
    pair = [focus_group, comparator]
    national = many_places.load_national_series(engine, indicator, pair)
    periods = sorted(national["period"].unique(), key=period_start)
    indicator_record = {"code": indicator, **{k: meta[k] for k in ("title", "unit", "polarity")}}
    if not periods:
        return GapExploration(
            indicator_record, focus_group, comparator, level, None, [], _empty(),
            compared_with=schools, kind=kind,
        )  # fmt: skip
    period = period if period in periods else _default_period(national, pair)
    figures = many_places.load_level_figures(
        engine, indicator, level, period_aliases(period), pair, within
    )
    figures = with_intervals(pd.concat([national, figures], ignore_index=True), catalogue)
    country = national["area_code"].iloc[0]
    gaps = compute_gaps(
        figures[figures["period"].isin(period_aliases(period))],
        catalogue,
        {focus_group: comparator},
        national_code=country,
        kinds=("vs_national", "within"),
    )
    centre_row = gaps[(gaps["kind"] == "within") & (gaps["level"] == "england")]
    centre = float(centre_row["gap"].iloc[0]) if not centre_row.empty else None
    places = gaps[(gaps["kind"] == "vs_national") & (gaps["level"] == level)]
    if level == "school" and schools == STATE_FUNDED:
        # Schools are compared among state-funded schools, as the national centre is theirs,
        # unless all schools were chosen (the centre stays the state-funded national gap).
        places = places[~places["area_code"].isin(many_places.not_state_funded_schools(engine))]
    places = _with_sizes_and_names(engine, places, figures, level, focus_group)
    other_kind = 0
    if level == "school":
        places, other_kind = _of_kind(places, kind)
    limits = pd.DataFrame()
    national_focus = figures[
        (figures["level"] == "england")
        & (figures["group_code"] == focus_group)
        & figures["period"].isin(period_aliases(period))
    ]
    if (
        centre is not None
        and not national_focus.empty
        and (places["size"].notna() & places["gap"].notna()).any()
        and _counts_pupils(figures, level, focus_group)
    ):
        sd = funnel.pupil_sd(
            places["focus_value"], places["focus_lower"], places["focus_upper"], places["size"]
        )
        args = (
            meta["statistic"],
            _centre_value(national_focus.iloc[0], float(meta["multiplier"])),
            float(meta["multiplier"]),
        )
        # The gap is sign x (national comparator - focus figure): limits carry over turned.
        sign = -1.0 if meta["polarity"] == "lower_is_better" else 1.0
        limits = funnel.funnel_limits(centre, *args, float(places["size"].max()), sd, sign=sign)
        # Placed beyond a limit only if both ends of the derived numerators' rounding are.
        ends = (places["gap_least"], places["gap_most"])
        places["position"] = funnel.positions(
            places["gap"], places["size"], centre, *args, sd, sign=sign, gap_range=ends
        )
        if limits["upper95"].isna().all():
            # Means published without intervals (Attainment 8) give no pupil-level spread,
            # so no limits: no funnel rather than one with no lines and unplaced points.
            limits = pd.DataFrame()
    else:
        places["position"] = None
    places = places.sort_values("gap", ascending=False, na_position="last").reset_index(drop=True)
    places = with_ranks(places)
    trend = _trend(engine, national, catalogue, focus_group, comparator, within, period)
    return GapExploration(
        indicator_record,
        focus_group,
        comparator,
        level,
        period,
        periods,
        places,
        limits,
        centre,
        trend,
        {**_summary(places, centre), **_kind_summary(places, level, other_kind)},
        compared_with=schools,
        kind=kind,
    )


def with_ranks(places: pd.DataFrame) -> pd.DataFrame:
    """``places`` with ``rank`` (1 = widest gap) and ``rank_narrow`` (1 = narrowest) among the
    places ranked: those with a gap whose focus group is not known to hold fewer than
    :data:`MIN_RANKED_PUPILS` pupils (a place without a published size is ranked). Ties share
    a rank (the lowest of the ranks they span: two widest gaps are both 1, the next is 3);
    places not ranked have none."""
    tiny = places["size"].notna() & (places["size"] < MIN_RANKED_PUPILS)
    # Ranked on the gap as shown (to one decimal place): gaps that read the same are tied.
    ranked = places["gap"].round(1).where(~tiny)
    return places.assign(
        rank=ranked.rank(ascending=False, method="min").astype("Int64"),
        rank_narrow=ranked.rank(ascending=True, method="min").astype("Int64"),
        too_small=tiny & places["gap"].notna(),
    )


def _centre_value(national_focus: pd.Series, multiplier: float) -> float:
    """The national focus figure the funnel is centred on, worked out as the centre (the
    national gap) was: from its counts where it has them, else its published value. A group at
    0% then sits exactly on a clipped limit rather than beyond it by a rounding difference."""
    numerator, denominator = national_focus["numerator"], national_focus["denominator"]
    if pd.notna(numerator) and pd.notna(denominator) and denominator > 0:
        return float(numerator) / float(denominator) * multiplier
    return float(national_focus["value"])


def _default_period(national: pd.DataFrame, pair: list[str]) -> str:
    """The latest year in which both groups' national figures can be tested, else the usual
    default: a gap needs both."""
    testable = national[
        national["value"].notna() & (national["denominator"].notna() | national["lower_ci"].notna())
    ]
    both = [p for p, rows in testable.groupby("period") if set(pair) <= set(rows["group_code"])]
    return max(both, key=period_start) if both else default_period(national)


def _counts_pupils(figures: pd.DataFrame, level: str, focus_group: str) -> bool:
    """Whether the figures' denominators count pupils, as the funnel's binomial model needs.
    Absence rates count sessions (hundreds per pupil): a funnel on them would be far too
    narrow, so none is drawn."""
    rows = figures[(figures["level"] == level) & (figures["group_code"] == focus_group)]
    both = rows[rows["pupils"].notna() & rows["denominator"].notna()]
    return both.empty or bool(counts_pupils(both["denominator"], both["pupils"]).mean() >= 0.9)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "area_code", "name", "gap", "lower", "upper", "significant", "size", "position",
            "rank", "rank_narrow", "too_small",
        ]
    )  # fmt: skip


def _with_sizes_and_names(
    engine: Engine, places: pd.DataFrame, figures: pd.DataFrame, level: str, focus_group: str
) -> pd.DataFrame:
    """Each place's focus-group size and interval, and its name, LA and region."""
    focus = figures[(figures["level"] == level) & (figures["group_code"] == focus_group)]
    # The group's size is its pupils: for absence the denominator counts sessions.
    focus = focus.assign(size=focus["pupils"].fillna(focus["denominator"]))[
        ["area_code", "size", "lower_ci", "upper_ci", "suppressed"]
    ].rename(columns={"lower_ci": "focus_lower", "upper_ci": "focus_upper"})
    merged = places.drop(columns=["suppressed"]).merge(focus, on="area_code", how="left")
    names = many_places.load_place_names(engine, level, list(merged["area_code"]))
    return merged.merge(names, on="area_code", how="left")


def _of_kind(places: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, int]:
    """The schools of ``kind`` (mainstream or special), and how many of the other kind were
    left out: a special school's pupils and results are not like a mainstream school's, so
    the two are never ranked or put in one funnel together."""
    # (A place the store has no school for has neither column: a mainstream school of no
    # known phase.)
    none = pd.Series(None, index=places.index, dtype=object)
    phases = [
        comparison_phase(p if isinstance(p, str) else None, t if isinstance(t, str) else None)
        for p, t in zip(places.get("phase", none), places.get("school_type", none), strict=True)
    ]
    places = places.assign(phase=phases)
    special = places["phase"] == SPECIAL
    keep = special if kind == SPECIAL else ~special
    return places[keep].reset_index(drop=True), int((~keep).sum())


def _kind_summary(places: pd.DataFrame, level: str, other_kind: int) -> dict:
    """For schools: the one phase the compared schools share (None if they are of several
    or none is known) and how many schools of the other kind were left out."""
    if level != "school":
        return {}
    phases = set(places["phase"].dropna())
    return {"phase": phases.pop() if len(phases) == 1 else None, "other_kind": other_kind}


def _trend(
    engine: Engine,
    national: pd.DataFrame,
    catalogue: pd.DataFrame,
    focus_group: str,
    comparator: str,
    within: tuple[str, str] | None,
    period: str,
) -> pd.DataFrame:
    """The national gap by period, and the chosen LA's or region's own gap beside it, with
    series_break marking the first period after a series break."""
    series = [("England", national)]
    if within is not None:
        own = many_places.load_area_series(
            engine,
            indicator=national["indicator_code"].iloc[0],
            level=within[0],
            code=within[1],
            groups=[focus_group, comparator],
        )
        name = many_places.load_place_names(engine, within[0], [within[1]])
        series.append((name["name"].iloc[0] if not name.empty else within[1], own))
    frames = []
    for name, rows in series:
        rows = rows[rows["period"].map(period_start) <= period_start(period)]
        if rows.empty:
            continue
        gaps = compute_gaps(
            with_intervals(rows, catalogue), catalogue, {focus_group: comparator}, kinds=("within",)
        )
        frames.append(
            gaps.assign(name=name)[["name", "period", "gap", "lower", "upper"]].rename(
                columns={"gap": "value"}
            )
        )
    if not frames:
        return pd.DataFrame(columns=["name", "period", "value", "lower", "upper", "series_break"])
    out = pd.concat(frames, ignore_index=True)
    code = str(national["indicator_code"].iloc[0])
    out = out.assign(series_break=break_labels(out["period"], code, series_breaks()))
    return out.iloc[np.argsort(out["period"].map(period_start).to_numpy(), kind="stable")]


def _summary(places: pd.DataFrame, centre: float | None) -> dict:
    """Counts people ask first: how many places, how many significantly wider than nothing."""
    shown = places[places["gap"].notna()]
    return {
        "places": int(len(places)),
        "with_figures": int(len(shown)),
        "with_sizes": int(shown["size"].notna().sum()) if "size" in shown else 0,
        "significant": int(shown["significant"].fillna(False).astype(bool).sum()),
        "focus_worse": int(((shown["gap"] > 0) & shown["significant"].astype(bool)).sum()),
        "above_998": int((places.get("position") == "above 99.8%").sum()),
        "ranked": int(places["rank"].notna().sum()) if "rank" in places else 0,
        "too_small": int(places["too_small"].sum()) if "too_small" in places else 0,
        "median_gap": float(shown["gap"].median()) if not shown.empty else None,
        "national_gap": centre,
    }
