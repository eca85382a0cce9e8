"""Sentences saying what is missing where a piece of a page would have been drawn: a store
holding only some of the published files (one performance table, LAIT alone, one Fingertips
series) leaves parts of a page empty, and an empty part must say why, not draw nothing."""

from __future__ import annotations

import pandas as pd

from ecm.views.markdown import escape_markdown

#: The area page's "worse than England and getting worse" panel, when no figure is.
NO_RED_REDS = "No figure is both worse than England and getting worse."


def no_league(gaps: list[dict], period: str | None) -> str:
    """The area page's gap league, when no gap is significant or widening, or none is held."""
    if gaps:
        return "No significant or widening gaps."
    return (
        "No gaps to rank: the store holds no figures for pupil groups (disadvantaged pupils "
        f"and their peers) in this authority{f' for {period}' if period else ''}."
    )


def no_school_gaps(period: str | None) -> str:
    """The area page's funnel, when no school of the authority has a gap to plot."""
    return (
        f"No school gaps to plot: the store holds no school figures for disadvantaged pupils "
        f"and their peers in this authority{f' in {period}' if period else ''}. Import its "
        "school performance tables to see them."
    )


def no_spine(period: str | None) -> str:
    """The area page's spine chart, when no figure can be set against all authorities."""
    return (
        "No figures to compare with all authorities: the store holds no all-pupil figures "
        f"of other authorities{f' for {period}' if period else ''} (LAIT and DfE's LA tables "
        "publish them)."
    )


def no_neighbours(neighbours: pd.DataFrame) -> str | None:
    """The neighbours table's note when no statistical neighbour's figure is held (no
    neighbour set imported, or none of the neighbours' figures); None when some are."""
    if not neighbours.empty and neighbours["neighbours"].notna().any():
        return None
    return (
        "No statistical neighbours' figures: the store holds no neighbour set for this "
        "authority, or no figures for its neighbours. Import DfE's statistical neighbours "
        "workbook and LA figures (LAIT) to compare with them."
    )


def no_schools(name: str) -> str:
    """The area page's schools table, when the store holds no school of the authority."""
    return (
        f"The store holds no schools in {escape_markdown(name)}: import the Get Information "
        "About Schools register or the authority's school performance tables to list them."
    )


def not_in_remit(titles: list[str], place: str) -> str | None:
    """What a page says where the viewer's remit does not cover the place: which restricted
    indicators (``titles``: figures not published by place) it holds back, and why; None when
    no restricted indicator applies."""
    if not titles:
        return None
    listed = "; ".join(titles)
    return (
        f"Not available to your account: figures not published by place ({listed}) are shown "
        f"only to accounts whose remit covers {place}. The published figures are all here."
    )
