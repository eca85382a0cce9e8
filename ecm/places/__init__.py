"""The place analyses: what the dashboard works out for one school, LA or region, or for one
indicator across many places.

:mod:`~ecm.places.profile` is one place's whole profile (figures with intervals, benchmarks,
trends, gaps); :mod:`~ecm.places.overview` the area and region overviews (tiles, gap league,
spines, briefs); :mod:`~ecm.places.explorer` the gap explorer (every place's gap against the
national comparator, funnel); :mod:`~ecm.places.region_gaps` each LA's gap over the years. It
may import the figures (reads, including :mod:`ecm.figures.plans`), the statistics and
:mod:`ecm.periods`; the plan analyses and the views build on it, never the reverse.
"""
