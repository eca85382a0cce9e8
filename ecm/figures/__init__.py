"""Figures as every page and export may see them: reads from the store with disclosure control
applied, once, below the pages.

:mod:`~ecm.figures.queries` reads one place (its figures, the catalogue, places, plan
targets), :mod:`~ecm.figures.many_places` reads one indicator across many places, and
:mod:`~ecm.figures.school_pools` keeps the similar-school and phase summaries refreshed after
each load. It may import the store, the disclosure decisions, the statistics and
:mod:`ecm.periods`; analyses, views and pages import it, never the reverse.
"""
