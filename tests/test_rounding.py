"""Rounding error of derived numerators, carried into comparisons (ecm.stats.rounding).

DfE publishes whole percents with a cohort size; the importer derives the numerator and keeps
the range of whole numerators the percentage allows. A gap, a benchmark or a funnel position is
called significant only if it holds at both ends of every derived numerator involved.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from ecm.disclosure.rules import redact
from ecm.importers.values import numerator_range
from ecm.places.profile import build_profile
from ecm.stats import funnel
from ecm.stats.benchmarks import BETTER, SIMILAR, compare
from ecm.stats.gaps import gap_between
from ecm.stats.intervals import proportion_ci
from ecm.stats.rounding import value_range, widest_limits
from ecm.views.profile_tables import significance_word, trend_text
from tests.helpers import read


def _rounds_to(numerator: int, denominator: int) -> int:
    """The whole percent a publisher rounding halves up would print."""
    return math.floor(100 * numerator / denominator + 0.5)


def test_numerator_range_of_published_percentages() -> None:
    assert numerator_range(53, 30, 0.5) == (16, 16)  # 15.75 to 16.05
    assert numerator_range(53, 200, 0.5) == (105, 107)  # 52.5% to 53.5%
    assert numerator_range(0, 10, 0.5) == (0, 0)
    assert numerator_range(100, 50, 0.5) == (50, 50)
    assert numerator_range(12.5, 8, 0.05) == (1, 1)  # no floating-point loss at 12.5% of 8
    assert numerator_range(50, 7, 0.5) is None  # 3 of 7 is 42.9%, 4 is 57.1%: figures disagree
    assert numerator_range(50, 0, 0.5) is None


@settings(max_examples=300, deadline=None)
@given(denominator=st.integers(1, 3_000), share=st.floats(0, 1))
def test_numerator_range_holds_the_truth_and_only_numerators_that_round_alike(
    denominator: int, share: float
) -> None:
    truth = round(share * denominator)
    percent = _rounds_to(truth, denominator)
    low, high = numerator_range(percent, denominator, 0.5)
    assert low <= truth <= high
    assert low <= round(percent * denominator / 100) <= high  # the derived numerator too
    for k in (low, high):
        assert abs(100 * k / denominator - percent) <= 0.5 + 1e-9


def _figure(numerator: float, denominator: float, low: float, high: float) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "value": [numerator / denominator * 100],
            "numerator": [float(numerator)],
            "numerator_low": [float(low)],
            "numerator_high": [float(high)],
            "denominator": [float(denominator)],
        }
    )
    return frame.assign(lower_ci=np.nan, upper_ci=np.nan)


def _gap(focus: pd.DataFrame, comparator: pd.DataFrame) -> pd.Series:
    return gap_between(focus, comparator, "proportion", "higher_is_better", 100.0).iloc[0]


def test_a_gap_significant_only_at_the_point_value_is_lost_to_rounding() -> None:
    # School 116482's KS2 2018/19 expected standard (below): 19/32 against 89/115 (77%) is
    # significant; 88/115 (76.5%, also printed 77%) is not.
    exact = _gap(_figure(19, 32, 19, 19), _figure(89, 115, 89, 89))
    rounded = _gap(_figure(19, 32, 19, 19), _figure(89, 115, 88, 89))
    assert bool(exact["significant"]) and not bool(exact["lost_to_rounding"])
    assert not bool(rounded["significant"]) and bool(rounded["lost_to_rounding"])
    # The interval shown is the point value's either way.
    assert rounded["lower"] == exact["lower"] and rounded["upper"] == exact["upper"]
    assert rounded["gap_least"] == exact["gap"] - (100 / 115)
    assert rounded["gap_most"] == exact["gap"]


def _widened(numerator: int, denominator: int, low_by: int, high_by: int) -> tuple[int, int]:
    return max(0, numerator - low_by), min(denominator, numerator + high_by)


def _steps(narrow: tuple[int, ...], more: tuple[int, ...]) -> list[tuple[int, ...]]:
    """No range, a range, and a wider one (each end moved out by ``more``)."""
    return [(0, 0, 0, 0), narrow, tuple(a + b for a, b in zip(narrow, more, strict=True))]


counts = st.integers(1, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)))
spreads = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6), st.integers(0, 6))


@settings(max_examples=300, deadline=None)
@given(focus=counts, comparator=counts, narrow=spreads, more=spreads)
def test_widening_the_rounding_range_never_creates_a_significant_gap(
    focus, comparator, narrow, more
) -> None:  # noqa: ANN001
    (n1, k1), (n2, k2) = focus, comparator
    verdicts = []
    for spread in _steps(narrow, more):
        first = _figure(k1, n1, *_widened(k1, n1, spread[0], spread[1]))
        second = _figure(k2, n2, *_widened(k2, n2, spread[2], spread[3]))
        row = _gap(first, second)
        verdicts.append(bool(row["significant"]))
        assert row["gap_least"] <= row["gap"] <= row["gap_most"]
    # no range -> narrow range -> wider range: significance can only be lost.
    assert verdicts[0] >= verdicts[1] >= verdicts[2]


@settings(max_examples=300, deadline=None)
@given(figure=counts, comparator=counts, narrow=spreads, more=spreads)
def test_widening_the_rounding_range_never_creates_a_benchmark_difference(
    figure, comparator, narrow, more
) -> None:  # noqa: ANN001
    (n, k), (m, j) = figure, comparator
    value, lower, upper = (np.atleast_1d(a) for a in proportion_ci(k, n, multiplier=100))
    different = []
    for spread in _steps(narrow, more):
        low, high = _widened(k, n, spread[0], spread[1])
        c_low, c_high = _widened(j, m, spread[2], spread[3])
        widest = widest_limits("proportion", [k], [low], [high], [n], multiplier=100)
        ends = value_range([j / m * 100], [j], [c_low], [c_high], [m], 100)
        word = compare(
            value, lower, upper, [j / m * 100], "higher_is_better",
            widest=widest, comparator_range=ends,
        )[0]  # fmt: skip
        different.append(word != SIMILAR)
    assert different[0] >= different[1] >= different[2]


def test_a_comparator_rounded_to_a_whole_percent_is_tested_at_its_far_end() -> None:
    # 700 of 1,000 (70%, 67.1 to 72.8) is better than England's 67%, but not than 67.5%, the
    # most a printed 67% of 649,000 pupils can be.
    value, lower, upper = (np.atleast_1d(a) for a in proportion_ci(700, 1000, multiplier=100))
    assert compare(value, lower, upper, [67.0], "higher_is_better")[0] == BETTER
    assert lower[0] > 67.0 and lower[0] < 67.49
    england = value_range([67.0], [434_830], [431_585], [438_075], [649_000], 100)
    assert england[0][0] < 67.0 < england[1][0]
    word = compare(
        value, lower, upper, [67.0], "higher_is_better", comparator_range=england
    )[0]  # fmt: skip
    assert word == SIMILAR


def test_a_comparator_with_published_counts_is_compared_as_its_counts_give_it() -> None:
    # The real KS4 destinations of 2018/19, other pupils: an LA's 6,248 of 6,476 (published
    # "96") and England's 371,352 of 386,094 (published "96", truly 96.18). The LA's interval
    # (96.00 to 96.90) excludes the printed 96 but holds England's true value: similar, not
    # better.
    from ecm.places.profile import with_intervals

    catalogue = pd.DataFrame(
        {"code": ["overall_destper"], "statistic": ["proportion"],
         "polarity": ["higher_is_better"], "multiplier": [100.0]}
    )  # fmt: skip
    figures = pd.DataFrame(
        {
            "indicator_code": "overall_destper",
            "level": ["la", "england"],
            "value": [96.0, 96.0],
            "numerator": [6248.0, 371352.0],
            "numerator_low": np.nan,
            "numerator_high": np.nan,
            "denominator": [6476.0, 386094.0],
            "lower_ci": np.nan,
            "upper_ci": np.nan,
        }
    )
    shown = with_intervals(figures, catalogue)
    la, england = shown.iloc[0], shown.iloc[1]
    assert 96.0 < la["lower_ci"] < 96.01 and 96.90 < la["upper_ci"] < 96.91
    assert england["value_least"] == england["value_most"] == 100 * 371352 / 386094
    words = compare(
        [la["value"]], [la["lower_ci"]], [la["upper_ci"]], [england["value"]],
        "higher_is_better",
        comparator_range=([england["value_least"]], [england["value_most"]]),
    )  # fmt: skip
    assert words[0] == SIMILAR


def test_a_funnel_position_needs_both_ends_beyond_the_limit() -> None:
    args = (0.0, "proportion", 50.0, 100.0)
    # n = 100 at 50%: the exact 95% upper limit is 10.32 points, so 10.5 is above it.
    assert funnel.positions([10.5], [100], *args)[0] == "above 95%"
    held = funnel.positions([10.5], [100], *args, gap_range=([10.4], [11.0]))
    lost = funnel.positions([10.5], [100], *args, gap_range=([10.0], [11.0]))
    straddles = funnel.positions([1.0], [100], *args, gap_range=([-1.0], [2.0]))
    assert held[0] == "above 95%" and lost[0] == "within" and straddles[0] == "within"


def test_a_withheld_figure_keeps_no_numerator_range() -> None:
    figures = _figure(3, 20, 3, 3).assign(indicator_code="ptrwm_exp")
    shown = redact(figures, np.array([False]))
    hidden = redact(figures, np.array([True]))
    assert shown.loc[0, "numerator_low"] == 3
    assert hidden[["numerator", "numerator_low", "numerator_high"]].isna().all(axis=None)


def test_real_ks2_school_gap_lost_to_rounding(real_stores) -> None:  # noqa: ANN001
    """Hampshire KS2 2018/19, school 116482: 19 of 32 disadvantaged pupils (59%) against 77% of
    115 other pupils at the expected standard. 77% of 115 is 88 or 89 pupils; the gap is
    significant at 89 and not at 88, so it is not called significant."""
    engine = create_engine(real_stores.url("ks2_only"))
    stored = read(
        engine,
        "SELECT group_code, numerator, numerator_low, numerator_high FROM observation "
        "WHERE area_code = '116482' AND indicator_code = 'ptrwm_exp' AND period = '2018/19' "
        "AND numerator IS NOT NULL ORDER BY group_code",
    )
    assert [tuple(r) for r in stored] == [
        ("all", 107, 107, 108),
        ("boys", 52, 52, 52),
        ("disadvantaged", 19, 19, 19),
        ("girls", 55, 55, 55),
        ("not_disadvantaged", 89, 88, 89),
    ]
    # A published progress score has no derived numerator, so no range.
    assert read(
        engine,
        "SELECT COUNT(*) FROM observation WHERE indicator_code = 'readprog' "
        "AND numerator_low IS NOT NULL",
    ) == [(0,)]
    profile = build_profile(engine, "school", "116482", "2018/19")
    (gap,) = [
        g
        for g in profile["gaps"]
        if g["indicator"] == "ptrwm_exp" and g["kind"] == "within"
        and g["focus_group"] == "disadvantaged"
    ]  # fmt: skip
    assert gap["significant"] is False and gap["lost_to_rounding"] is True
    assert round(gap["gap"], 1) == 18.0  # 77.4% - 59.4%, from the derived point numerators
    assert gap["lower"] > 0  # the interval shown is the point value's, and excludes zero


def test_the_profile_table_says_why_a_gap_is_not_significant() -> None:
    assert significance_word(False, 1.0, 5.0, True) == "no, not once rounding is allowed for"
    assert significance_word(False, -1.0, 5.0) == "no"
    assert significance_word(True, 1.0, 5.0) == "yes"
    assert significance_word(False, None, None, True) == "not tested"


def test_the_profile_table_says_a_trend_was_lost_to_rounding() -> None:
    lost = {"trend": "no significant change", "trend_lost_to_rounding": True, "red_red": False}
    assert trend_text(lost) == (
        "no significant change (significant only before rounding is allowed for)"
    )
    kept = {"trend": "getting worse", "trend_lost_to_rounding": False, "red_red": True}
    assert trend_text(kept) == "getting worse · red-red"
