"""The derived school benchmarks agree with the figures they summarise."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from ecm.stats.benchmarks import fsm_band


def read(engine, sql: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql_query(text(sql), connection)


def test_similar_school_totals_are_the_sums_over_phase_and_band(demo_engine) -> None:
    schools = read(demo_engine, "SELECT urn, phase, percent_fsm FROM school")
    schools["fsm_band"] = fsm_band(schools["percent_fsm"]).to_numpy()
    figures = read(
        demo_engine,
        "SELECT area_code AS urn, numerator, denominator FROM observation "
        "WHERE level = 'school' AND indicator_code = 'ni_73' AND group_code = 'disadvantaged' "
        # Pools hold shown figures with both counts only (METHODOLOGY, "School comparisons").
        "AND period = '2008/09' AND NOT withheld "
        "AND numerator IS NOT NULL AND denominator IS NOT NULL",
    ).merge(schools, on="urn")
    expected = figures.groupby(["phase", "fsm_band"])[["numerator", "denominator"]].sum()
    stored = read(
        demo_engine,
        "SELECT phase, fsm_band, numerator, denominator, schools FROM school_benchmark "
        "WHERE indicator_code = 'ni_73' AND group_code = 'disadvantaged' AND period = '2008/09' "
        "AND schools > 0",
    ).set_index(["phase", "fsm_band"])
    assert set(stored.index) == set(expected.index)
    for key, row in expected.iterrows():
        assert stored.loc[key, "numerator"] == row["numerator"]
        assert stored.loc[key, "denominator"] == row["denominator"]


def test_phase_quartiles_match_the_school_values(demo_engine) -> None:
    values = read(
        demo_engine,
        "SELECT o.value FROM observation o JOIN school s ON s.urn = o.area_code "
        "WHERE o.level = 'school' AND o.indicator_code = 'ni_75' AND o.group_code = 'all' "
        "AND o.period = '2009/10' AND s.phase = 'secondary' AND NOT o.withheld",
    )["value"]
    stored = read(
        demo_engine,
        "SELECT q1, median, q3, schools FROM school_benchmark WHERE indicator_code = 'ni_75' "
        "AND period = '2009/10' AND phase = 'secondary' AND fsm_band = 'all'",
    ).iloc[0]
    assert stored["schools"] == len(values)
    assert stored["q1"] == pytest.approx(values.quantile(0.25))
    assert stored["median"] == pytest.approx(values.median())
    assert stored["q3"] == pytest.approx(values.quantile(0.75))
