"""The statistics: pure functions on DataFrames, no SQL and no Streamlit.

Confidence intervals and differences by the published methods (:mod:`~ecm.stats.intervals`:
Wilson, exact Poisson/Byar, t, Newcombe, MOVER), gaps between a focus group and its
comparator (:mod:`~ecm.stats.gaps`), recent trends (:mod:`~ecm.stats.trends`), comparisons,
ranks and quartile bands (:mod:`~ecm.stats.benchmarks`), funnel-plot limits
(:mod:`~ecm.stats.funnel`) and floor standards and areas of interest
(:mod:`~ecm.stats.floors`). It may import :mod:`ecm.config` (for data files of thresholds)
and nothing else of ``ecm``; every other layer may import it.
"""
