"""Read functions for pages that look across many places at once (gap explorer, area and
region overviews): one indicator at one level, names of places, one area's series.

Like ``ecm.figures.queries``, every figure passes disclosure control here: the decisions
stored after the last load where they are current (:mod:`ecm.disclosure.decisions`), else
decided here with each place's siblings (the other schools of its LA, the other LAs of its
region), so a figure is withheld or shown the same way on every page.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, select

from ecm.disclosure.decisions import all_decided, apply_stored, control, decisions_current
from ecm.figures.queries import (
    FIGURE_FIELDS,
    _family,
    _figure_frame,
    _frame,
    indicator_statistics,
    shown_to_viewer,
)
from ecm.store.models import LocalAuthority, Observation, Region, School
from ecm.store.school_types import STATE_FUNDED

CHUNK = 900  # bound parameters per IN list, well under every driver's limit


def _parents(engine: Engine, level: str) -> pd.Series:
    """Every place at ``level`` -> the place its figures add up into."""
    column = {
        "school": (School.urn, School.la_code),
        "la": (LocalAuthority.code, LocalAuthority.region_code),
        "region": (Region.code, Region.country_code),
    }[level]
    if level == "school":
        # Independent schools are not part of their LA's (state-funded) figures.
        column = (School.urn, case((School.state_funded.is_(False), None), else_=School.la_code))
    with engine.connect() as connection:
        return pd.Series(dict(connection.execute(select(*column)).all()), dtype=object)


def not_state_funded_schools(engine: Engine) -> set[str]:
    """URNs of the schools known not to be state-funded (independent, non-maintained special):
    left out of comparisons among schools, as DfE leaves them out (``ecm.store.school_types``)."""
    with engine.connect() as connection:
        return set(connection.scalars(select(School.urn).where(School.state_funded.is_(False))))


def _select(
    engine: Engine, indicator: str, groups: list[str], level: str, periods: set[str] | None
) -> pd.DataFrame:
    statement = select(*FIGURE_FIELDS).where(
        Observation.indicator_code == indicator,
        Observation.level == level,
        Observation.group_code.in_(groups),
    )
    if periods is not None:
        statement = statement.where(Observation.period.in_(sorted(periods)))
    return _figure_frame(engine, statement)


def load_national_series(engine: Engine, indicator: str, groups: list[str]) -> pd.DataFrame:
    """England's figures for the groups in every period (the demo's fictional country in a
    demo store), after disclosure control."""
    figures = _select(engine, indicator, groups, "england", None)
    if figures.empty:
        return figures.assign(suppressed=pd.Series(dtype=bool))
    # A store holds one country: real England, or the demo's fictional one.
    country = figures["area_code"].value_counts().index[0]
    figures = figures[figures["area_code"] == country]
    return _control(engine, figures, None)


def load_level_figures(
    engine: Engine,
    indicator: str,
    level: str,
    periods: set[str],
    groups: list[str],
    within: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Every school's, LA's or region's figures for the groups and periods, optionally only the
    places inside an LA or region, after disclosure control among siblings."""
    if within is None:
        figures = _select(engine, indicator, groups, level, periods)
    else:
        # Only the places inside: whole families (all schools of an LA or region, all LAs of
        # a region), so disclosure control among siblings is the same as nationally.
        figures = _chunked(
            engine,
            members_of(engine, level, *within),
            Observation.indicator_code == indicator,
            Observation.level == level,
            Observation.group_code.in_(groups),
            Observation.period.in_(sorted(periods)),
        )
    return _control(engine, figures, lambda: _parents(engine, level))


def members_of(engine: Engine, level: str, parent_level: str, parent_code: str) -> list[str]:
    """The places at ``level`` inside an LA or region (schools of an LA or region, LAs of a
    region)."""
    with engine.connect() as connection:
        if level == "school" and parent_level == "la":
            statement = select(School.urn).where(School.la_code == parent_code)
        elif level == "school" and parent_level == "region":
            statement = (
                select(School.urn)
                .join(LocalAuthority, LocalAuthority.code == School.la_code)
                .where(LocalAuthority.region_code == parent_code)
            )
        elif level == "la" and parent_level == "region":
            statement = select(LocalAuthority.code).where(LocalAuthority.region_code == parent_code)
        elif level == parent_level:
            return [parent_code]
        else:
            raise ValueError(f"{level} places are not inside a {parent_level}")
        return list(connection.scalars(statement).all())


def load_area_series(
    engine: Engine, indicator: str, level: str, code: str, groups: list[str]
) -> pd.DataFrame:
    """One LA's or region's figures for the groups in every period, after disclosure control
    among its siblings."""
    conditions = (
        Observation.indicator_code == indicator,
        Observation.level == level,
        Observation.group_code.in_(groups),
    )
    if decisions_current(engine):
        figures = _chunked(engine, [code], *conditions)
        if all_decided(figures):
            return shown_to_viewer(apply_stored(figures))
    family, parent_of = _family(engine, level, code)
    figures = _chunked(engine, family, *conditions).drop(columns="withheld")
    controlled = _control(engine, figures, parent_of)
    return controlled[controlled["area_code"] == code]


def load_place_names(engine: Engine, level: str, codes: list[str]) -> pd.DataFrame:
    """area_code, name, la_code, la_name, region_name of places at ``level``; for schools
    also their phase and school_type (which tell special schools apart)."""
    if level == "school":
        statement = (
            select(
                School.urn.label("area_code"),
                School.name,
                School.la_code,
                LocalAuthority.name.label("la_name"),
                Region.name.label("region_name"),
                School.phase,
                School.school_type,
            )
            .join(LocalAuthority, LocalAuthority.code == School.la_code, isouter=True)
            .join(Region, Region.code == LocalAuthority.region_code, isouter=True)
        )
        key = School.urn
    elif level == "la":
        statement = select(
            LocalAuthority.code.label("area_code"),
            LocalAuthority.name,
            LocalAuthority.code.label("la_code"),
            LocalAuthority.name.label("la_name"),
            Region.name.label("region_name"),
        ).join(Region, Region.code == LocalAuthority.region_code, isouter=True)
        key = LocalAuthority.code
    else:
        statement = select(
            Region.code.label("area_code"),
            Region.name,
            Region.code.label("la_code"),
            Region.name.label("la_name"),
            Region.name.label("region_name"),
        )
        key = Region.code
    frames = [
        _frame(engine, statement.where(key.in_(codes[start : start + CHUNK])))
        for start in range(0, len(codes), CHUNK)
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["area_code", "name", "la_code", "la_name", "region_name"])
    return pd.concat(frames, ignore_index=True)


def _control(engine: Engine, figures: pd.DataFrame, parent_of) -> pd.DataFrame:  # noqa: ANN001
    """The figures after disclosure control (stored decisions, else decided among siblings),
    as the viewer the code runs for may see them."""
    return shown_to_viewer(
        control(engine, figures, lambda: indicator_statistics(engine), parent_of)
    )


def load_school_figures_of_la(engine: Engine, la_code: str, periods: set[str]) -> pd.DataFrame:
    """All-pupil figures of every school of an LA in the periods, after disclosure control
    (the schools of an LA are each other's siblings)."""
    urns = members_of(engine, "school", "la", la_code)
    figures = _chunked(
        engine,
        urns,
        Observation.level == "school",
        Observation.group_code == "all",
        Observation.period.in_(sorted(periods)),
    )
    return _control(engine, figures, pd.Series(la_code, index=urns))


def _chunked(engine: Engine, codes: list[str], *conditions) -> pd.DataFrame:  # noqa: ANN002
    """Figures of the areas ``codes`` meeting ``conditions``, read in chunks of codes."""
    frames = [
        _figure_frame(
            engine,
            select(*FIGURE_FIELDS).where(
                *conditions, Observation.area_code.in_(codes[start : start + CHUNK])
            ),
        )
        for start in range(0, len(codes), CHUNK)
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[c.key for c in FIGURE_FIELDS])
    return pd.concat(frames, ignore_index=True)


def load_phase_quartiles(engine: Engine, periods: list[str]) -> pd.DataFrame:
    """National quartiles of schools' all-pupil figures by phase: indicator_code, period,
    phase, q1, median, q3."""
    from ecm.store.models import SchoolBenchmark as B

    statement = select(B.indicator_code, B.period, B.phase, B.q1, B.median, B.q3).where(
        B.fsm_band == "all", B.group_code == "all", B.period.in_(periods)
    )
    return _frame(engine, statement)


def load_la_figures(engine: Engine, la_codes: list[str]) -> pd.DataFrame:
    """Every figure of the LAs (all indicators, groups and periods), after disclosure control
    among the LAs of each region."""
    figures = _chunked(engine, la_codes, Observation.level == "la")
    return _control(engine, figures, lambda: _parents(engine, "la"))


def load_country_figures(engine: Engine, country_code: str | None) -> pd.DataFrame:
    """Every figure of the country (England, or the demo's fictional country)."""
    statement = select(*FIGURE_FIELDS).where(
        Observation.level == "england", Observation.area_code == country_code
    )
    return _control(engine, _figure_frame(engine, statement), None)


def la_distribution(peers: pd.DataFrame) -> pd.DataFrame:
    """Across all LAs, each indicator's all-pupil spread in the periods of ``peers`` (every
    LA's figures after disclosure control, :func:`ecm.figures.queries.load_peer_figures`):
    indicator_code, period, minimum, q1, q3, maximum, places."""
    if peers.empty:  # a place with no figures reads no peers
        columns = ["indicator_code", "period", "minimum", "q1", "q3", "maximum", "places"]
        return pd.DataFrame(columns=columns)
    peers = peers[(peers["group_code"] == "all") & peers["value"].notna()]
    return _spread(peers)


def load_school_distribution(
    engine: Engine, phase: str, periods: set[str], schools: str = STATE_FUNDED
) -> pd.DataFrame:
    """Across the schools of a phase in the set ``schools`` (state-funded ones, as DfE compares
    schools, or ``all``), each indicator's all-pupil spread in the periods:
    indicator_code, period, minimum, q1, q3, maximum, places — where "minimum" and "maximum" are the
    5th and 95th percentiles. The extremes of thousands of schools are the smallest schools,
    whose figures disclosure control withholds, and they would stretch every range to 0-100;
    the spread is taken only over figures after disclosure control (siblings: every school of
    the LA, whatever its phase)."""
    with engine.connect() as connection:
        members = select(School.urn).where(School.phase == phase)
        if schools == STATE_FUNDED:
            members = members.where(School.state_funded.is_not(False))
        in_phase = set(connection.scalars(members).all())
    where = (
        Observation.level == "school",
        Observation.group_code == "all",
        Observation.period.in_(sorted(periods)),
    )
    # (No join with school in SQL: SQLite would then walk every school's figures instead of
    # the indicator index.)
    if decisions_current(engine):
        # The stored decisions stand: read only the values shown, four columns of them.
        fields = (Observation.area_code, Observation.indicator_code, Observation.period)
        controlled = _figure_frame(
            engine,
            select(*fields, Observation.value).where(*where, Observation.withheld.is_(False)),
        )
    else:
        figures = _figure_frame(engine, select(*FIGURE_FIELDS).where(*where))
        # A spread over every school is a total over many (ecm.access.scope): not per viewer.
        parents = lambda: _parents(engine, "school")  # noqa: E731
        controlled = control(engine, figures, lambda: indicator_statistics(engine), parents)
    shown = controlled[controlled["area_code"].isin(in_phase) & controlled["value"].notna()]
    return _spread(shown, tails=0.05)


def _spread(figures: pd.DataFrame, tails: float = 0.0) -> pd.DataFrame:
    """Per indicator and period: the ``tails`` and ``1 - tails`` quantiles (the minimum and
    maximum when 0), the quartiles of the figures' values, and how many ``places`` they rest
    on (a spread of a few places is no benchmark: see ``ecm.places.overview.MIN_SPREAD_PLACES``)."""
    grouped = figures.groupby(["indicator_code", "period"])["value"]
    return pd.DataFrame(
        {
            "minimum": grouped.quantile(tails),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
            "maximum": grouped.quantile(1 - tails),
            "places": grouped.size(),
        }
    ).reset_index()
