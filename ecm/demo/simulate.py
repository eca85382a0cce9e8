"""Random draws for the fictional demo: calibrated binomial and Poisson counts.

Every school measure is simulated in pupil cells (disadvantaged x SEN x sex), so the published
groups add up exactly: disadvantaged + other = all, boys + girls = all, SEN + no SEN = all, as in
real files (which is what makes secondary suppression necessary). Each LA's disadvantage gap has
its own level and trend, so that some gaps widen and some narrow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit

from ecm.demo.parameters import POPULATION_SHARES, AreaMeasure, SchoolMeasure

#: Pupil cells: (disadvantaged, SEN, boy) flags for each of the 8 cells.
CELLS = np.array([(d, s, b) for d in (0, 1) for s in (0, 1) for b in (0, 1)])
#: Which cells make up each published group.
GROUP_CELLS = {
    "all": np.ones(8, bool),
    "disadvantaged": CELLS[:, 0] == 1,
    "not_disadvantaged": CELLS[:, 0] == 0,
    "sen": CELLS[:, 1] == 1,
    "no_sen": CELLS[:, 1] == 0,
    "boys": CELLS[:, 2] == 1,
    "girls": CELLS[:, 2] == 0,
}
COHORT_DIVISORS = {"reception": 7.0, "year6": 7.0, "year11": 6.0, "roll": 1.0}


def gap_trends(las: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Each LA's disadvantage-gap offset and yearly trend (logit units; + means widening).

    A third of LAs widen, a third narrow and a third hold steady, so that the gap league,
    trend tests and plan coverage all have real work to do.
    """
    n = len(las)
    direction = rng.choice([-1.0, 0.0, 1.0], size=n)
    return pd.DataFrame(
        {
            "la_code": las["code"].to_numpy(),
            "deprivation_score": las["deprivation_score"].to_numpy(),
            "gap_offset": rng.normal(0.0, 0.18, n),
            "gap_slope": direction * rng.uniform(0.06, 0.12, n) + rng.normal(0.0, 0.015, n),
        }
    )


def calibrate(offsets: np.ndarray, weights: np.ndarray, target: float) -> float:
    """The constant c with sum(w * expit(c + offsets)) / sum(w) = target.

    The weighted mean is increasing in c, so Brent's method on a wide bracket always finds it
    (Newton's method can overshoot when the offsets are spread).
    """
    total = weights.sum()
    if total <= 0:
        return float(logit(target))

    def error(c: float) -> float:
        return float((weights * expit(c + offsets)).sum() / total - target)

    low = float(logit(target) - offsets.max() - 1)
    high = float(logit(target) - offsets.min() + 1)
    return float(brentq(error, low, high, xtol=1e-12))


def school_cohorts(
    schools: pd.DataFrame, rng: np.random.Generator, years: int
) -> dict[str, np.ndarray]:
    """Pupil counts per school, year and cell for each cohort (reception, year 6, year 11, roll).

    Shape (schools, years, 8). Measures that share a cohort share its pupils, as ni_73, ni_93
    and ni_94 share Year 6.
    """
    n = len(schools)
    roll = schools["number_on_roll"].to_numpy(float)
    growth = rng.normal(0.0, 0.02, n)[:, None] * _centred_years(years)
    fsm = schools["percent_fsm"].to_numpy(float) / 100
    special = (schools["phase"] == "special").to_numpy()
    sen = np.where(special, 0.98, rng.uniform(0.14, 0.24, n))
    boy = np.where(special, 0.7, 0.51)
    # SEN is commoner among disadvantaged pupils: P(SEN | dis) = 1.5 x P(SEN | not dis).
    sen_not = sen / (1 + 0.5 * fsm)
    sen_dis = np.minimum(0.99, 1.5 * sen_not)
    probs = np.empty((n, 8))
    for k, (d, s, b) in enumerate(CELLS):
        p_d = fsm if d else 1 - fsm
        p_s_given_d = (sen_dis if d else sen_not) if s else 1 - (sen_dis if d else sen_not)
        probs[:, k] = p_d * p_s_given_d * (boy if b else 1 - boy)
    probs /= probs.sum(axis=1, keepdims=True)
    cohorts = {}
    for name, divisor in COHORT_DIVISORS.items():
        expected = roll[:, None] / divisor * np.exp(growth)
        if name == "roll":
            sizes = np.round(expected).astype(np.int64)
        else:
            sizes = rng.poisson(expected)
        cells = rng.multinomial(sizes, probs[:, None, :].repeat(years, axis=1))
        cohorts[name] = cells
    return cohorts


def simulate_school_measure(
    measure: SchoolMeasure,
    schools: pd.DataFrame,
    cohorts: dict[str, np.ndarray],
    la_effects: pd.DataFrame,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Numerators and denominators per school, year and cell for one measure.

    Returns (row positions of the schools the measure applies to, numerators, denominators,
    pupils), the arrays shaped (schools, years, 8); denominators differ from pupils where the
    measure counts sessions.
    """
    rows = np.flatnonzero(schools["phase"].isin(measure.phases).to_numpy())
    subset = schools.iloc[rows]
    pupils = cohorts[measure.cohort][rows]
    units = pupils * measure.units_per_pupil
    la = la_effects.set_index("la_code").loc[subset["la_code"]]
    n = len(rows)
    years = len(measure.levels)
    t = _centred_years(years)

    la_effect = rng.normal(0.0, measure.la_sd, len(la_effects))
    la_effect = pd.Series(la_effect, index=la_effects["la_code"]).loc[subset["la_code"]].to_numpy()
    base = (
        measure.dep * la["deprivation_score"].to_numpy()
        + la_effect
        + rng.normal(0.0, measure.school_sd, n)
        + subset["phase"].map(measure.phase_shift).fillna(0.0).to_numpy()
    )
    # The gap widens in the direction that makes disadvantaged pupils worse off.
    worse = np.sign(measure.dis) if measure.dis else 0.0
    dis_shift = (
        measure.dis + worse * la["gap_offset"].to_numpy() + worse * rng.normal(0.0, 0.15, n)
    )[:, None] + worse * la["gap_slope"].to_numpy()[:, None] * t[None, :]
    offsets = (
        base[:, None, None]
        + CELLS[None, None, :, 0] * dis_shift[:, :, None]
        + CELLS[None, None, :, 1] * measure.sen
        + CELLS[None, None, :, 2] * measure.boy
        + rng.normal(0.0, measure.cell_sd, (n, years, 8))
    )
    numerators = np.zeros_like(units)
    for year in range(years):
        c = calibrate(offsets[:, year], units[:, year], measure.levels[year] / 100)
        p = expit(c + offsets[:, year])
        numerators[:, year] = rng.binomial(units[:, year].astype(np.int64), p)
    return rows, numerators, units, pupils


def _centred_years(years: int) -> np.ndarray:
    """Years counted from the middle of the span, so trends pivot on its centre."""
    return np.arange(years) - (years - 1) / 2


def la_populations(schools: pd.DataFrame, las: pd.DataFrame) -> pd.Series:
    """Under-18 population of each LA: about 1.45 children per pupil on roll."""
    roll = schools.groupby("la_code")["number_on_roll"].sum()
    return (roll.reindex(las["code"]).fillna(0) * 1.45).round()


def simulate_area_measure(
    measure: AreaMeasure,
    las: pd.DataFrame,
    population: pd.Series,
    fsm_share: pd.Series,
    la_effects: pd.DataFrame,
    rng: np.random.Generator,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Numerators and denominators per LA and year for each group of one area measure.

    The all-pupils group is always the sum of the simulated cells, so groups add up.
    """
    n = len(las)
    years = len(measure.levels)
    t = _centred_years(years)
    if measure.population == "survey":
        sizes = rng.integers(600, 2000, (n, years)).astype(float)
    else:
        share = POPULATION_SHARES[measure.population]
        sizes = population.to_numpy()[:, None] * share * rng.lognormal(0.0, 0.04, (n, years))
        sizes = np.maximum(np.round(sizes), 1.0)
    gaps = la_effects.set_index("la_code").loc[las["code"]]
    base = (measure.dep * las["deprivation_score"].to_numpy() + rng.normal(0.0, measure.la_sd, n))[
        :, None
    ] + rng.normal(0.0, 0.03, n)[:, None] * t[None, :]  # each LA's own drift
    cells = _area_cells(measure, sizes, fsm_share, las)
    worse_trend = gaps["gap_slope"].to_numpy()[:, None] * t
    results: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    offsets, weights = [], []
    for group, (share, shift) in cells.items():
        # The LA's own gap level and trend act on disadvantage gaps, not on boys and girls.
        sign = np.sign(shift) if shift and group not in ("boys", "girls") else 0.0
        offset = base + shift + sign * (gaps["gap_offset"].to_numpy()[:, None] + worse_trend)
        offsets.append(offset)
        weights.append(np.round(sizes * share))
    numerators = [np.zeros_like(w) for w in weights]
    for year in range(years):
        off = np.concatenate([o[:, year] for o in offsets])
        wts = np.concatenate([w[:, year] for w in weights])
        if measure.statistic == "proportion":
            constants = _group_constants(measure, year, offsets, weights)
            for k, (o, w) in enumerate(zip(offsets, weights, strict=True)):
                numerators[k][:, year] = rng.binomial(
                    w[:, year].astype(np.int64), expit(constants[k] + o[:, year])
                )
        else:
            mean_rate = (wts * np.exp(off)).sum() / max(wts.sum(), 1.0)
            c = np.log(measure.levels[year] / measure.multiplier / mean_rate)
            for k, (o, w) in enumerate(zip(offsets, weights, strict=True)):
                numerators[k][:, year] = rng.poisson(w[:, year] * np.exp(c + o[:, year]))
    for k, group in enumerate(cells):
        results[group] = (numerators[k], weights[k])
    if len(cells) > 1:
        results["all"] = (sum(numerators), sum(weights))
        results.pop("not_looked_after", None)  # simulated to build "all", not published
    return results


def _group_constants(
    measure: AreaMeasure, year: int, offsets: list[np.ndarray], weights: list[np.ndarray]
) -> list[float]:
    """The logit constant of each group of a proportion measure in one year.

    One constant for all groups, calibrated to the all-group level; or, where the measure gives
    its focus group's national level, one for the focus group (calibrated to that level) and
    one for its comparator (calibrated to the level the all-group figure leaves for it).
    """
    level = measure.levels[year] / measure.multiplier
    if not measure.focus_levels or len(offsets) != 2:
        off = np.concatenate([o[:, year] for o in offsets])
        wts = np.concatenate([w[:, year] for w in weights])
        return [calibrate(off, wts, level)] * len(offsets)
    focus_level = measure.focus_levels[year] / measure.multiplier
    focus_total, other_total = weights[0][:, year].sum(), weights[1][:, year].sum()
    other_level = (level * (focus_total + other_total) - focus_level * focus_total) / other_total
    return [
        calibrate(offsets[0][:, year], weights[0][:, year], focus_level),
        calibrate(offsets[1][:, year], weights[1][:, year], other_level),
    ]


_COMPARATORS = {"boys": "girls", "fsm": "not_fsm", "looked_after": "not_looked_after"}


def _area_cells(
    measure: AreaMeasure, sizes: np.ndarray, fsm_share: pd.Series, las: pd.DataFrame
) -> dict[str, tuple[np.ndarray | float, float]]:
    """The cells an area measure is simulated in: {group: (share of denominator, shift)}."""
    if not measure.groups:
        return {"all": (1.0, 0.0)}
    ((focus, shift),) = measure.groups.items()
    if focus == "fsm":
        share = fsm_share.reindex(las["code"]).fillna(0.18).to_numpy()[:, None]
    elif focus == "looked_after":
        share = 0.006  # children looked after among the cohort
    else:
        share = 0.51
    comparator = _COMPARATORS[focus]
    if focus == "boys":
        return {focus: (share, shift / 2), comparator: (1 - share, -shift / 2)}
    return {focus: (share, shift), comparator: (1 - share, 0.0)}
