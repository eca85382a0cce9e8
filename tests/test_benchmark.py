"""Benchmarks by the Fingertips rule, LAIT quartile bands, ranks, FSM bands and red-reds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecm.stats.benchmarks import (
    BETTER,
    HIGHER,
    NOT_COMPARED,
    SIMILAR,
    WORSE,
    compare,
    fsm_band,
    pooled_value,
    quartile_band,
    rank_best_first,
    red_red,
)


def test_comparator_outside_the_interval_decides() -> None:
    result = compare(
        value=[60, 60, 60, 60, 60, 60],
        lower=[55, 55, 55, 55, 55, np.nan],
        upper=[65, 65, 65, 65, 65, np.nan],
        comparator=[50, 70, 58, 50, 50, 50],
        polarity=[
            "higher_is_better",
            "higher_is_better",
            "higher_is_better",
            "lower_is_better",
            "neither",
            "higher_is_better",
        ],
    )
    assert result.tolist() == [BETTER, WORSE, SIMILAR, WORSE, HIGHER, NOT_COMPARED]


def test_a_figure_without_interval_takes_the_publishers_test() -> None:
    """Fingertips says only whether a figure differs from England; the direction is the
    value's, and the catalogue's polarity says which way is better."""
    result = compare(
        value=[30, 30, 30, 20, 30, 30, 30, 30],
        lower=[np.nan] * 7 + [28],
        upper=[np.nan] * 7 + [32],
        comparator=[25] * 8,
        polarity=["lower_is_better", "lower_is_better", "higher_is_better", "lower_is_better",
                  "neither", "higher_is_better", "higher_is_better", "higher_is_better"],
        # Its word says the figure differs; the direction and polarity say which way (a word
        # they contradict, "better" above a lower-is-better England, is not used); an
        # interval, where there is one, decides instead.
        published=["worse", "better", "similar", "better", "worse", None, "not compared",
                   "similar"],
    )  # fmt: skip
    assert result.tolist() == [
        WORSE, NOT_COMPARED, SIMILAR, BETTER, HIGHER, NOT_COMPARED, NOT_COMPARED, BETTER
    ]  # fmt: skip
    # A word the figures contradict (its England is not this one) is not used.
    assert compare([30], [np.nan], [np.nan], [25], "lower_is_better", ["better"]).tolist() == [
        NOT_COMPARED
    ]
    assert compare([20], [np.nan], [np.nan], [25], "neither", ["higher"]).tolist() == [NOT_COMPARED]
    # With no comparator there is nothing to compare, whatever the publisher said.
    assert compare([30], [np.nan], [np.nan], [np.nan], "higher_is_better", ["better"]).tolist() == [
        NOT_COMPARED
    ]


def test_quartile_bands_run_from_best_to_worst_by_polarity() -> None:
    values = pd.Series([10.0, 20, 30, 40, 50, 60, 70, 80, np.nan])
    assert quartile_band(values, "higher_is_better").tolist() == [
        "D", "D", "C", "C", "B", "B", "A", "A", None,
    ]  # fmt: skip
    assert quartile_band(values, "lower_is_better").tolist()[:2] == ["A", "A"]
    assert rank_best_first(values, "higher_is_better").tolist()[:8] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert rank_best_first(values, "lower_is_better").tolist()[0] == 1


def test_fsm_bands() -> None:
    assert fsm_band([0, 7.9, 8, 20, 34.9, 35, 50, 100]).tolist() == [
        "0-8%", "0-8%", "8-20%", "20-35%", "20-35%", "35-50%", "50%+", "50%+",
    ]  # fmt: skip


def test_pooled_value_sums_counts_first() -> None:
    frame = pd.DataFrame(
        {
            "indicator_code": ["a", "a", "b"],
            "numerator": [1.0, 9.0, 5.0],
            "denominator": [10.0, 10.0, 1000.0],
        }
    )
    pooled = pooled_value(frame, ["indicator_code"], pd.Series({"a": 100.0, "b": 1000.0}))
    assert pooled.set_index("indicator_code")["value"].to_dict() == {"a": 50.0, "b": 5.0}


def test_red_red_needs_both_worse_and_getting_worse() -> None:
    assert red_red(WORSE, "getting worse")
    assert not red_red(WORSE, "no significant change")
    assert not red_red(SIMILAR, "getting worse")
