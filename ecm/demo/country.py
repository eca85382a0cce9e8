"""Simulate the fictional country: its places and every figure at every level, before storing.

:func:`simulate_country` is the part of the demo build that touches no database, so the demo's
calibration can be measured at national scale on exactly the figures ``python -m ecm demo``
writes (the build draws from the same generator in the same order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ecm.config import DEMO_ENGLAND_CODE
from ecm.demo.geography import Scale, build_geography
from ecm.demo.parameters import (
    AREA_MEASURES,
    LEVEL_YEARS,
    SCHOOL_MEASURES,
    demo_periods,
    over_years,
)
from ecm.demo.simulate import (
    GROUP_CELLS,
    gap_trends,
    la_populations,
    school_cohorts,
    simulate_area_measure,
    simulate_school_measure,
)

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Country:
    """A simulated fictional country: its places and its figures at every level."""

    geography: dict[str, pd.DataFrame]  # region, local_authority, school
    observations: pd.DataFrame  # one row per indicator, level, area, group and period

    @property
    def region_of(self) -> pd.Series:
        """Each LA's region code, indexed by LA code."""
        return self.geography["local_authority"].set_index("code")["region_code"]


def simulate_country(
    scale: Scale,
    rng: np.random.Generator,
    indicators: dict[str, dict[str, str]],
    progress: Progress | None = None,
    years: int = LEVEL_YEARS,
) -> Country:
    """Invent the places and draw every school, LA, region and national figure, for ``years``
    years ending in 2009/10.

    ``indicators`` is the catalogue by code (period type and multiplier are read from it).
    School figures are drawn in pupil cells and areas' figures as a whole; LA, region and
    national figures of school measures are sums of the schools below them.
    """
    report = progress or (lambda _fraction, _message: None)
    geography = build_geography(scale, rng)
    las, schools = geography["local_authority"], geography["school"]
    la_effects = gap_trends(las, rng)

    report(0.10, "Simulating school results")
    school_frames = []
    cohorts = school_cohorts(schools, rng, years)
    for k, measure in enumerate(SCHOOL_MEASURES):
        measure = replace(measure, levels=over_years(measure.levels, years))
        rows, numerators, denominators, pupils = simulate_school_measure(
            measure, schools, cohorts, la_effects, rng
        )
        groups = GROUP_CELLS if measure.by_group else {"all": GROUP_CELLS["all"]}
        frame = _school_long(
            measure.code, indicators, years, schools.iloc[rows], numerators, denominators, groups
        )
        if measure.units_per_pupil != 1:
            counts = _school_long(
                measure.code, indicators, years, schools.iloc[rows], pupils, pupils, groups
            )
            frame["pupils"] = counts["denominator"].to_numpy()
        school_frames.append(frame)
        report(0.10 + 0.4 * (k + 1) / len(SCHOOL_MEASURES), f"Simulated {measure.code}")
    school_obs = pd.concat(school_frames, ignore_index=True)

    report(0.52, "Simulating local authority measures")
    population = la_populations(schools, las)
    fsm_share = (
        schools.assign(fsm=schools["number_on_roll"] * schools["percent_fsm"] / 100)
        .groupby("la_code")[["fsm", "number_on_roll"]]
        .sum()
    )
    fsm_share = fsm_share["fsm"] / fsm_share["number_on_roll"]
    area_frames = []
    for measure in AREA_MEASURES:
        measure = replace(
            measure,
            levels=over_years(measure.levels, years),
            focus_levels=over_years(measure.focus_levels, years),
        )
        results = simulate_area_measure(measure, las, population, fsm_share, la_effects, rng)
        periods = demo_periods(indicators[measure.code]["period_type"], years)
        for group, (numerators, denominators) in results.items():
            area_frames.append(
                _long(
                    measure.code, group, las["code"].to_numpy(), periods, numerators, denominators
                )
            )
    area_obs = pd.concat(area_frames, ignore_index=True)

    report(0.6, "Adding up schools to authorities, regions and the country")
    region_of = las.set_index("code")["region_code"]
    la_obs = pd.concat(
        [_roll_up(school_obs, "la_code", "la"), area_obs.assign(level="la")], ignore_index=True
    )
    region_obs = _roll_up(
        la_obs.assign(region=la_obs["area_code"].map(region_of)), "region", "region"
    )
    england_obs = _roll_up(la_obs.assign(country=DEMO_ENGLAND_CODE), "country", "england")
    observations = pd.concat(
        [school_obs.drop(columns="la_code"), la_obs, region_obs, england_obs], ignore_index=True
    )
    observations = observations[observations["denominator"] > 0].copy()
    if "pupils" not in observations:
        observations["pupils"] = np.nan
    multipliers = observations["indicator_code"].map(
        {code: float(row["multiplier"]) for code, row in indicators.items()}
    )
    observations["value"] = observations["numerator"] / observations["denominator"] * multipliers
    return Country(geography=geography, observations=observations)


def _school_long(
    code: str,
    indicators: dict[str, dict[str, str]],
    years: int,
    schools: pd.DataFrame,
    numerators: np.ndarray,
    denominators: np.ndarray,
    groups: dict[str, np.ndarray],
) -> pd.DataFrame:
    """School x year x group rows (with the school's LA kept for rolling up)."""
    periods = demo_periods(indicators[code]["period_type"], years)
    frames = []
    for group, mask in groups.items():
        frame = _long(
            code,
            group,
            schools["urn"].to_numpy(),
            periods,
            numerators[:, :, mask].sum(axis=2),
            denominators[:, :, mask].sum(axis=2),
        )
        frame["la_code"] = np.repeat(schools["la_code"].to_numpy(), len(periods))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).assign(level="school")


def _long(
    code: str,
    group: str,
    areas: np.ndarray,
    periods: tuple[str, ...],
    numerators: np.ndarray,
    denominators: np.ndarray,
) -> pd.DataFrame:
    """Rows of one indicator and group from (areas x periods) arrays."""
    return pd.DataFrame(
        {
            "indicator_code": code,
            "area_code": np.repeat(areas, len(periods)),
            "group_code": group,
            "period": np.tile(np.array(periods), len(areas)),
            "numerator": numerators.reshape(-1).astype(float),
            "denominator": denominators.reshape(-1).astype(float),
        }
    )


def _roll_up(frame: pd.DataFrame, by: str, level: str) -> pd.DataFrame:
    """Sum numerators and denominators into the areas named by column ``by``."""
    keys = ["indicator_code", by, "group_code", "period"]
    columns = ["numerator", "denominator"] + (["pupils"] if "pupils" in frame else [])
    summed = frame.groupby(keys, as_index=False)[columns].sum(min_count=1)
    return summed.rename(columns={by: "area_code"}).assign(level=level)
