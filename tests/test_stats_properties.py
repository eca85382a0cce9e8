"""Properties every interval must have, whatever the counts (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm.stats.intervals import CONFIDENCE_95, CONFIDENCE_998, proportion_ci, rate_ci

levels = st.sampled_from([CONFIDENCE_95, CONFIDENCE_998])


@settings(max_examples=300, deadline=None)
@given(events=st.integers(0, 10_000), extra=st.integers(0, 10_000), confidence=levels)
def test_proportion_interval_lies_in_0_1_and_contains_the_estimate(events, extra, confidence):
    n = events + extra
    if n == 0:
        value, lower, upper = proportion_ci(events, n, confidence)
        assert np.isnan(value) and np.isnan(lower) and np.isnan(upper)
        return
    value, lower, upper = proportion_ci(events, n, confidence)
    assert 0.0 <= lower <= value <= upper <= 1.0
    narrow = proportion_ci(events, n, CONFIDENCE_95)
    wide = proportion_ci(events, n, CONFIDENCE_998)
    assert wide.lower <= narrow.lower + 1e-12 and narrow.upper <= wide.upper + 1e-12


@settings(max_examples=300, deadline=None)
@given(
    events=st.integers(0, 5_000),
    population=st.integers(1, 10_000_000),
    confidence=levels,
)
def test_rate_interval_is_non_negative_and_contains_the_estimate(events, population, confidence):
    value, lower, upper = rate_ci(events, population, confidence)
    assert 0.0 <= lower <= value <= upper
    assert upper > 0  # even zero events leave an upper limit above zero
