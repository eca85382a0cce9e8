"""The fictional demo measured against the national figures it is calibrated to.

Measured on the figures ``python -m ecm demo`` writes (same seed, same draws), at national
scale, where the calibration shows through the noise, and at the default small scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecm.catalogue import load_catalogue
from ecm.demo.build import DEFAULT_SEED
from ecm.demo.country import Country, simulate_country
from ecm.demo.geography import SCALES


def _country(scale: str) -> Country:
    indicators = {row["code"]: row for row in load_catalogue().indicators}
    return simulate_country(SCALES[scale], np.random.default_rng(DEFAULT_SEED), indicators)


@pytest.fixture(scope="module")
def national() -> Country:
    return _country("national")


@pytest.fixture(scope="module")
def small() -> Country:
    return _country("small")


def _england(country: Country, code: str) -> pd.DataFrame:
    """England figures of one indicator: one row per period, one column per group."""
    obs = country.observations
    rows = obs[(obs["level"] == "england") & (obs["indicator_code"] == code)]
    return rows.pivot(index="period", columns="group_code", values="value")


def _fsm_percent(country: Country, phase: str) -> float:
    schools = country.geography["school"]
    schools = schools[schools["phase"] == phase]
    fsm = (schools["number_on_roll"] * schools["percent_fsm"] / 100).sum()
    return 100 * fsm / schools["number_on_roll"].sum()


@pytest.mark.parametrize("scale", ["national", "small"])
def test_free_school_meals_share_is_england_s(scale, request) -> None:
    country = request.getfixturevalue(scale)
    # England, census January 2019 (performance tables, NUMFSM / NOR): state-funded primary
    # 15.8%, secondary 14.1%, special 38.3%; January 2008 about 16% and 13%.
    assert 15 <= _fsm_percent(country, "primary") <= 17
    assert 13 <= _fsm_percent(country, "secondary") <= 15.5
    assert 30 <= _fsm_percent(country, "special") <= 40


def test_free_school_meals_pupils_are_the_share_of_each_cohort(national) -> None:
    # The same census figures as above: the cohorts are drawn from the schools' rolls.
    def share(code: str) -> pd.Series:
        return 100 * _counts(national, code, "disadvantaged") / _counts(national, code, "all")

    assert share("ni_73").between(15, 17).all() and len(share("ni_73")) == 5
    assert share("ni_75").between(13, 15.5).all() and len(share("ni_75")) == 5


def _counts(country: Country, code: str, group: str) -> pd.Series:
    obs = country.observations
    rows = obs[
        (obs["level"] == "england") & (obs["indicator_code"] == code) & (obs["group_code"] == group)
    ]
    return rows.set_index("period")["denominator"]


def test_looked_after_children_reach_level_4_in_english_as_in_england(national) -> None:
    # England 2007-2010: 45.3%, 45.4%, 44.8%, 46.1% (DfE, outcomes for children looked after,
    # KS2 attainment 2007-2011 by LA, 2011 release); about 2,500 children a year, so a year's
    # figure carries about a point of sampling noise.
    looked_after = _england(national, "ni_99")["looked_after"]
    assert looked_after.between(42.5, 48).all()
    assert looked_after.mean() == pytest.approx(45.3, abs=1.5)


def test_looked_after_children_stay_near_england_s_level_on_the_small_demo(small) -> None:
    # About 80 children a year at this scale: each year within its sampling noise (+-11).
    looked_after = _england(small, "ni_99")["looked_after"]
    assert looked_after.between(34, 57).all()
    assert looked_after.mean() == pytest.approx(45.3, abs=4)


@pytest.mark.parametrize("scale", ["national", "small"])
def test_girls_lead_boys_at_key_stage_2_as_in_england(scale, request) -> None:
    # KS2 level 4+ in English and maths, England 2008: girls 75%, boys 71% (DCSF, National
    # Curriculum assessments at KS2 in England 2007/08, revised, table 4a).
    ks2 = _england(request.getfixturevalue(scale), "ni_73")
    gap = ks2["girls"] - ks2["boys"]
    assert gap.between(2.5, 5.5).all()
    assert gap.mean() == pytest.approx(4, abs=0.8)


def test_primaries_below_the_floor_are_as_common_as_in_england(national) -> None:
    # Schools below the KS2 floor of 55% at level 4+ in English and maths: 1,359 in 2008 and
    # 1,472 in 2009 of about 15,000 primaries with results, 9-10% (DCSF, as reported at the
    # time). The demo's spread between schools gives 5-9%.
    obs = national.observations
    school = obs["level"] == "school"
    ks2 = obs[school & (obs["indicator_code"] == "ni_73") & (obs["group_code"] == "all")]
    below = ks2.groupby("period")["value"].apply(lambda v: 100 * (v < 55).mean())
    assert below.between(5, 10).all()
