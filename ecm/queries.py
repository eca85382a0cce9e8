"""Read functions: the store in, DataFrames out.

Everything a page or an export shows passes through here, so this is where scope and disclosure
control belong (they arrive with later capabilities). Functions take an engine and plain values,
aggregate in SQL, and never return more rows than the page needs.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, exists, func, select

from ecm.models import (
    Action,
    Aim,
    ImportBatch,
    Indicator,
    LocalAuthority,
    Observation,
    Outcome,
    Plan,
    PupilGroup,
    Region,
    School,
)


def _frame(engine: Engine, statement) -> pd.DataFrame:  # noqa: ANN001
    """Run a select and return its rows as a DataFrame."""
    with engine.connect() as connection:
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def store_is_empty(engine: Engine) -> bool:
    """True when the store holds no geography at all (a fresh install)."""
    with engine.connect() as connection:
        return not connection.scalar(select(exists().where(Region.code.is_not(None))))


def holds_fictional_data(engine: Engine) -> bool:
    """True when any fictional (demo) region is in the store."""
    with engine.connect() as connection:
        return bool(connection.scalar(select(exists().where(Region.fictional.is_(True)))))


def load_outcomes(engine: Engine) -> pd.DataFrame:
    """The five outcomes with their aims, in order: outcome_code, outcome, aim_code, aim."""
    statement = (
        select(
            Outcome.code.label("outcome_code"),
            Outcome.title.label("outcome"),
            Aim.code.label("aim_code"),
            Aim.title.label("aim"),
        )
        .join(Aim, Aim.outcome_code == Outcome.code)
        .order_by(Outcome.position, Aim.position)
    )
    return _frame(engine, statement)


def load_indicators(engine: Engine) -> pd.DataFrame:
    """The indicator catalogue with outcome and aim titles, ordered by outcome then title."""
    statement = (
        select(
            Indicator.code,
            Indicator.title,
            Outcome.title.label("outcome"),
            Aim.title.label("aim"),
            Indicator.ni_number,
            Indicator.unit,
            Indicator.statistic,
            Indicator.polarity,
            Indicator.levels,
            Indicator.phases,
            Indicator.period_type,
            Indicator.source,
            Indicator.definition,
            Indicator.outcome_code,
        )
        .join(Outcome, Outcome.code == Indicator.outcome_code)
        .join(Aim, Aim.code == Indicator.aim_code)
        .order_by(Outcome.position, Indicator.title)
    )
    return _frame(engine, statement)


def load_pupil_groups(engine: Engine) -> pd.DataFrame:
    """Pupil groups with their comparators."""
    statement = select(
        PupilGroup.code, PupilGroup.title, PupilGroup.comparator_code, PupilGroup.description
    ).order_by(PupilGroup.code)
    return _frame(engine, statement)


def load_regions(engine: Engine) -> pd.DataFrame:
    """Regions: code, name, fictional."""
    return _frame(engine, select(Region.code, Region.name, Region.fictional).order_by(Region.name))


def load_local_authorities(engine: Engine, region_code: str | None = None) -> pd.DataFrame:
    """Local authorities (optionally of one region): code, old_code, name, region_code."""
    statement = select(
        LocalAuthority.code,
        LocalAuthority.old_code,
        LocalAuthority.name,
        LocalAuthority.region_code,
        LocalAuthority.fictional,
    ).order_by(LocalAuthority.name)
    if region_code:
        statement = statement.where(LocalAuthority.region_code == region_code)
    return _frame(engine, statement)


def load_schools(engine: Engine, la_code: str) -> pd.DataFrame:
    """The schools of one LA: urn, laestab, name, phase, type, status, roll, % FSM."""
    statement = (
        select(
            School.urn,
            School.laestab,
            School.name,
            School.phase,
            School.school_type,
            School.status,
            School.number_on_roll,
            School.percent_fsm,
        )
        .where(School.la_code == la_code)
        .order_by(School.name)
    )
    return _frame(engine, statement)


def search_schools(engine: Engine, text: str, limit: int = 50) -> pd.DataFrame:
    """Schools whose name contains ``text`` or whose URN or LAESTAB equals it."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=["urn", "name", "phase", "la_name"])
    pattern = f"%{text.lower()}%"
    statement = (
        select(School.urn, School.name, School.phase, LocalAuthority.name.label("la_name"))
        .join(LocalAuthority, LocalAuthority.code == School.la_code, isouter=True)
        .where(
            func.lower(School.name).like(pattern)
            | (School.urn == text)
            | (School.laestab == text.replace("/", ""))
        )
        .order_by(School.name)
        .limit(limit)
    )
    return _frame(engine, statement)


def school_summary(engine: Engine, urn: str) -> dict | None:
    """One school's register facts with its LA and region names, or None if unknown."""
    statement = (
        select(
            School.urn,
            School.laestab,
            School.name,
            School.phase,
            School.school_type,
            School.status,
            School.number_on_roll,
            School.percent_fsm,
            School.fictional,
            LocalAuthority.code.label("la_code"),
            LocalAuthority.name.label("la_name"),
            Region.code.label("region_code"),
            Region.name.label("region_name"),
        )
        .join(LocalAuthority, LocalAuthority.code == School.la_code, isouter=True)
        .join(Region, Region.code == LocalAuthority.region_code, isouter=True)
        .where(School.urn == urn)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().first()
        if row is None:
            return None
        summary = dict(row)
        summary["figures"] = connection.scalar(
            select(func.count())
            .select_from(Observation)
            .where(Observation.level == "school", Observation.area_code == urn)
        )
    return summary


def la_summary(engine: Engine, la_code: str) -> dict | None:
    """One LA's facts: names, codes, school counts by phase, plan actions, or None."""
    statement = (
        select(
            LocalAuthority.code,
            LocalAuthority.old_code,
            LocalAuthority.name,
            LocalAuthority.fictional,
            Region.code.label("region_code"),
            Region.name.label("region_name"),
        )
        .join(Region, Region.code == LocalAuthority.region_code, isouter=True)
        .where(LocalAuthority.code == la_code)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().first()
        if row is None:
            return None
        summary = dict(row)
        phases = connection.execute(
            select(School.phase, func.count())
            .where(School.la_code == la_code)
            .group_by(School.phase)
        ).all()
        summary["schools_by_phase"] = {phase or "unknown": count for phase, count in phases}
        summary["actions"] = connection.scalar(
            select(func.count())
            .select_from(Action)
            .join(Plan, Plan.id == Action.plan_id)
            .where(Plan.la_code == la_code)
        )
    return summary


def region_summary(engine: Engine, region_code: str) -> dict | None:
    """One region's name, its LAs' count and its schools' count, or None."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(Region.code, Region.name, Region.fictional).where(Region.code == region_code)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        summary = dict(row)
        summary["las"] = connection.scalar(
            select(func.count())
            .select_from(LocalAuthority)
            .where(LocalAuthority.region_code == region_code)
        )
        summary["schools"] = connection.scalar(
            select(func.count())
            .select_from(School)
            .join(LocalAuthority, LocalAuthority.code == School.la_code)
            .where(LocalAuthority.region_code == region_code)
        )
    return summary


def load_import_batches(engine: Engine) -> pd.DataFrame:
    """The import history, newest first: the provenance of every stored figure."""
    statement = select(
        ImportBatch.id,
        ImportBatch.file_name,
        ImportBatch.format,
        ImportBatch.checksum,
        ImportBatch.imported_by,
        ImportBatch.imported_at,
        ImportBatch.rows_loaded,
        ImportBatch.rows_rejected,
        ImportBatch.status,
        ImportBatch.licence,
    ).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    return _frame(engine, statement)


def count_observations(engine: Engine) -> pd.DataFrame:
    """Figures held per level: level, figures."""
    statement = (
        select(Observation.level, func.count().label("figures"))
        .group_by(Observation.level)
        .order_by(Observation.level)
    )
    return _frame(engine, statement)
