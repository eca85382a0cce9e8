"""Benchmarks: better, similar or worse than a comparator; ranks, quartiles and red-reds.

The Fingertips rule: a figure is significantly better or worse than a comparator when the
comparator's value lies outside the figure's confidence interval (95% or 99.8%); otherwise it is
similar. Polarity says which side is better; for ``neither`` the words are higher and lower.
Quartile bands follow the DfE Local Authority Interactive Tool (LAIT): A is the best quarter of
the comparison set by polarity, D the worst. Pure functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not compared"
HIGHER, LOWER = "higher", "lower"
#: FSM bands for "similar schools" (same phase and band), in per cent of pupils eligible.
FSM_BANDS = (0, 8, 20, 35, 50, 101)
FSM_BAND_LABELS = ("0-8%", "8-20%", "20-35%", "35-50%", "50%+")


#: The publisher's words for its test against England that :func:`compare` can use.
PUBLISHED_WORDS = ("better", "similar", "worse", "higher", "lower")


def compare(
    value: pd.Series | np.ndarray,
    lower: pd.Series | np.ndarray,
    upper: pd.Series | np.ndarray,
    comparator: pd.Series | np.ndarray,
    polarity: str | pd.Series,
    published: pd.Series | np.ndarray | None = None,
    *,
    widest: tuple[pd.Series | np.ndarray, pd.Series | np.ndarray] | None = None,
    comparator_range: tuple[pd.Series | np.ndarray, pd.Series | np.ndarray] | None = None,
) -> np.ndarray:
    """Better / similar / worse (or higher / similar / lower) against ``comparator``, row by row.

    A row is tested by its interval: different when the interval excludes the comparator.
    Where the figure's or the comparator's numerator was derived from a rounded percentage,
    ``widest`` (the figure's lowest lower and highest upper limit over the numerators its
    rounding allows, :func:`ecm.stats.rounding.widest_limits`) and ``comparator_range`` (the
    least and greatest comparator value, :func:`ecm.stats.rounding.value_range`) make the
    difference hold at every end: the figure is above only if its lowest lower limit is above
    the comparator's greatest value, and the other way round (NaN entries fall back to the
    point values).
    A row without an interval is tested by ``published``, the publisher's own test against the
    same comparator where it gives one (Fingertips' "compared to England"): its word says only
    whether the two differ, the direction is the value's against the comparator, and the
    catalogue's polarity says which way is better. Other rows are ``not compared``.
    """
    value, lower, upper, comparator = (
        np.asarray(a, float) for a in (value, lower, upper, comparator)
    )
    polarity = np.broadcast_to(np.asarray(polarity, dtype=object), value.shape)
    figures = ~(np.isnan(comparator) | np.isnan(value))
    testable = figures & ~(np.isnan(lower) | np.isnan(upper))
    above = testable & (lower > comparator)
    below = testable & (upper < comparator)
    if widest is not None or comparator_range is not None:
        least, most = _or_point(widest, lower, upper)
        comparator_least, comparator_most = _or_point(comparator_range, comparator, comparator)
        above &= least > comparator_most
        below &= most < comparator_least
    if published is not None:
        words = pd.Series(np.asarray(published, dtype=object)).fillna("").to_numpy()
        by_publisher = figures & ~testable & np.isin(words, PUBLISHED_WORDS)
        different = by_publisher & (words != SIMILAR)
        above |= different & (value > comparator)
        below |= different & (value < comparator)
        testable = testable | by_publisher
    higher_better = polarity == "higher_is_better"
    lower_better = polarity == "lower_is_better"
    result = np.full(value.shape, NOT_COMPARED, dtype=object)
    result[testable] = SIMILAR
    result[above & higher_better] = BETTER
    result[below & higher_better] = WORSE
    result[above & lower_better] = WORSE
    result[below & lower_better] = BETTER
    neither = ~(higher_better | lower_better)
    result[above & neither] = HIGHER
    result[below & neither] = LOWER
    if published is not None:
        # A publisher's word the figures contradict (its England is not the store's, or its
        # polarity not the catalogue's) is not used: better nothing than the wrong word.
        contradicted = by_publisher & (
            ((words == BETTER) & (result == WORSE))
            | ((words == WORSE) & (result == BETTER))
            | ((words == HIGHER) & below)
            | ((words == LOWER) & above)
        )
        result[contradicted] = NOT_COMPARED
    return result


def _or_point(
    extremes: tuple[pd.Series | np.ndarray, pd.Series | np.ndarray] | None,
    low: np.ndarray,
    high: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``extremes`` as float arrays, each missing entry the point value's (``low``, ``high``)."""
    if extremes is None:
        return low, high
    least, most = (np.broadcast_to(np.asarray(a, float), low.shape) for a in extremes)
    return np.where(np.isnan(least), low, least), np.where(np.isnan(most), high, most)


def rank_best_first(values: pd.Series, polarity: str) -> pd.Series:
    """Rank within the set, 1 = best by polarity (ties share the lowest rank); NaN unranked."""
    ascending = polarity == "lower_is_better"
    return values.rank(method="min", ascending=ascending)


def quartile_band(values: pd.Series, polarity: str) -> pd.Series:
    """LAIT's quartile bands A (best quarter) to D (worst) within the set; None when missing.

    For ``neither`` polarity the bands run from the highest values (A) to the lowest (D), as
    LAIT shows context measures.
    """
    valid = values.dropna()
    bands = pd.Series(None, index=values.index, dtype=object)
    if valid.empty:
        return bands
    # The rank shown beside the band over the number ranked, then four equal bands: places that
    # tie share the better rank (:func:`rank_best_first`) and so the better band, and a band
    # never disagrees with the rank printed next to it.
    position = (rank_best_first(valid, polarity) / len(valid)).to_numpy()
    # The bands (0, 0.25], (0.25, 0.5], (0.5, 0.75], (0.75, 1], without pd.cut's overhead
    # (a profile ranks each of its figures in turn).
    bands[valid.index] = np.select(
        [position <= 0.25, position <= 0.5, position <= 0.75], ["A", "B", "C"], "D"
    )
    return bands.astype(object).where(bands.notna(), None)


BEST_QUARTER, SECOND_QUARTER, THIRD_QUARTER, WORST_QUARTER = (
    "best quarter", "second quarter", "third quarter", "worst quarter"
)  # fmt: skip
#: LAIT's quartile bands in words. A band is a position among the places ranked, not a test:
#: these words are kept apart from better / similar / worse so that nothing untested is ever
#: read as significant, as Fingertips keeps its quintiles apart from its significance colours.
QUARTER_WORDS = {"A": BEST_QUARTER, "B": SECOND_QUARTER, "C": THIRD_QUARTER, "D": WORST_QUARTER}


def standing(comparison: str, band: object, polarity: str) -> str:
    """How a figure stands against England: its tested comparison where one could be made,
    else its quartile band among the places ranked in words (indicators with a better
    direction only: a context measure's band says nothing about how well a place does), else
    ``not compared``."""
    if comparison != NOT_COMPARED:
        return comparison
    if polarity in ("higher_is_better", "lower_is_better") and isinstance(band, str):
        return QUARTER_WORDS.get(band, NOT_COMPARED)
    return NOT_COMPARED


def fsm_band(percent_fsm: pd.Series | np.ndarray) -> pd.Series:
    """The FSM band of each school (for similar-school comparisons)."""
    return pd.cut(
        pd.Series(percent_fsm, dtype=float), FSM_BANDS, labels=FSM_BAND_LABELS, right=False
    ).astype(object)


def pooled_value(frame: pd.DataFrame, by: list[str], multiplier: pd.Series | float) -> pd.DataFrame:
    """Sum numerators and denominators within ``by`` over the rows where both are known, and
    give the pooled value, with how many rows it rests on (``schools``) and how many were
    ``left_out`` for a missing count.

    Used for comparator values such as similar schools (all schools of the same phase and FSM
    band together). A row with a withheld numerator but a known denominator (a school whose
    figure its publisher suppressed) is left out whole: summed column by column it would add
    its pupils to the denominator and nothing to the numerator.
    """
    counted = frame["numerator"].notna() & frame["denominator"].notna()
    known = frame.assign(
        numerator=frame["numerator"].where(counted),
        denominator=frame["denominator"].where(counted),
        schools=counted.astype(int),
        left_out=(~counted).astype(int),
    )
    summed = known.groupby(by, as_index=False).agg(
        numerator=("numerator", lambda s: s.sum(min_count=1)),
        denominator=("denominator", lambda s: s.sum(min_count=1)),
        schools=("schools", "sum"),
        left_out=("left_out", "sum"),
    )
    multipliers = (
        multiplier if np.isscalar(multiplier) else summed["indicator_code"].map(multiplier)
    )
    summed["value"] = summed["numerator"] / summed["denominator"] * multipliers
    return summed


def red_red(comparison_with_england: str, polarity_trend: str) -> bool:
    """Significantly worse than England and getting worse: the Fingertips "red-red"."""
    return comparison_with_england == WORSE and polarity_trend == "getting worse"
