"""Gaps between a focus group and its comparator, with intervals and significance.

A gap is signed by the indicator's polarity so that a positive gap always means the focus group
is worse off, in the indicator's unit (percentage points for percentages). Three kinds:

- ``within``: the focus group against the comparator group in the same school or area;
- ``vs_la``: a school's focus group against the comparator group across its LA;
- ``vs_national``: the focus group against the comparator group nationally, as the DfE
  performance tables' ``DIFFN_*`` columns publish (disadvantaged pupils in the school against
  other pupils in England).

Intervals: Newcombe's hybrid score method for proportions, MOVER with exact Poisson limits for
rates, and MOVER from each figure's own interval where only published limits exist (e.g. means
such as Progress 8). Indicators with polarity ``neither`` have no better or worse, so no gaps. Pure
functions on DataFrames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecm.stats import intervals as stats
from ecm.stats import rounding

GAP_KINDS = ("within", "vs_la", "vs_national")
#: The columns of a figure a gap is computed from (the numerator's range where it was derived
#: from a rounded percentage, :mod:`ecm.stats.rounding`).
FIGURE_PARTS = (
    "value",
    "numerator",
    "numerator_low",
    "numerator_high",
    "denominator",
    "lower_ci",
    "upper_ci",
)
KEY = ["indicator_code", "period"]
GAP_COLUMNS = [
    "indicator_code",
    "level",
    "area_code",
    "period",
    "focus_group",
    "comparator_group",
    "kind",
    "focus_value",
    "comparator_value",
    "gap",
    "lower",
    "upper",
    "gap_least",
    "gap_most",
    "significant",
    "significant_998",
    "lost_to_rounding",
    "suppressed",
]


def polarity_sign(polarity: str | pd.Series) -> float | np.ndarray:
    """+1 where higher is better, -1 where lower is better, NaN for ``neither``.

    A gap is ``sign * (comparator - focus)``: positive when the focus group is worse off.
    """
    mapping = {"higher_is_better": 1.0, "lower_is_better": -1.0}
    if isinstance(polarity, str):
        return mapping.get(polarity, np.nan)
    return polarity.map(mapping).astype(float).to_numpy()


def gap_between(
    focus: pd.DataFrame,
    comparator: pd.DataFrame,
    statistic: str | pd.Series,
    polarity: str | pd.Series,
    multiplier: float | pd.Series,
    confidence: float = stats.CONFIDENCE_95,
) -> pd.DataFrame:
    """Signed gaps row by row between two aligned frames of figures.

    Each frame has ``value, numerator, denominator, lower_ci, upper_ci`` and optionally
    ``numerator_low, numerator_high`` (missing allowed); ``statistic``, ``polarity`` and
    ``multiplier`` are one value or one per row. Counts give the interval where both rows have
    them (Newcombe for proportions, MOVER with exact Poisson limits for rates); otherwise each
    figure's published interval is combined by MOVER; otherwise the interval is missing and
    nothing is significant.

    A gap from counts is significant only if its interval excludes zero at every numerator the
    figures' roundings allow (:mod:`ecm.stats.rounding`); ``lost_to_rounding`` marks the gaps
    significant at the point value that are not once rounding is allowed for; ``gap_least``
    and ``gap_most`` are the least and greatest gap those numerators give (the gap itself where
    nothing is derived). The interval returned is the point value's.
    """
    n = len(focus)
    statistic = np.broadcast_to(np.asarray(statistic, dtype=object), n)
    multiplier = np.broadcast_to(np.asarray(multiplier, dtype=float), n)
    sign = np.broadcast_to(
        polarity_sign(polarity if isinstance(polarity, pd.Series) else pd.Series([polarity] * n)),
        n,
    )
    has_counts = (
        focus["numerator"].notna()
        & focus["denominator"].notna()
        & comparator["numerator"].notna()
        & comparator["denominator"].notna()
    ).to_numpy()
    value = comparator["value"].to_numpy(float) - focus["value"].to_numpy(float)
    mover = stats.interval_difference_ci(
        comparator["value"].to_numpy(float),
        comparator["lower_ci"].to_numpy(float),
        comparator["upper_ci"].to_numpy(float),
        focus["value"].to_numpy(float),
        focus["lower_ci"].to_numpy(float),
        focus["upper_ci"].to_numpy(float),
    )
    lower, upper = np.array(mover.lower, float), np.array(mover.upper, float)
    first = _counts(comparator)
    second = _counts(focus)
    # Whether the verdict holds at the ends of the derived numerators' ranges (True where
    # there are no counts: a published interval has no rounding of ours to allow for).
    holds = np.ones(n, dtype=bool)
    for kind in ("proportion", "rate"):
        rows = has_counts & (statistic == kind)
        if rows.any():
            # comparator - focus; the sign below turns it into "positive = focus worse off".
            diff = stats.difference_ci(
                kind,
                (first[0][rows], first[3][rows]),
                (second[0][rows], second[3][rows]),
                confidence,
                multiplier[rows],
            )
            value[rows], lower[rows], upper[rows] = diff.value, diff.lower, diff.upper
            widest = rounding.widest_difference_limits(
                kind,
                tuple(a[rows] for a in first),
                tuple(a[rows] for a in second),
                confidence,
                multiplier[rows],
            )
            holds[rows] = rounding.excludes(*widest)
    # The gap's least and greatest value over the numerators the roundings allow (comparator
    # at its least and focus at its most, and the other way round), never excluding the point.
    first_range = rounding.value_range(comparator["value"], *first, multiplier)
    second_range = rounding.value_range(focus["value"], *second, multiplier)
    least = np.fmin(first_range[0] - second_range[1], value)
    most = np.fmax(first_range[1] - second_range[0], value)
    flipped = sign < 0
    kept = np.where(np.isnan(sign), np.nan, 1.0)
    value = np.where(flipped, -value, value) * kept
    lower, upper = np.where(flipped, -upper, lower) * kept, np.where(flipped, -lower, upper) * kept
    least, most = np.where(flipped, -most, least) * kept, np.where(flipped, -least, most) * kept
    at_point = (lower > 0) | (upper < 0)
    return pd.DataFrame(
        {
            "gap": value,
            "lower": lower,
            "upper": upper,
            "significant": at_point & holds,
            "lost_to_rounding": at_point & ~holds,
            "gap_least": least,
            "gap_most": most,
        }
    )


def _counts(frame: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """(numerator, numerator_low, numerator_high, denominator) of a frame of figures, the
    range missing where the frame has none."""
    missing = np.full(len(frame), np.nan)
    return tuple(
        frame[c].to_numpy(float) if c in frame else missing
        for c in ("numerator", "numerator_low", "numerator_high", "denominator")
    )


def compute_gaps(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    comparators: dict[str, str],
    *,
    la_of_school: pd.Series | None = None,
    national_code: str | None = None,
    kinds: tuple[str, ...] = GAP_KINDS,
    only_area: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Every gap the observations allow, for each focus group with a comparator.

    Parameters
    ----------
    observations
        Long figures: ``indicator_code, level, area_code, group_code, period, value,
        numerator, denominator, lower_ci, upper_ci`` and optionally ``suppressed``. For
        ``vs_la`` the schools' LAs' rows must be included; for ``vs_national`` the national rows.
    indicators
        The catalogue: ``code, statistic, polarity, multiplier``.
    comparators
        Focus group code -> comparator group code.
    la_of_school
        URN -> LA code, for ``vs_la`` gaps.
    national_code
        The area code of the national rows (England, or the demo's fictional country).
    only_area
        ``(level, area_code)`` to compute one place's gaps only (a profile); default all.
    """
    obs = _prepared(observations)
    catalogue = indicators.set_index("code")
    frames = []
    # All focus groups at once: each focus row carries the code of its comparator group, and
    # comparator rows are joined on it, so each kind of gap is one merge.
    focus = obs[obs["group_code"].isin(list(comparators))].copy()
    if only_area is not None:
        focus = focus[(focus["level"] == only_area[0]) & (focus["area_code"] == only_area[1])]
    focus["pair"] = focus["group_code"].map(comparators)
    comparator = obs[obs["group_code"].isin(set(comparators.values()))].rename(
        columns={"group_code": "pair"}
    )
    comparator["group_code"] = comparator["pair"]
    if focus.empty or comparator.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    if "within" in kinds:
        frames.append(
            _pairs(focus, comparator, ["level", "area_code", "pair", *KEY], "within", catalogue)
        )
    if "vs_la" in kinds and la_of_school is not None:
        schools = focus[focus["level"] == "school"].assign(
            parent=lambda f: f["area_code"].map(la_of_school)
        )
        la_rows = comparator[comparator["level"] == "la"].rename(columns={"area_code": "parent"})
        frames.append(
            _pairs(
                schools, la_rows.drop(columns="level"), ["parent", "pair", *KEY], "vs_la", catalogue
            )
        )
    if "vs_national" in kinds and national_code is not None:
        national = comparator[
            (comparator["level"] == "england") & (comparator["area_code"] == national_code)
        ]
        local = focus[focus["level"] != "england"]
        frames.append(
            _pairs(
                local,
                national.drop(columns=["level", "area_code"]),
                ["pair", *KEY],
                "vs_national",
                catalogue,
            )
        )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=GAP_COLUMNS)
    return pd.concat(frames, ignore_index=True)[GAP_COLUMNS]


def _prepared(observations: pd.DataFrame) -> pd.DataFrame:
    """The columns gap computation needs, with missing optional ones added."""
    obs = observations.copy()
    numerators = ["numerator", "numerator_low", "numerator_high"]
    for column in FIGURE_PARTS:
        if column not in obs:
            obs[column] = np.nan
        obs[column] = pd.to_numeric(obs[column], errors="coerce").astype(float)
    if "suppressed" not in obs:
        obs["suppressed"] = False
    if "pupils" in obs:
        # Counts of absence sessions are not independent trials: no gap is tested on them.
        sessions = ~stats.counts_pupils(obs["denominator"], obs["pupils"])
        obs.loc[sessions, [*numerators, "denominator"]] = np.nan
    return obs


def _pairs(
    focus: pd.DataFrame,
    comparator: pd.DataFrame,
    on: list[str],
    kind: str,
    catalogue: pd.DataFrame,
) -> pd.DataFrame:
    """Join focus rows to comparator rows on ``on`` and compute their gaps in one pass."""
    figures = [*FIGURE_PARTS, "suppressed", "group_code"]
    merged = focus.merge(comparator[[*on, *figures]], on=on, suffixes=("", "_c"))
    polarity = merged["indicator_code"].map(catalogue["polarity"])
    keep = polarity.isin(["higher_is_better", "lower_is_better"]).to_numpy()
    merged, polarity = merged[keep], polarity[keep].reset_index(drop=True)
    if merged.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    codes = merged["indicator_code"]
    columns = list(FIGURE_PARTS)
    focus_part = merged[columns]
    comparator_part = merged[[f"{c}_c" for c in columns]].set_axis(columns, axis=1)
    arguments = (
        codes.map(catalogue["statistic"]).to_numpy(),
        polarity,
        codes.map(catalogue["multiplier"]).astype(float).to_numpy(),
    )
    result = gap_between(focus_part, comparator_part, *arguments)
    strict = gap_between(focus_part, comparator_part, *arguments, stats.CONFIDENCE_998)
    suppressed = (
        merged["suppressed"].astype(bool) | merged["suppressed_c"].astype(bool)
    ).to_numpy()
    # Text columns stay as Series (no conversion of pandas' Arrow-backed strings to objects).
    merged = merged.reset_index(drop=True)
    part = merged[["indicator_code", "level", "area_code", "period"]].assign(
        focus_group=merged["group_code"],
        comparator_group=merged["group_code_c"],
        kind=kind,
        focus_value=merged["value"],
        comparator_value=merged["value_c"],
        gap=result["gap"],
        lower=result["lower"],
        upper=result["upper"],
        gap_least=result["gap_least"],
        gap_most=result["gap_most"],
        significant=result["significant"],
        significant_998=strict["significant"],
        lost_to_rounding=result["lost_to_rounding"],
        suppressed=suppressed,
    )
    # A gap that involves a suppressed figure is itself suppressed.
    hidden = ["focus_value", "comparator_value", "gap", "lower", "upper", "gap_least", "gap_most"]
    part.loc[suppressed, hidden] = np.nan
    part.loc[suppressed, ["significant", "significant_998", "lost_to_rounding"]] = False
    return part


def verdict(significant: object, lower: object, upper: object) -> bool | None:
    """A gap's significance as a tri-state: True or False where it has an interval to be
    tested by, None (not tested) where it has none, as for Attainment 8 (a mean published
    without standard deviations or limits) or a figure published without counts."""
    if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
        return None
    return bool(significant)


def margins_from_zero(gap: float, lower: float, upper: float) -> float:
    """How far a gap lies from no gap, in its own margins of error: the gap divided by the
    half of its 95% interval on the side facing zero (about z / 1.96 for a symmetric
    interval). Unit-free, so gaps in percentage points, points and rates compare fairly; above
    1 exactly when the interval excludes zero."""
    margin = gap - lower if gap >= 0 else upper - gap
    if margin <= 0:
        return float("inf") if gap else 0.0
    return abs(gap) / margin


def gap_order(gap: dict, unit: str | None) -> tuple:
    """Significant gaps first; among them percentage gaps widest first (in percentage points),
    then gaps in other units widest relative to the comparator's value, since points and
    rates per 100,000 cannot be ranked on one scale."""
    size = gap["gap"] if gap["gap"] is not None else float("-inf")
    if unit == "%":
        return (not gap["significant"], 0, -size)
    base = abs(gap.get("comparator_value") or 0) or 1.0
    return (not gap["significant"], 1, -size / base)
