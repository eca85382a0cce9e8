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
from ecm.store.school_types import STATE_FUNDED, school_set_words

LEVELS = ("school", "la", "region")
LEVEL_NOUNS = {"school": "schools", "la": "local authorities", "region": "regions"}


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
    # Which schools are compared (``ecm.store.school_types``): state-funded ones, or all.
    compared_with: str = STATE_FUNDED

    @property
    def places_words(self) -> str:
        """The places compared, with their number, in words: "68 state-funded schools",
        "all 89 schools (independent schools included)", "152 local authorities"."""
        count = self.summary.get("places", 0)
        if self.level == "school":
            return school_set_words(None, self.compared_with, count)
        return f"{count:,} {LEVEL_NOUNS[self.level]}"


def explore_gaps(
    engine: Engine,
    indicator: str,
    focus_group: str,
    level: str,
    period: str | None = None,
    within: tuple[str, str] | None = None,
    schools: str = STATE_FUNDED,
) -> GapExploration:
    """Every place's gap at ``level`` (optionally only those in an LA or region, ``within`` =
    ``("la", code)`` or ``("region", code)``) for ``period`` (default: the latest); schools
    among the set ``schools``: state-funded ones (DfE's comparisons), or ``all``."""
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
            compared_with=schools,
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
        _summary(places, centre),
        compared_with=schools,
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
        columns=["area_code", "name", "gap", "lower", "upper", "significant", "size", "position"]
    )


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
        "median_gap": float(shown["gap"].median()) if not shown.empty else None,
        "national_gap": centre,
    }
