"""Derived tables refreshed after every load, so that comparisons with all schools are lookups.

``school_benchmark`` holds, per indicator, group, period and phase: the pooled counts of the
schools in each FSM band ("similar schools"), and the quartiles of the phase's all-pupil values
(for bottom-quartile flags). Both are over state-funded schools only, as DfE compares schools
(independent and non-maintained special schools are left out), and a pool sums only the schools
whose numerator and denominator are both known: a school whose figure its publisher withheld
would otherwise add its pupils to the denominator and nothing to the numerator (SQL's ``SUM``
skips a missing value), pulling the pool down. How many schools were so left out is kept too.
Both are over shown figures only, so they are refreshed after disclosure is decided.
Computing these from 3.7 million figures takes seconds, too slow for a page or a command that
wants one school's profile, and quick once per import.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, case, delete, exists, func, or_, select

from ecm.stats.benchmarks import FSM_BAND_LABELS, FSM_BANDS
from ecm.store.engine import bulk_insert
from ecm.store.models import Observation, School, SchoolBenchmark

ALL_BANDS = "all"


def fsm_band_expression():  # noqa: ANN201
    """SQL CASE giving a school's FSM band label from its % FSM."""
    whens = [
        (School.percent_fsm < high, label)
        for high, label in zip(FSM_BANDS[1:], FSM_BAND_LABELS, strict=True)
    ]
    return case(*whens, else_=FSM_BAND_LABELS[-1])


def state_funded_school():  # noqa: ANN201
    """SQL condition: a state-funded school, or one whose type is not known (see
    ``ecm.store.school_types``)."""
    return or_(School.state_funded.is_(None), School.state_funded.is_(True))


def ensure_school_benchmarks(engine: Engine, stale: bool = False) -> bool:
    """Fill ``school_benchmark`` if it is ``stale`` (disclosure decided again) or empty while
    school figures exist (a store made before the table existed); True when it refreshed."""
    if stale:
        with engine.begin() as connection:
            refresh_school_benchmarks(connection)
        return True
    with engine.connect() as connection:
        has_summary = connection.scalar(select(exists().where(SchoolBenchmark.schools > 0)))
        has_schools = connection.scalar(select(exists().where(Observation.level == "school")))
    if has_summary or not has_schools:
        return False
    with engine.begin() as connection:
        refresh_school_benchmarks(connection)
    return True


def refresh_school_benchmarks(connection: Connection) -> int:
    """Recompute ``school_benchmark`` from the stored school figures; returns its row count."""
    connection.execute(delete(SchoolBenchmark))
    band = fsm_band_expression().label("fsm_band")
    # Only shown figures with both counts are pooled: a pool holding a withheld school would
    # give it back by differencing the values different schools see (METHODOLOGY.md,
    # "Disclosure control"), and a missing numerator would pull the pool down.
    counted = (
        Observation.withheld.is_(False)
        & Observation.numerator.is_not(None)
        & Observation.denominator.is_not(None)
    )
    pooled = select(
        Observation.indicator_code,
        Observation.group_code,
        Observation.period,
        School.phase,
        band,
        func.sum(case((counted, 1), else_=0)).label("schools"),
        func.sum(case((counted, 0), else_=1)).label("left_out"),
        func.sum(case((counted, Observation.numerator))).label("numerator"),
        func.sum(case((counted, Observation.denominator))).label("denominator"),
    ).join(School, School.urn == Observation.area_code)
    shown = Observation.withheld.is_(False)
    pooled = pooled.where(
        Observation.level == "school",
        School.phase.is_not(None),
        School.percent_fsm.is_not(None),
        state_funded_school(),
    ).group_by(
        Observation.indicator_code, Observation.group_code, Observation.period, School.phase, band
    )
    result = connection.execute(pooled)
    bands = pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    values = connection.execute(
        select(Observation.indicator_code, Observation.period, School.phase, Observation.value)
        .join(School, School.urn == Observation.area_code)
        .where(
            Observation.level == "school",
            Observation.group_code == "all",
            Observation.value.is_not(None),
            shown,
            School.phase.is_not(None),
            state_funded_school(),
        )
    )
    frame = pd.DataFrame(values.fetchall(), columns=list(values.keys()))
    if frame.empty and bands.empty:
        return 0
    grouped = frame.groupby(["indicator_code", "period", "phase"])["value"]
    quartiles = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["q1", "median", "q3"]
    quartiles["schools"] = grouped.size()
    quartiles = quartiles.reset_index().assign(group_code="all", fsm_band=ALL_BANDS)
    rows = pd.concat([bands, quartiles], ignore_index=True)
    columns = [c.key for c in SchoolBenchmark.__table__.columns]
    rows = rows.reindex(columns=columns)
    return bulk_insert(connection, "school_benchmark", rows)
