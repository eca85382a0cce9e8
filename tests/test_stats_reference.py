"""Reference cases for ``ecm.stats.intervals`` and ``ecm.stats.trends``, computed independently
of the code.

Every expected number here was worked out by hand formula in a separate throwaway script (plain
``math``, with scipy used only for the z, t and chi-squared quantiles), cross-checked against
statsmodels where it implements the same method, printed to 10 significant digits and pasted in
as a literal. No test calls a library to produce an expected value.

Sources of the methods and of the published worked examples:

- OHID (formerly PHE) Fingertips public health technical guidance, "Confidence intervals" and
  "Rates"; PHE "Technical Guide: Confidence Intervals" (Public Health Data Science, 25 May 2018):
  Wilson score method (Appendix 3), Byar's method for counts of 10 or more (Appendix 1) and the
  chi-squared exact method for counts under 10 (Appendix 2).
- Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
  methods. Statistics in Medicine 1998;17:857-872, Table I (Wilson score, method 3).
- Newcombe RG. Interval estimation for the difference between independent proportions:
  comparison of eleven methods. Statistics in Medicine 1998;17:873-890, Table II (method 10).
- Zou GY, Donner A. Construction of confidence limits about effect measures: a general approach.
  Statistics in Medicine 2008;27:1693-1702 (MOVER).
- Welch BL. The generalization of "Student's" problem when several different population variances
  are involved. Biometrika 1947;34:28-35; Satterthwaite FE, Biometrics Bulletin 1946;2:110-114.
- Armitage P. Tests for linear trends in proportions and frequencies. Biometrics 1955;11:375-386;
  R ``stats::prop.trend.test`` documentation example; Dalgaard P, Introductory Statistics with R,
  2nd edn (2008), section 7.3 (Caesarean section by shoe size, from Altman 1991 p. 229).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from ecm.stats.intervals import (
    interval_difference_ci,
    mean_ci,
    mean_difference_ci,
    proportion_ci,
    proportion_difference_ci,
    rate_ci,
    rate_difference_ci,
    z_value,
)
from ecm.stats.trends import chi_square_trend, weighted_slope

REL = 1e-6
ZERO = 1e-12
NAN = math.nan
Z95 = 1.959963984540054  # only used to build inputs, never as an expected value


def scalar(x: object) -> float:
    """A scalar result (numpy float64 or 0-d array) as a Python float."""
    array = np.asarray(x, dtype=float)
    assert array.ndim == 0, f"expected a scalar, got shape {array.shape}"
    return float(array)


def close(got: float, want: float) -> bool:
    """True when ``got`` matches ``want``: NaN for NaN, absolute for zero, else relative."""
    if math.isnan(want):
        return math.isnan(got)
    if want == 0:
        return got == pytest.approx(0.0, abs=ZERO)
    return got == pytest.approx(want, rel=REL)


def assert_interval(result: object, want: tuple[float, float, float]) -> None:
    got = (scalar(result.value), scalar(result.lower), scalar(result.upper))
    assert all(close(g, w) for g, w in zip(got, want, strict=True)), f"{got} != {want}"


def assert_series(result: object, index: pd.Index, rows: list[tuple[float, float, float]]) -> None:
    """Each field is a Series on ``index``; NaN exactly where ``rows`` has NaN; values match."""
    for position, field in enumerate(("value", "lower", "upper")):
        series = getattr(result, field)
        assert isinstance(series, pd.Series), f"{field} is {type(series).__name__}"
        assert series.index.equals(index), f"{field} index {list(series.index)}"
        want = [row[position] for row in rows]
        got = series.to_numpy(dtype=float)
        assert list(np.isnan(got)) == [math.isnan(w) for w in want], f"{field}: {got}"
        assert all(close(g, w) for g, w in zip(got, want, strict=True)), f"{field}: {got}"


def assert_array(result: object, rows: list[tuple[float, float, float]]) -> None:
    for position, field in enumerate(("value", "lower", "upper")):
        array = getattr(result, field)
        assert isinstance(array, np.ndarray) and array.shape == (len(rows),), field
        want = [row[position] for row in rows]
        assert all(close(float(g), w) for g, w in zip(array, want, strict=True)), f"{field}"


AREAS = pd.Index(["E09000001", "E09000002", "E09000003", "E09000004"], name="area_code")


# --------------------------------------------------------------------------------------------
# z_value: z = norm.ppf(1 - alpha / 2)


@pytest.mark.parametrize(
    ("confidence", "z"),
    [(0.95, 1.959963985), (0.998, 3.090232306), (0.99, 2.575829304), (0.90, 1.644853627)],
)
def test_z_value(confidence: float, z: float) -> None:
    assert z_value(confidence) == pytest.approx(z, rel=1e-9)


# --------------------------------------------------------------------------------------------
# proportion_ci: Wilson score (PHE Technical Guide Appendix 3)

WILSON_CASES = [
    # (numerator, denominator, confidence, multiplier) -> (value, lower, upper)
    # Newcombe 1998a Table I prints 0.2553 to 0.3662.
    ((81, 263, 0.95, 1), (0.3079847909, 0.2552885199, 0.366209577)),
    # Newcombe 1998a Table I prints 0.0624 to 0.1605.
    ((15, 148, 0.95, 1), (0.1013513514, 0.06238639953, 0.1604872417)),
    # O = 0: the lower limit is exactly 0 (Table I prints 0 to 0.1611).
    ((0, 20, 0.95, 1), (0.0, 0.0, 0.1611251581)),
    # Newcombe 1998a Table I prints 0.0061 to 0.1718.
    ((1, 29, 0.95, 1), (0.03448275862, 0.006113214293, 0.1717552188)),
    # O = n: the upper limit is exactly 1.
    ((20, 20, 0.95, 1), (1.0, 0.8388748419, 1.0)),
    # A percentage (multiplier 100).
    ((45, 60, 0.95, 100), (75.0, 62.76792992, 84.22347747)),
    # 99.8% (z = 3.090232).
    ((81, 263, 0.998, 1), (0.3079847909, 0.2280357402, 0.4013894219)),
    ((0, 20, 0.998, 100), (0.0, 0.0, 32.31704146)),
]


@pytest.mark.parametrize(("args", "want"), WILSON_CASES, ids=[str(c[0]) for c in WILSON_CASES])
def test_proportion_ci_reference(args: tuple, want: tuple) -> None:
    numerator, denominator, confidence, multiplier = args
    result = proportion_ci(numerator, denominator, confidence=confidence, multiplier=multiplier)
    assert_interval(result, want)


def test_proportion_ci_matches_newcombe_1998_table_i() -> None:
    """The published table, to its 4 decimals (Newcombe 1998a, Table I, method 3)."""
    for numerator, denominator, lower, upper in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ]:
        result = proportion_ci(numerator, denominator)
        assert scalar(result.lower) == pytest.approx(lower, abs=5e-5)
        assert scalar(result.upper) == pytest.approx(upper, abs=5e-5)


def test_proportion_ci_scalar_in_gives_float64_scalar_out() -> None:
    result = proportion_ci(81, 263)
    assert tuple(result._fields) == ("value", "lower", "upper")
    for field in result:
        assert np.ndim(field) == 0
        assert np.asarray(field).dtype == np.float64


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(11, 10), (-1, 10), (5, 0), (5, -3), (NAN, 10), (5, NAN)],
    ids=[
        "numerator>denominator",
        "negative",
        "zero-denominator",
        "negative-denominator",
        "nan-numerator",
        "nan-denominator",
    ],
)
def test_proportion_ci_impossible_inputs_give_nan(numerator: float, denominator: float) -> None:
    assert_interval(proportion_ci(numerator, denominator), (NAN, NAN, NAN))


def test_proportion_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    numerators = pd.Series([81, 15, 5, 0], index=AREAS)
    denominators = pd.Series([263, 148, 0, 20], index=AREAS)
    result = proportion_ci(numerators, denominators)
    assert_series(
        result,
        AREAS,
        [
            (0.3079847909, 0.2552885199, 0.366209577),
            (0.1013513514, 0.06238639953, 0.1604872417),
            (NAN, NAN, NAN),
            (0.0, 0.0, 0.1611251581),
        ],
    )


def test_proportion_ci_series_with_missing_numerator() -> None:
    numerators = pd.Series([81, None, 1, 20], index=AREAS)
    denominators = pd.Series([263, 148, 29, 20], index=AREAS)
    result = proportion_ci(numerators, denominators)
    assert_series(
        result,
        AREAS,
        [
            (0.3079847909, 0.2552885199, 0.366209577),
            (NAN, NAN, NAN),
            (0.03448275862, 0.006113214293, 0.1717552188),
            (1.0, 0.8388748419, 1.0),
        ],
    )


def test_proportion_ci_numpy_array() -> None:
    result = proportion_ci(np.array([81, 0, 20]), np.array([263, 20, 20]))
    assert_array(
        result,
        [
            (0.3079847909, 0.2552885199, 0.366209577),
            (0.0, 0.0, 0.1611251581),
            (1.0, 0.8388748419, 1.0),
        ],
    )


# --------------------------------------------------------------------------------------------
# rate_ci: exact (chi-squared) limits for O < 10, Byar's method for O >= 10 (PHE Appendices 1-2)

RATE_CASES = [
    # (count, denominator, confidence, multiplier) -> (value, lower, upper)
    # O = 0: lower 0; upper count = chi2.ppf(0.975, 2) / 2 = -ln(0.025) = 3.688879454.
    ((0, 1000, 0.95, 100_000), (0.0, 0.0, 368.8879454)),
    # O = 1: exact count limits 0.02531780798 to 5.571643391 (tables print 0.0253 to 5.572).
    ((1, 2500, 0.95, 100_000), (40.0, 1.012712319, 222.8657356)),
    # O = 9, the last exact case: count limits 4.115373097 to 17.08480345.
    # (Byar would give 4.106885024 to 17.08578069, so this case tells the two apart.)
    ((9, 4000, 0.95, 100_000), (225.0, 102.8843274, 427.1200863)),
    # O = 10, the first Byar case: count limits 4.787449914 to 18.39145861.
    # (Exact would give 4.795388696 to 18.39035604, so this case tells the two apart.)
    ((10, 4000, 0.95, 100_000), (250.0, 119.6862478, 459.7864651)),
    # Byar, per 1,000: count limits 219.9668842 to 282.9885187.
    ((250, 120_000, 0.95, 1000), (2.083333333, 1.833057369, 2.358237656)),
    # 99.8%: O = 0 upper count = -ln(0.001) = 6.907755279.
    ((0, 1000, 0.998, 100_000), (0.0, 0.0, 690.7755279)),
    # 99.8% exact (O = 9): count limits 2.452424404 to 22.65737331.
    ((9, 4000, 0.998, 100_000), (225.0, 61.31061011, 566.4343327)),
    # 99.8% Byar (O = 10): count limits 2.916318375 to 24.19372493.
    ((10, 4000, 0.998, 100_000), (250.0, 72.90795937, 604.8431232)),
    # 99.8% Byar, per 10,000: count limits 159.1170375 to 247.6885426.
    ((200, 50_000, 0.998, 10_000), (40.0, 31.8234075, 49.53770852)),
]


@pytest.mark.parametrize(("args", "want"), RATE_CASES, ids=[str(c[0]) for c in RATE_CASES])
def test_rate_ci_reference(args: tuple, want: tuple) -> None:
    count, denominator, confidence, multiplier = args
    result = rate_ci(count, denominator, confidence=confidence, multiplier=multiplier)
    assert_interval(result, want)


def test_rate_ci_default_multiplier_is_per_100000() -> None:
    assert_interval(rate_ci(10, 4000), (250.0, 119.6862478, 459.7864651))


@pytest.mark.parametrize(
    ("count", "denominator"),
    [(-2, 1000), (5, 0), (5, -100), (NAN, 1000), (5, NAN)],
    ids=["negative-count", "zero-denominator", "negative-denominator", "nan-count", "nan-denom"],
)
def test_rate_ci_impossible_inputs_give_nan(count: float, denominator: float) -> None:
    assert_interval(rate_ci(count, denominator), (NAN, NAN, NAN))


def test_rate_ci_series_switches_method_per_row() -> None:
    """Exact and Byar rows side by side in one column, with a missing count in the middle."""
    index = pd.Index(["north", "south", "east", "west", "england"], name="area")
    counts = pd.Series([0, 9, None, 10, 250], index=index)
    denominators = pd.Series([1000, 4000, 500, 4000, 120_000], index=index)
    result = rate_ci(counts, denominators, multiplier=100_000)
    assert_series(
        result,
        index,
        [
            (0.0, 0.0, 368.8879454),
            (225.0, 102.8843274, 427.1200863),
            (NAN, NAN, NAN),
            (250.0, 119.6862478, 459.7864651),
            (208.3333333, 183.3057369, 235.8237656),
        ],
    )


def test_rate_ci_numpy_array_switches_method_per_element() -> None:
    result = rate_ci(np.array([9, 10, 0]), np.array([4000, 4000, 1000]), confidence=0.998)
    assert_array(
        result,
        [
            (225.0, 61.31061011, 566.4343327),
            (250.0, 72.90795937, 604.8431232),
            (0.0, 0.0, 690.7755279),
        ],
    )


# --------------------------------------------------------------------------------------------
# mean_ci: mean +/- t(1 - alpha/2, n - 1) * sd / sqrt(n)

MEAN_CASES = [
    # (mean, sd, n, confidence) -> (value, lower, upper)
    ((10.0, 2.0, 25, 0.95), (10.0, 9.174440575, 10.82555942)),  # t = 2.063898562
    ((100.5, 15.0, 4, 0.95), (100.5, 76.63165271, 124.3683473)),  # t = 3.182446305
    ((-0.3, 1.2, 150, 0.95), (-0.3, -0.4936089604, -0.1063910396)),  # t = 1.976013178
    ((7.0, 1.0, 2, 0.95), (7.0, -1.984643532, 15.98464353)),  # n = 2, t = 12.70620474
    ((10.0, 2.0, 25, 0.998), (10.0, 8.613289081, 11.38671092)),  # t = 3.466777298
    ((-0.3, 1.2, 150, 0.998), (-0.3, -0.6082270541, 0.008227054136)),  # t = 3.145829198
]


@pytest.mark.parametrize(("args", "want"), MEAN_CASES, ids=[str(c[0]) for c in MEAN_CASES])
def test_mean_ci_reference(args: tuple, want: tuple) -> None:
    mean, sd, n, confidence = args
    assert_interval(mean_ci(mean, sd, n, confidence=confidence), want)


@pytest.mark.parametrize(
    ("mean", "sd", "n"),
    [(3.0, 1.0, 1), (3.0, 1.0, 0), (3.0, NAN, 25), (3.0, 1.0, NAN)],
    ids=["n=1", "n=0", "nan-sd", "nan-n"],
)
def test_mean_ci_without_degrees_of_freedom_gives_nan_limits(mean, sd, n) -> None:
    """t needs n - 1 >= 1. Only the limits are pinned down: the value may be the mean or NaN."""
    result = mean_ci(mean, sd, n)
    assert math.isnan(scalar(result.lower))
    assert math.isnan(scalar(result.upper))


def test_mean_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    means = pd.Series([10.0, 100.5, NAN, -0.3], index=AREAS)
    sds = pd.Series([2.0, 15.0, 1.0, 1.2], index=AREAS)
    ns = pd.Series([25, 4, 30, 150], index=AREAS)
    result = mean_ci(means, sds, ns)
    assert_series(
        result,
        AREAS,
        [
            (10.0, 9.174440575, 10.82555942),
            (100.5, 76.63165271, 124.3683473),
            (NAN, NAN, NAN),
            (-0.3, -0.4936089604, -0.1063910396),
        ],
    )


# --------------------------------------------------------------------------------------------
# proportion_difference_ci: Newcombe 1998b method 10 (hybrid score, from Wilson limits)

NEWCOMBE_CASES = [
    # (r1, n1, r2, n2, confidence, multiplier) -> (p1 - p2, lower, upper)
    # Newcombe 1998b Table II (a): 0.0524 to 0.3339.
    ((56, 70, 48, 80, 0.95, 1), (0.2, 0.0524314724, 0.333872654)),
    # Table II (b): 0.1705 to 0.8090.
    ((9, 10, 3, 10, 0.95, 1), (0.6, 0.1705227239, 0.8090179735)),
    # Table II (c): 0.0582 to 0.8062.
    ((6, 7, 2, 7, 0.95, 1), (0.5714285714, 0.05822792748, 0.8062496375)),
    # Table II (d), a zero in one group: -0.0381 to 0.1926.
    ((5, 56, 0, 29, 0.95, 1), (0.08928571429, -0.0381371479, 0.1925600139)),
    # Table II (e), zeros in both groups: -0.1611 to 0.2775.
    ((0, 10, 0, 20, 0.95, 1), (0.0, -0.1611251581, 0.2775327999)),
    # Table II (g), O = n against O = 0: 0.6791 to 1.
    ((10, 10, 0, 20, 0.95, 1), (1.0, 0.6790860371, 1.0)),
    # Percentage points (multiplier 100), a gap significant at 95% ...
    ((300, 1200, 420, 1400, 0.95, 100), (-5.0, -8.408847819, -1.553801106)),
    # ... but not at 99.8%.
    ((300, 1200, 420, 1400, 0.998, 100), (-5.0, -10.35231179, 0.4445602116)),
    ((56, 70, 48, 80, 0.998, 1), (0.2, -0.03348725364, 0.4018117646)),
]


@pytest.mark.parametrize(("args", "want"), NEWCOMBE_CASES, ids=[str(c[0]) for c in NEWCOMBE_CASES])
def test_proportion_difference_ci_reference(args: tuple, want: tuple) -> None:
    r1, n1, r2, n2, confidence, multiplier = args
    result = proportion_difference_ci(r1, n1, r2, n2, confidence=confidence, multiplier=multiplier)
    assert_interval(result, want)


def test_proportion_difference_ci_matches_newcombe_1998_table_ii() -> None:
    """The published table, to its 4 decimals (Newcombe 1998b, Table II, method 10)."""
    for r1, n1, r2, n2, lower, upper in [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0),
    ]:
        result = proportion_difference_ci(r1, n1, r2, n2)
        assert scalar(result.lower) == pytest.approx(lower, abs=5e-5)
        assert scalar(result.upper) == pytest.approx(upper, abs=5e-5)


@pytest.mark.parametrize(
    "args",
    [(11, 10, 3, 10), (5, 10, 3, 0), (-1, 10, 3, 10), (5, 10, NAN, 10)],
    ids=["numerator>denominator", "zero-denominator", "negative", "nan"],
)
def test_proportion_difference_ci_impossible_inputs_give_nan(args: tuple) -> None:
    assert_interval(proportion_difference_ci(*args), (NAN, NAN, NAN))


def test_proportion_difference_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    r1 = pd.Series([56, 9, 5, 10], index=AREAS)
    n1 = pd.Series([70, 10, 0, 10], index=AREAS)
    r2 = pd.Series([48, 3, 3, 0], index=AREAS)
    n2 = pd.Series([80, 10, 10, 20], index=AREAS)
    result = proportion_difference_ci(r1, n1, r2, n2)
    assert_series(
        result,
        AREAS,
        [
            (0.2, 0.0524314724, 0.333872654),
            (0.6, 0.1705227239, 0.8090179735),
            (NAN, NAN, NAN),
            (1.0, 0.6790860371, 1.0),
        ],
    )


# --------------------------------------------------------------------------------------------
# rate_difference_ci: MOVER (Zou and Donner 2008) from each rate's Poisson limits: exact from
# the chi-squared quantiles below 10 events, Byar's from 10 (PHE Technical Guide).


def _poisson_reference(o: float, confidence: float) -> tuple[float, float]:
    from scipy.stats import chi2, norm

    alpha = 1 - confidence
    if o < 10:
        low = chi2.ppf(alpha / 2, 2 * o) / 2 if o > 0 else 0.0
        return low, chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    z = norm.ppf(1 - alpha / 2)
    low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return low, high


def _rate_difference_reference(o1, n1, o2, n2, confidence=0.95, multiplier=100_000) -> tuple:  # noqa: ANN001
    l1, u1 = _poisson_reference(o1, confidence)
    l2, u2 = _poisson_reference(o2, confidence)
    r1, r2 = o1 / n1 * multiplier, o2 / n2 * multiplier
    l1, u1 = l1 / n1 * multiplier, u1 / n1 * multiplier
    l2, u2 = l2 / n2 * multiplier, u2 / n2 * multiplier
    d = r1 - r2
    return (
        d,
        d - math.sqrt((r1 - l1) ** 2 + (u2 - r2) ** 2),
        d + math.sqrt((u1 - r1) ** 2 + (r2 - l2) ** 2),
    )


RATE_DIFF_CASES = [
    # (O1, n1, O2, n2, confidence, multiplier): Byar both, exact against exact, mixed, 99.8%.
    (120, 50_000, 80, 60_000, 0.95, 100_000),
    (0, 2000, 5, 2500, 0.95, 100_000),
    (45, 1500, 30, 1500, 0.95, 1000),
    (3, 1000, 12, 900, 0.95, 1000),
    (120, 50_000, 80, 60_000, 0.998, 100_000),
]


@pytest.mark.parametrize("args", RATE_DIFF_CASES, ids=[str(c) for c in RATE_DIFF_CASES])
def test_rate_difference_ci_reference(args: tuple) -> None:
    o1, n1, o2, n2, confidence, multiplier = args
    result = rate_difference_ci(o1, n1, o2, n2, confidence=confidence, multiplier=multiplier)
    assert_interval(result, _rate_difference_reference(*args))


def test_zero_against_four_events_is_not_significant_as_the_exact_test_says() -> None:
    from scipy.stats import binomtest

    # Equal populations: under no difference, the 4 events split as Binomial(4, 1/2).
    assert binomtest(0, 4, 0.5).pvalue == pytest.approx(0.125)
    result = rate_difference_ci(0, 1000, 4, 1000)
    assert result.lower < 0 < result.upper


@pytest.mark.parametrize("n", [100, 1000, 10_000])
def test_small_count_rate_differences_are_never_significant_where_the_exact_test_is_not(
    n: int,
) -> None:
    from scipy.stats import binomtest

    # Equal populations, every pair of counts up to 15: the conditional binomial test of two
    # Poisson counts (Przyborowski and Wilenski 1940). The interval may be more cautious, never
    # less; MOVER alone was less at 3 against 11 (p = 0.057).
    called = 0
    for o1, o2 in itertools.product(range(16), repeat=2):
        result = rate_difference_ci(o1, n, o2, n)
        exact_p = binomtest(o1, o1 + o2, 0.5).pvalue if o1 + o2 else 1.0
        if result.lower > 0 or result.upper < 0:
            called += 1
            assert exact_p < 0.05, (o1, o2)
    assert called > 50  # the check has teeth: plenty of pairs do differ
    three_eleven = rate_difference_ci(3, n, 11, n)
    assert three_eleven.lower < 0 and three_eleven.upper == 0


@pytest.mark.parametrize(
    "args",
    [(5, 0, 3, 100), (-1, 100, 3, 100), (5, 100, NAN, 100)],
    ids=["zero-denominator", "negative", "nan"],
)
def test_rate_difference_ci_impossible_inputs_give_nan(args: tuple) -> None:
    assert_interval(rate_difference_ci(*args), (NAN, NAN, NAN))


def test_rate_difference_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    o1 = pd.Series([120, 0, 4, 45], index=AREAS)
    n1 = pd.Series([50_000, 2000, 1000, 1500], index=AREAS)
    o2 = pd.Series([80, 5, 3, 30], index=AREAS)
    n2 = pd.Series([60_000, 2500, 0, 1500], index=AREAS)
    result = rate_difference_ci(o1, n1, o2, n2)
    assert_series(
        result,
        AREAS,
        [
            _rate_difference_reference(120, 50_000, 80, 60_000),
            _rate_difference_reference(0, 2000, 5, 2500),
            (NAN, NAN, NAN),
            _rate_difference_reference(45, 1500, 30, 1500),
        ],
    )


# --------------------------------------------------------------------------------------------
# mean_difference_ci: Welch, df by Welch-Satterthwaite

WELCH_CASES = [
    # (m1, s1, n1, m2, s2, n2, confidence) -> (m1 - m2, lower, upper); SE, df, t noted.
    # SE 0.8952963507, df 49.57989571, t 2.008980877 (the interval only just excludes 0).
    ((20.1, 4.2, 30, 18.3, 3.1, 45, 0.95), (1.8, 0.001366752096, 3.598633248)),
    # SE 4.062019202, df 17.03290676, t 2.109505122.
    ((27.5, 12.0, 12, 31.0, 6.0, 8, 0.95), (-3.5, -12.06885031, 5.068850311)),
    # SE 0.07057797107, df 550.2219365, t 1.964284804.
    ((-0.45, 1.3, 400, 0.12, 1.1, 1600, 0.95), (-0.57, -0.708635236, -0.431364764)),
    # Equal groups: df = 18 exactly, t 2.10092204.
    ((5.0, 2.0, 10, 5.0, 2.0, 10, 0.95), (0.0, -1.879121799, 1.879121799)),
    # 99.8%: t(0.999, 49.57989571) = 3.262931964.
    ((20.1, 4.2, 30, 18.3, 3.1, 45, 0.998), (1.8, -1.12129108, 4.72129108)),
]


@pytest.mark.parametrize(("args", "want"), WELCH_CASES, ids=[str(c[0]) for c in WELCH_CASES])
def test_mean_difference_ci_reference(args: tuple, want: tuple) -> None:
    *stats_args, confidence = args
    assert_interval(mean_difference_ci(*stats_args, confidence=confidence), want)


def test_mean_difference_ci_single_pupil_group_gives_nan_limits() -> None:
    """n1 = 1 leaves no degrees of freedom for s1 (Welch-Satterthwaite divides by n1 - 1)."""
    result = mean_difference_ci(20.0, 4.0, 1, 18.0, 3.0, 45)
    assert math.isnan(scalar(result.lower))
    assert math.isnan(scalar(result.upper))


def test_mean_difference_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    m1 = pd.Series([20.1, 27.5, NAN, -0.45], index=AREAS)
    s1 = pd.Series([4.2, 12.0, 1.0, 1.3], index=AREAS)
    n1 = pd.Series([30, 12, 20, 400], index=AREAS)
    m2 = pd.Series([18.3, 31.0, 2.0, 0.12], index=AREAS)
    s2 = pd.Series([3.1, 6.0, 1.0, 1.1], index=AREAS)
    n2 = pd.Series([45, 8, 20, 1600], index=AREAS)
    result = mean_difference_ci(m1, s1, n1, m2, s2, n2)
    assert_series(
        result,
        AREAS,
        [
            (1.8, 0.001366752096, 3.598633248),
            (-3.5, -12.06885031, 5.068850311),
            (NAN, NAN, NAN),
            (-0.57, -0.708635236, -0.431364764),
        ],
    )


# --------------------------------------------------------------------------------------------
# interval_difference_ci: MOVER (Zou & Donner 2008)

MOVER_CASES = [
    # (v1, l1, u1, v2, l2, u2) -> (v1 - v2, lower, upper)
    # Asymmetric intervals: 20 - sqrt(10^2 + 6^2), 20 + sqrt(12^2 + 5^2) = 33 exactly.
    ((50.0, 40.0, 62.0, 30.0, 25.0, 36.0), (20.0, 8.33809621, 33.0)),
    # Symmetric intervals: 3 -/+ sqrt(2^2 + 1^2) = 3 -/+ sqrt(5).
    ((10.0, 8.0, 12.0, 7.0, 6.0, 8.0), (3.0, 0.7639320225, 5.236067977)),
    # A value at its lower limit.
    ((0.0, 0.0, 0.1611, 0.05, 0.01, 0.2), (-0.05, -0.2, 0.1159915962)),
    # Wilson limits of 56/70 and 48/80 at 95%: MOVER gives Newcombe's method 10 (0.0524, 0.3339).
    (
        (0.8, 0.691833555, 0.8769526075, 0.6, 0.4904546501, 0.700381724),
        (0.2, 0.0524314724, 0.333872654),
    ),
    # Their 99.8% Wilson limits: Newcombe's method 10 at 99.8%.
    (
        (0.8, 0.6207935829, 0.9071793289, 0.6, 0.4290012287, 0.7496708311),
        (0.2, -0.03348725364, 0.4018117646),
    ),
    # Exact (O = 9) against Byar (O = 10) rate limits per 100,000, from the rate cases above.
    (
        (225.0, 102.8843274, 427.1200863, 250.0, 119.6862478, 459.7864651),
        (-25.0, -267.7397751, 215.4874286),
    ),
]


@pytest.mark.parametrize(("args", "want"), MOVER_CASES, ids=[str(c[0][:3]) for c in MOVER_CASES])
def test_interval_difference_ci_reference(args: tuple, want: tuple) -> None:
    assert_interval(interval_difference_ci(*args), want)


def test_interval_difference_ci_series_keeps_index_and_isolates_the_bad_row() -> None:
    v1 = pd.Series([50.0, 10.0, NAN, 0.8], index=AREAS)
    l1 = pd.Series([40.0, 8.0, 1.0, 0.691833555], index=AREAS)
    u1 = pd.Series([62.0, 12.0, 3.0, 0.8769526075], index=AREAS)
    v2 = pd.Series([30.0, 7.0, 2.0, 0.6], index=AREAS)
    l2 = pd.Series([25.0, 6.0, 1.0, 0.4904546501], index=AREAS)
    u2 = pd.Series([36.0, 8.0, 3.0, 0.700381724], index=AREAS)
    result = interval_difference_ci(v1, l1, u1, v2, l2, u2)
    assert_series(
        result,
        AREAS,
        [
            (20.0, 8.33809621, 33.0),
            (3.0, 0.7639320225, 5.236067977),
            (NAN, NAN, NAN),
            (0.2, 0.0524314724, 0.333872654),
        ],
    )


# --------------------------------------------------------------------------------------------
# chi_square_trend: Cochran-Armitage chi-squared for linear trend, scores 1..k

TREND_CASES = [
    # (numerators, denominators) -> (X^2, direction)
    # Rising: pbar = 0.16, T = 2700 - 2400 = 300, V = 0.1344 * (55000 - 45000) = 1344,
    # X^2 = 90000 / 1344.
    (([100, 130, 160, 190, 220], [1000] * 5), (66.96428571, 1)),
    # Flat: T = 0.
    (([100] * 5, [1000] * 5), (0.0, 0)),
    (([30, 45, 15, 60], [200, 300, 100, 400]), (0.0, 0)),
    # Falling, small: T = -13, V = 34.62184874.
    (([12, 9, 7, 4], [60, 58, 61, 59]), (4.88131068, -1)),
    # R prop.trend.test(smokers, patients) documentation example prints X-squared = 8.2249.
    (([83, 90, 129, 70], [86, 93, 136, 82]), (8.224922285, -1)),
    # Providence College giving by class year, prop.trend.test prints X-squared = 67.8656.
    (([196, 266, 194, 276, 333], [319, 492, 435, 598, 901]), (67.8655662, -1)),
    # Caesarean section by shoe size (Altman 1991; Dalgaard ISwR 7.3): X-squared = 8.0237.
    (([5, 7, 6, 7, 8, 10], [22, 35, 42, 48, 54, 150]), (8.023679404, -1)),
]


@pytest.mark.parametrize(("args", "want"), TREND_CASES, ids=[str(c[0][0]) for c in TREND_CASES])
def test_chi_square_trend_reference(args: tuple, want: tuple) -> None:
    numerators, denominators = args
    statistic, direction = chi_square_trend(numerators, denominators)
    assert close(float(statistic), want[0]), statistic
    assert direction == want[1]


def test_chi_square_trend_accepts_numpy_and_pandas() -> None:
    numerators = np.array([100, 130, 160, 190, 220])
    denominators = np.array([1000] * 5)
    for args in [
        (numerators, denominators),
        (pd.Series(numerators, index=list("abcde")), pd.Series(denominators, index=list("abcde"))),
    ]:
        statistic, direction = chi_square_trend(*args)
        assert float(statistic) == pytest.approx(66.96428571, rel=REL)
        assert direction == 1


# --------------------------------------------------------------------------------------------
# weighted_slope: inverse-variance WLS slope on x = 1..k, SE_i = (upper - lower) / (2 z)

SLOPE_Y = [20.0, 22.0, 25.0, 24.0, 28.0]
SLOPE_LOWER = [17.0, 19.5, 21.0, 21.5, 23.0]
SLOPE_UPPER = [23.0, 24.5, 29.0, 26.5, 33.0]

SLOPE_CASES = [
    # (values, lower, upper, interval_confidence) -> (slope, SE, z)
    # Weights 0.4268287581, 0.6146334116, 0.2400911764, 0.6146334116, 0.1536583529;
    # weighted x-bar 2.73347215, Sxx 3.405600225, Sxy 5.318290769.
    ((SLOPE_Y, SLOPE_LOWER, SLOPE_UPPER, 0.95), (1.561630966, 0.541880056, 2.8818757)),
    # The same limits read as 99.8% intervals: same slope, SE scaled by 1.959964 / 3.090232.
    ((SLOPE_Y, SLOPE_LOWER, SLOPE_UPPER, 0.998), (1.561630966, 0.3436846453, 4.543790324)),
    # y = 2x + 1 with SE 1 everywhere: slope 2, SE sqrt(1/10), z = 2 sqrt(10).
    (
        (
            [3.0, 5.0, 7.0, 9.0, 11.0],
            [3.0 - Z95, 5.0 - Z95, 7.0 - Z95, 9.0 - Z95, 11.0 - Z95],
            [3.0 + Z95, 5.0 + Z95, 7.0 + Z95, 9.0 + Z95, 11.0 + Z95],
            0.95,
        ),
        (2.0, 0.316227766, 6.32455532),
    ),
    # Falling percentages: Sxx 5.250535528, Sxy -4.24611737.
    (
        ([12.0, 11.5, 10.2, 9.8], [10.1, 9.9, 8.7, 8.0], [14.1, 13.3, 11.9, 11.8], 0.95),
        (-0.8087017691, 0.4364135228, -1.85306304),
    ),
    # Flat values with unequal intervals: slope 0, SE sqrt(1 / 19.20729411).
    (
        ([5.0, 5.0, 5.0, 5.0], [4.0, 3.0, 4.5, 4.0], [6.0, 7.0, 5.5, 6.0], 0.95),
        (0.0, 0.2281743945, 0.0),
    ),
]


@pytest.mark.parametrize(("args", "want"), SLOPE_CASES, ids=["a95", "a998", "line", "fall", "flat"])
def test_weighted_slope_reference(args: tuple, want: tuple) -> None:
    values, lower, upper, confidence = args
    got = weighted_slope(values, lower, upper, interval_confidence=confidence)
    got = tuple(float(g) for g in got)
    assert all(close(g, w) for g, w in zip(got, want, strict=True)), f"{got} != {want}"


def test_weighted_slope_default_interval_confidence_is_95() -> None:
    got = tuple(float(g) for g in weighted_slope(SLOPE_Y, SLOPE_LOWER, SLOPE_UPPER))
    assert got == pytest.approx((1.561630966, 0.541880056, 2.8818757), rel=REL)
