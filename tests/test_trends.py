"""Recent trends: chi-squared test for proportions, weighted regression otherwise, 99.8%."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import special

from ecm.importers.values import numerator_range
from ecm.stats.trends import (
    DECREASING,
    INCREASING,
    NO_CHANGE,
    NOT_ENOUGH,
    chi_square_trend,
    compute_trends,
    gap_trend,
    least_favourable_numerators,
    trend_by_polarity,
    weighted_slope,
)

Z998_SQUARED = special.chdtri(1, 0.002)

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


def test_the_window_ends_at_the_latest_figure_even_when_it_cannot_be_tested() -> None:
    # LAIT's looked-after rates: five years with counts, then a latest year published as a
    # rate alone. Fingertips tests the five most recent values; the latest has no interval,
    # so there is no trend, not the trend of the five years before it.
    years = [str(2019 + i) for i in range(6)]
    frame = pd.DataFrame(
        {
            "series": "rates",
            "period": years,
            "value": [60, 62, 64, 66, 68, 70],
            "lower": [59, 61, 63, 65, 67, np.nan],
            "upper": [61, 63, 65, 67, 69, np.nan],
        }
    )
    result = compute_trends(frame, ["series"], use_counts=False)
    assert result["trend"][0] == NOT_ENOUGH and result["points"][0] == 4
    tested = compute_trends(frame.iloc[:5], ["series"], use_counts=False)
    assert tested["trend"][0] == INCREASING and tested["points"][0] == 5


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


# --- rounding of derived numerators (METHODOLOGY, "Rounding of derived numerators") -----------


def ranged_series(name: str, percentages: list[float], sizes: list[int]) -> pd.DataFrame:
    """A series as a performance table gives it: whole percentages of group sizes, each with
    the numerator derived from it and the range of whole numerators the percentage allows."""
    rows = []
    for period, percentage, size in zip(PERIODS, percentages, sizes, strict=True):
        low, high = numerator_range(percentage, size, 0.5) or (math.nan, math.nan)
        numerator = round(percentage * size / 100)
        rows.append(
            {"series": name, "period": period, "numerator": numerator, "numerator_low": low,
             "numerator_high": high, "denominator": size}
        )  # fmt: skip
    return pd.DataFrame(rows)


def test_a_trend_on_derived_counts_must_hold_at_the_least_favourable_ends() -> None:
    # 40% to 44% of 3,000 pupils: X² 12.3 at the derived counts (significant at 99.8%), but
    # with the early years half a point higher and the late ones half a point lower, not.
    rising = ranged_series("rising", [40, 41, 42, 43, 44], [3000] * 5)
    falling = ranged_series("falling", [44, 43, 42, 41, 40], [3000] * 5)
    exact = rising.assign(series="exact", numerator_low=math.nan, numerator_high=math.nan)
    result = compute_trends(pd.concat([rising, falling, exact], ignore_index=True), ["series"])
    by_series = result.set_index("series")
    assert by_series["statistic"].round(2).to_dict() == {
        "rising": 12.32, "falling": 12.32, "exact": 12.32
    }  # fmt: skip
    assert by_series["trend"].to_dict() == {
        "rising": NO_CHANGE, "falling": NO_CHANGE, "exact": INCREASING
    }  # fmt: skip
    assert by_series["lost_to_rounding"].to_dict() == {
        "rising": True, "falling": True, "exact": False
    }  # fmt: skip
    # A steeper rise survives its rounding and is not marked.
    steep = compute_trends(ranged_series("steep", [40, 42, 44, 46, 48], [3000] * 5), ["series"])
    assert (steep["trend"].iloc[0], bool(steep["lost_to_rounding"].iloc[0])) == (INCREASING, False)


@settings(max_examples=150, deadline=None)
@given(
    percentages=st.lists(st.integers(0, 100), min_size=5, max_size=5),
    sizes=st.lists(st.integers(1, 60), min_size=5, max_size=5),
    exact=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_the_least_favourable_ends_by_brute_force(
    percentages: list[int], sizes: list[int], exact: list[bool]
) -> None:
    """Over every combination of whole numerators the roundings allow: the ends chosen give
    the least (rising) or greatest (falling) T, and a trend called significant is significant,
    in the same direction, at every combination."""
    frame = ranged_series("s", percentages, sizes)
    frame.loc[exact, ["numerator_low", "numerator_high"]] = math.nan
    least = frame["numerator_low"].fillna(frame["numerator"]).astype(int)
    most = frame["numerator_high"].fillna(frame["numerator"]).astype(int)
    combinations = list(
        itertools.product(*(range(a, b + 1) for a, b in zip(least, most, strict=True)))
    )
    assume(len(combinations) <= 3000)
    sizes_ = frame["denominator"].to_numpy(float)
    at_every = [chi_square_trend(c, sizes_) for c in combinations]
    ours = compute_trends(frame, ["series"]).iloc[0]
    if ours["trend"] in (INCREASING, DECREASING):
        sign = 1 if ours["trend"] == INCREASING else -1
        assert all(d == sign and x2 > Z998_SQUARED for x2, d in at_every)
    point, direction = chi_square_trend(frame["numerator"], sizes_)
    if direction != 0:
        chosen = least_favourable_numerators(
            np.arange(1, 6), sizes_, least, most, np.full(5, direction), frame[["series"]]
        )
        x = np.arange(1, 6) - (sizes_ * np.arange(1, 6)).sum() / sizes_.sum()
        ts = [direction * float(np.dot(c, x)) for c in combinations]
        assert direction * float(np.dot(chosen, x)) == pytest.approx(min(ts), abs=1e-9)
    # Marked lost only where the point counts alone would have called it.
    assert bool(ours["lost_to_rounding"]) == (point > Z998_SQUARED and ours["trend"] == NO_CHANGE)


def test_a_gap_trend_must_hold_at_the_ends_of_its_gaps_ranges() -> None:
    # Gaps of 10 to 14 points, each known to +-1.0 (rounded percentages on both sides), with
    # intervals of +-1.0: significant at the point values (z 6.2 over 99.8%'s 3.09), not with
    # the early gaps at their greatest and the late ones at their least (z 2.5).
    frame = pd.DataFrame(
        {
            "series": "gap",
            "period": PERIODS,
            "value": [10.0, 11.0, 12.0, 13.0, 14.0],
            "lower": [9.0, 10.0, 11.0, 12.0, 13.0],
            "upper": [11.0, 12.0, 13.0, 14.0, 15.0],
        }
    )
    point = compute_trends(frame, ["series"], use_counts=False).iloc[0]
    assert point["trend"] == INCREASING and not point["lost_to_rounding"]
    ranged = frame.assign(gap_least=frame["value"] - 1.0, gap_most=frame["value"] + 1.0)
    lost = compute_trends(ranged, ["series"], use_counts=False).iloc[0]
    assert lost["trend"] == NO_CHANGE and bool(lost["lost_to_rounding"])
    narrow = frame.assign(gap_least=frame["value"] - 0.1, gap_most=frame["value"] + 0.1)
    kept = compute_trends(narrow, ["series"], use_counts=False).iloc[0]
    assert kept["trend"] == INCREASING and not kept["lost_to_rounding"]


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.floats(-30, 30), min_size=5, max_size=5),
    halves=st.lists(st.floats(0.1, 5), min_size=5, max_size=5),
    spreads=st.lists(st.floats(0, 3), min_size=5, max_size=5),
)
def test_a_gap_trend_called_holds_at_every_corner_of_the_ranges(
    values: list[float], halves: list[float], spreads: list[float]
) -> None:
    """The weighted slope is linear in each gap, so its extremes over the ranges are at their
    corners: a trend called significant is significant, the same way, at all 32 of them."""
    frame = pd.DataFrame(
        {"series": "g", "period": PERIODS, "value": values,
         "lower": np.subtract(values, halves), "upper": np.add(values, halves)}
    )  # fmt: skip
    frame["gap_least"] = frame["value"] - spreads
    frame["gap_most"] = frame["value"] + spreads
    ours = compute_trends(frame, ["series"], use_counts=False).iloc[0]
    if ours["trend"] not in (INCREASING, DECREASING):
        return
    sign = 1 if ours["trend"] == INCREASING else -1
    for corner in itertools.product(*zip(frame["gap_least"], frame["gap_most"], strict=True)):
        at_corner = frame.assign(value=list(corner))
        slope, _, z = weighted_slope(at_corner["value"], at_corner["lower"], at_corner["upper"])
        assert np.sign(slope) == sign and abs(z) > special.ndtri(0.999)
