"""Recent trends: chi-squared test for proportions, weighted regression otherwise, 99.8%."""

from __future__ import annotations

import pandas as pd
import pytest

from ecm.stats.trends import (
    DECREASING,
    INCREASING,
    NO_CHANGE,
    NOT_ENOUGH,
    compute_trends,
    gap_trend,
    trend_by_polarity,
)

PERIODS = ["2005/06", "2006/07", "2007/08", "2008/09", "2009/10"]


def series(name: str, numerators: list[int], denominator: int = 1000) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": name,
            "period": PERIODS[: len(numerators)],
            "numerator": numerators,
            "denominator": denominator,
        }
    )


def trends_of(*frames: pd.DataFrame) -> dict[str, str]:
    result = compute_trends(pd.concat(frames, ignore_index=True), ["series"])
    return dict(zip(result["series"], result["trend"], strict=True))


def test_rising_falling_flat_and_short_series() -> None:
    result = trends_of(
        series("rising", [100, 130, 160, 190, 220]),
        series("falling", [300, 250, 200, 150, 100]),
        series("flat", [150, 152, 149, 151, 150]),
        series("short", [100, 200]),
    )
    assert result == {
        "rising": INCREASING,
        "falling": DECREASING,
        "flat": NO_CHANGE,
        "short": NOT_ENOUGH,
    }


def test_the_published_rule_has_no_leave_one_out_check() -> None:
    # Fingertips tests the five points as they are: a jump in the latest year is a trend.
    result = trends_of(series("jump", [100, 101, 99, 100, 300]))
    assert result["jump"] == INCREASING


def test_a_trend_needs_five_points_as_fingertips_needs() -> None:
    # Three and four points, however steep, are not tested (the direction of travel speaks).
    result = trends_of(series("three", [100, 300, 500]), series("four", [100, 300, 500, 700]))
    assert result == {"three": NOT_ENOUGH, "four": NOT_ENOUGH}


def test_a_four_point_series_with_counts_reads_its_untested_direction() -> None:
    from ecm.stats.direction import direction_of_travel, trend_words

    frame = series("four", [100, 300, 500, 700])
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    tested = compute_trends(frame, ["series"])["trend"].iloc[0]
    direction = direction_of_travel(frame, ["series"])["direction"].iloc[0]
    assert trend_words(tested, direction, "higher_is_better") == "improving"


def test_small_numbers_are_not_significant_at_99_8_percent() -> None:
    # 2/20 rising to 6/20 would pass at 95% in some tests, but not at 99.8%.
    assert trends_of(series("small", [2, 3, 4, 5, 6], denominator=20))["small"] == NO_CHANGE


def test_only_the_latest_five_periods_count() -> None:
    frame = pd.DataFrame(
        {
            "series": "long",
            "period": [str(2000 + i) for i in range(8)],
            # Falling hard for three years, then rising steadily for five.
            "numerator": [900, 600, 300, 100, 130, 160, 190, 220],
            "denominator": 1000,
        }
    )
    result = compute_trends(frame, ["series"])
    assert result["trend"][0] == INCREASING and result["points"][0] == 5


def test_weighted_regression_for_values_with_intervals() -> None:
    frame = pd.DataFrame(
        {
            "series": ["gap"] * 5 + ["noisy"] * 5,
            "period": PERIODS * 2,
            "value": [10, 12, 14, 16, 18, 10, 14, 9, 15, 11],
            "lower": [9, 11, 13, 15, 17, 0, 4, -1, 5, 1],
            "upper": [11, 13, 15, 17, 19, 20, 24, 19, 25, 21],
        }
    )
    result = compute_trends(frame, ["series"], use_counts=False)
    assert dict(zip(result["series"], result["trend"], strict=True)) == {
        "gap": INCREASING,
        "noisy": NO_CHANGE,
    }


@pytest.mark.parametrize(
    ("trend", "polarity", "expected"),
    [
        (INCREASING, "higher_is_better", "getting better"),
        (INCREASING, "lower_is_better", "getting worse"),
        (DECREASING, "lower_is_better", "getting better"),
        (INCREASING, "neither", INCREASING),
        (NO_CHANGE, "higher_is_better", NO_CHANGE),
    ],
)
def test_trend_by_polarity(trend: str, polarity: str, expected: str) -> None:
    assert trend_by_polarity(trend, polarity) == expected


def test_gap_trend_words() -> None:
    assert gap_trend(INCREASING, 5.0) == "widening"
    assert gap_trend(DECREASING, 5.0) == "narrowing"
    assert gap_trend(DECREASING, -5.0) == "widening"  # the focus group's lead grows
    assert gap_trend(NO_CHANGE, 5.0) == NO_CHANGE
