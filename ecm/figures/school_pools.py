"""Derived tables refreshed after every load, so that comparisons with all schools are lookups.

``school_benchmark`` holds, per indicator, group, period and phase: the pooled counts of the
schools in each FSM band ("similar schools"), and the quartiles of the phase's all-pupil values
(for bottom-quartile flags). Both are over state-funded schools, as DfE compares schools
(independent and non-maintained special schools are left out); where a phase holds schools that
are not state-funded, the same rows over all its schools are kept too, under the band's label
with a prefix (``ecm.store.school_types.benchmark_band``), for people who choose to compare with
every school. A pool sums only the schools whose numerator and denominator are both known: a
school whose figure its publisher withheld would otherwise add its pupils to the denominator
and nothing to the numerator (SQL's ``SUM`` skips a missing value), pulling the pool down. How
many schools were so left out is kept too. Both are over shown figures only, so they are
refreshed after disclosure is decided.
Computing these from 3.7 million figures takes seconds, too slow for a page or a command that
wants one school's profile, and quick once per import.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, case, delete, exists, func, or_, select

from ecm.stats.benchmarks import FSM_BAND_LABELS, FSM_BANDS
from ecm.store.engine import bulk_insert
from ecm.store.models import Observation, School, SchoolBenchmark
from ecm.store.school_types import ALL_SCHOOLS, benchmark_band

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
    """Recompute ``school_benchmark`` from the stored school figures; returns its row count.

    The state-funded set's rows always; the rows of the set with independent schools only
    for the phases (quartiles) and phase-and-band pools that hold a school that is not
    state-funded: elsewhere the two sets are the same schools, and a reader of the wider set
    falls back on the state-funded rows (:func:`ecm.figures.queries.load_school_benchmarks`).
    """
    connection.execute(delete(SchoolBenchmark))
    rows = _benchmark_rows(connection, state_funded_school())
    # An independent school without a % FSM is in no band's pool, but in its phase's quartiles.
    band = case((School.percent_fsm.is_(None), None), else_=fsm_band_expression())
    # Only independent schools with figures of their own make the sets differ (the register
    # lists many that publish none).
    has_figures = exists().where(Observation.level == "school", Observation.area_code == School.urn)
    independent = connection.execute(
        select(School.phase, band)
        .where(School.state_funded.is_(False), School.phase.is_not(None), has_figures)
        .distinct()
    ).all()
    phases = sorted({phase for phase, _ in independent})
    if phases:
        wider = _benchmark_rows(connection, School.phase.in_(phases))
        # A pool keeps its wider row only where an independent school has a % FSM in its band.
        bands = {(phase, label) for phase, label in independent}
        keep = (wider["fsm_band"] == ALL_BANDS) | pd.Series(
            [(p, b) in bands for p, b in zip(wider["phase"], wider["fsm_band"], strict=True)],
            index=wider.index,
            dtype=bool,
        )
        wider = wider[keep].assign(
            fsm_band=lambda f: f["fsm_band"].map(lambda b: benchmark_band(b, ALL_SCHOOLS))
        )
        rows = pd.concat([rows, wider], ignore_index=True)
    if rows.empty:
        return 0
    return bulk_insert(connection, "school_benchmark", rows)


def _benchmark_rows(connection: Connection, schools: ColumnElement[bool]) -> pd.DataFrame:
    """Pools by phase and FSM band, and the phase's quartiles, over the schools ``schools``
    selects, as rows of ``school_benchmark``."""
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
        schools,
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
            schools,
        )
    )
    frame = pd.DataFrame(values.fetchall(), columns=list(values.keys()))
    columns = [c.key for c in SchoolBenchmark.__table__.columns]
    if frame.empty and bands.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby(["indicator_code", "period", "phase"])["value"]
    quartiles = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["q1", "median", "q3"]
    quartiles["schools"] = grouped.size()
    quartiles = quartiles.reset_index().assign(group_code="all", fsm_band=ALL_BANDS)
    frames = [f for f in (bands, quartiles) if not f.empty]
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)
