"""Cached loaders of the analyses behind each page (profile, overviews, gap explorer, plan),
keyed by the store's URL and data version, the viewer's remit (whose restricted figures they
may see: ``ecm.access.scope``), the place and the period."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ecm.access.scope import current_remit
from ecm.config import database_url
from ecm.store.school_types import MAINSTREAM, STATE_FUNDED
from ecm.ui.store import CACHE_TTL, engine_for, run_version


def _reading() -> tuple[str, int, str]:
    """The first three keys of every cached analysis: the store's URL, the version of its data
    this run reads as of (``ecm.ui.store.run_version``), and the remit this run reads for, so
    a result computed for one viewer is never served to another with a different remit."""
    return database_url(), run_version(), current_remit().name


if TYPE_CHECKING:  # the analyses load when a page first needs them
    from ecm.plan.page import PlanPage


@st.cache_data(ttl=CACHE_TTL, max_entries=128, show_spinner="Computing the profile…")
def _profile(
    url: str,
    version: int,
    viewer: str,
    level: str,
    code: str,
    period: str | None,
    schools: str = STATE_FUNDED,
) -> dict | None:
    from ecm.figures.queries import UnknownArea
    from ecm.places.profile import build_profile

    try:
        return build_profile(engine_for(url), level, code, period, schools)
    except UnknownArea:
        return None


def load_profile(
    level: str, code: str, period: str | None, schools: str = STATE_FUNDED
) -> dict | None:
    """The cached profile of a place (None when the code is unknown); a period that is not an
    academic year such as 2008/09 is ignored (the latest year is shown). A school is compared
    with the set ``schools`` (``ecm.store.school_types``: state-funded schools, or all)."""
    from ecm.periods import is_academic_year

    if period and not is_academic_year(period):
        period = None
    return _profile(*_reading(), level, code, period, schools)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the area overview…")
def _area(url: str, version: int, viewer: str, la: str, period: str | None):  # noqa: ANN202
    from ecm.figures.queries import UnknownArea
    from ecm.places.overview import area_overview

    try:
        return area_overview(engine_for(url), la, period)
    except UnknownArea:
        return None


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner="Computing the region overview…")
def _region(url: str, version: int, viewer: str, code: str, period: str | None):  # noqa: ANN202
    from ecm.figures.queries import UnknownArea
    from ecm.places.overview import region_overview

    try:
        return region_overview(engine_for(url), code, period)
    except UnknownArea:
        return None


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the gaps…")
def _gaps(
    url: str,
    version: int,
    viewer: str,
    indicator: str,
    group: str,
    level: str,
    period,
    within,
    schools: str,
    kind: str,
):  # noqa: ANN001, ANN202, E501
    from ecm.places.explorer import explore_gaps

    return explore_gaps(engine_for(url), indicator, group, level, period, within, schools, kind)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Computing the gap trends…")
def _region_gaps(
    url: str, version: int, viewer: str, code: str, indicator: str, group: str, period: str | None
):  # noqa: ANN202
    from ecm.places.region_gaps import region_gap_trends

    return region_gap_trends(engine_for(url), code, indicator, group, period)


def load_region_gap_trends(code: str, indicator: str, group: str, period: str | None):  # noqa: ANN201
    """The cached gap trends of a region's authorities for one indicator and focus group."""
    return _region_gaps(*_reading(), code, indicator, group, period)


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner="Reading the plan…")
def _plan(url: str, version: int, viewer: str, la: str, period: str | None) -> PlanPage | None:
    from ecm.figures.queries import UnknownArea
    from ecm.plan.page import plan_page

    try:
        return plan_page(engine_for(url), la, period)
    except UnknownArea:
        return None


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Drawing the curve…")
def _curve(
    url: str, version: int, viewer: str, la: str, indicator: str, group: str, period: str | None
):  # noqa: ANN202
    from ecm.plan.loaders import gap_turn_the_curve

    return gap_turn_the_curve(engine_for(url), la, indicator, group, period)


def load_plan_page(la: str, period: str | None) -> PlanPage | None:
    """The cached Plan page of an LA: :class:`ecm.plan.page.PlanPage` (None for an unknown LA
    code)."""
    return _plan(*_reading(), la, period)


def load_turn_the_curve(la: str, indicator: str, group: str, period: str | None):  # noqa: ANN201
    """The cached turn-the-curve picture of one of an LA's gaps (or values) up to a year."""
    return _curve(*_reading(), la, indicator, group, period)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner="Comparing the two years…")
def _changes(url: str, version: int, viewer: str, level: str, code: str, before: str, after: str):  # noqa: ANN202
    from ecm.plan.loaders import la_plan_coverage
    from ecm.views.changes import compare_years

    then = _profile(url, version, viewer, level, code, before)
    now = _profile(url, version, viewer, level, code, after)
    if then is None or now is None:
        return None
    if level != "la":
        return compare_years(then, now)
    engine = engine_for(url)
    coverage = (la_plan_coverage(engine, code, before), la_plan_coverage(engine, code, after))
    return compare_years(then, now, *coverage)


def load_changes(level: str, code: str, before: str, after: str):  # noqa: ANN201
    """The cached changes in a place from year ``before`` to year ``after``
    (:class:`ecm.views.changes.Changes`; None for an unknown place)."""
    return _changes(*_reading(), level, code, before, after)


def load_area_overview(la: str, period: str | None):  # noqa: ANN201
    """The cached area overview of an LA (None for an unknown code)."""
    return _area(*_reading(), la, period)


def load_region_overview(code: str, period: str | None):  # noqa: ANN201
    """The cached region overview (None for an unknown code)."""
    return _region(*_reading(), code, period)


def load_gap_exploration(  # noqa: ANN201
    indicator: str,
    group: str,
    level: str,
    period,  # noqa: ANN001
    within,  # noqa: ANN001
    schools: str = STATE_FUNDED,
    kind: str = MAINSTREAM,
):
    """The cached gap explorer result; schools among the set ``schools``, of the ``kind``
    mainstream or special."""
    return _gaps(
        *_reading(),
        indicator,
        group,
        level,
        period,
        within,
        schools,
        kind,
    )


@st.cache_data(ttl=CACHE_TTL, max_entries=32, show_spinner=False)
def _school_distribution(
    url: str, version: int, period: str, phase: str, schools: str
) -> pd.DataFrame:
    from ecm.figures import many_places
    from ecm.periods import period_aliases

    engine = engine_for(url)
    return many_places.load_school_distribution(engine, phase, period_aliases(period), schools)


def load_school_distribution(phase: str, period: str, schools: str = STATE_FUNDED) -> pd.DataFrame:
    """Every indicator's spread across the schools of a phase in the period (state-funded
    ones, or ``all``)."""
    return _school_distribution(database_url(), run_version(), period, phase, schools)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _school_spines(
    url: str, version: int, viewer: str, urn: str, period: str, phase: str | None, schools: str
) -> pd.DataFrame:
    from ecm.places.overview import spine_rows

    profile = _profile(url, version, viewer, "school", urn, period, schools)
    if profile is None:
        return pd.DataFrame()
    spread = _school_distribution(url, version, period, phase, schools) if phase else pd.DataFrame()
    return spine_rows(pd.DataFrame(profile["observations"]), spread)


def load_school_spines(
    urn: str, period: str, phase: str | None, schools: str = STATE_FUNDED
) -> pd.DataFrame:
    """A school's figures placed on the spread of the schools of its phase in England (the
    set ``schools``), for the spine charts (cached, as the area page's spines are)."""
    return _school_spines(*_reading(), urn, period, phase, schools)
