"""The shape of the fictional world: national levels, gaps and effects per indicator.

Levels are rounded national figures of 2005/06 to 2009/10 from the reference notes (DCSF and DH
releases of the time), so the invented data looks like the real world without claiming to be it.
Effects are on the logit scale for proportions and the log scale for rates: ``dis`` is the
disadvantaged (FSM) pupils' shift, ``sen`` the shift for pupils with SEN, ``boy`` for boys,
``dep`` per standard deviation of LA deprivation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The demo's last year (2009/10) and how many years it can hold, ending there.
LAST_ACADEMIC_YEAR = 2009
DEMO_YEARS = (5, 10)
#: The five years whose national levels the measures below give (2005/06 to 2009/10).
LEVEL_YEARS = 5


def demo_periods(period_type: str, years: int = LEVEL_YEARS) -> tuple[str, ...]:
    """The demo's periods of one type, oldest first, ending in 2009/10 (or its financial and
    calendar equivalents, 2009-10 and 2010)."""
    if years not in DEMO_YEARS:
        raise ValueError(f"the demo holds {' or '.join(map(str, DEMO_YEARS))} years, not {years}")
    starts = range(LAST_ACADEMIC_YEAR - years + 1, LAST_ACADEMIC_YEAR + 1)
    if period_type == "academic_year":
        return tuple(f"{y}/{(y + 1) % 100:02d}" for y in starts)
    if period_type == "financial_year":
        return tuple(f"{y}-{(y + 1) % 100:02d}" for y in starts)
    if period_type in ("calendar_year", "snapshot_march"):
        return tuple(str(y + 1) for y in starts)
    raise ValueError(f"the demo has no periods of type {period_type!r}")


def over_years(levels: tuple[float, ...], years: int) -> tuple[float, ...]:
    """National levels for ``years`` years ending in 2009/10: the reference gives five, and the
    years before them hold the first one's level rather than an invented trend."""
    if not levels:
        return levels
    return (levels[0],) * (years - len(levels)) + levels


@dataclass(frozen=True)
class SchoolMeasure:
    """A measure simulated pupil-cell by pupil-cell in every school of the given phases."""

    code: str
    levels: tuple[float, ...]  # national % for the all-pupils group, one per year
    phases: tuple[str, ...]
    cohort: str  # reception, year6, year11, roll
    dis: float = 0.0
    sen: float = 0.0
    boy: float = 0.0
    dep: float = 0.0
    la_sd: float = 0.15
    school_sd: float = 0.3
    cell_sd: float = 0.05
    phase_shift: dict[str, float] = field(default_factory=dict)
    units_per_pupil: float = 1.0  # sessions per pupil for absence
    by_group: bool = True  # False: published for all pupils only


SCHOOL_MEASURES = (
    SchoolMeasure("ni_72", (44, 46, 49, 52, 56), ("primary",), "reception",
                  dis=-0.8, sen=-1.8, boy=-0.6, dep=-0.15, la_sd=0.2),
    SchoolMeasure("ni_73", (71, 71, 73, 72, 73), ("primary",), "year6",
                  dis=-1.0, sen=-2.4, boy=-0.27, dep=-0.15),
    SchoolMeasure("ni_93", (84, 84, 86, 87, 87), ("primary",), "year6",
                  dis=-0.5, sen=-1.0, boy=-0.3, dep=-0.1),
    SchoolMeasure("ni_94", (77, 77, 78, 80, 82), ("primary",), "year6",
                  dis=-0.5, sen=-1.0, boy=0.1, dep=-0.1),
    SchoolMeasure("ni_75", (45.8, 46.7, 48.2, 50.9, 55.1), ("secondary",), "year11",
                  dis=-1.2, sen=-2.2, boy=-0.35, dep=-0.15, school_sd=0.45),
    SchoolMeasure("ni_87", (7.0, 6.6, 6.1, 5.6, 5.0), ("secondary",), "roll",
                  dis=1.0, sen=0.7, dep=0.25, school_sd=0.4, cell_sd=0.1),
    SchoolMeasure("perctot", (6.5, 6.4, 6.3, 6.0, 5.8), ("primary", "secondary", "special"),
                  "roll", dis=0.55, sen=0.35, dep=0.12, school_sd=0.2, cell_sd=0.12,
                  phase_shift={"secondary": 0.35, "special": 0.55}, units_per_pupil=320),
    SchoolMeasure("ni_114", (0.24, 0.22, 0.19, 0.17, 0.15), ("secondary", "special"), "roll",
                  dis=1.1, sen=1.3, boy=1.2, dep=0.2, school_sd=0.5, cell_sd=0.1),
    SchoolMeasure("ni_52", (40, 41, 41, 42, 43), ("primary", "secondary", "special"), "roll",
                  dep=0.2, school_sd=0.5, phase_shift={"secondary": -0.25}, by_group=False),
    SchoolMeasure("ni_57", (80, 86, 90, 91, 92), ("primary", "secondary", "special"), "roll",
                  school_sd=0.8, phase_shift={"secondary": -0.4}, by_group=False),
)  # fmt: skip


@dataclass(frozen=True)
class AreaMeasure:
    """A measure simulated for each LA as a whole (health, social care, youth justice, 16-19)."""

    code: str
    levels: tuple[float, ...]  # national value in the indicator's unit, one per period
    statistic: str  # proportion or rate
    multiplier: float
    population: str  # which population the denominator is drawn from (see POPULATION_SHARES)
    dep: float = 0.0
    la_sd: float = 0.12
    # Extra groups with their shift from the all-group level (boys' shift applies to boys,
    # girls get the opposite; focus groups get theirs, comparators a small opposite shift).
    groups: dict[str, float] = field(default_factory=dict)
    # National level of the focus group, one per period, where the reference gives it: the
    # group is then calibrated to it directly (and its comparator to what the all-group level
    # leaves), so a few LAs' own gap trends cannot carry a small group's national figure away.
    focus_levels: tuple[float, ...] = ()


#: Share of the under-18 population (or a fixed size) in each denominator population.
POPULATION_SHARES = {
    "births": 1 / 17.5,
    "reception": 1 / 18 * 0.92,
    "year6": 1 / 18 * 0.92,
    "females_15_17": 0.083,
    "aged_10_17": 0.46,
    "aged_16_18": 0.165,
    "aged_17": 0.055,
    "aged_19": 0.055,
    "under_18": 1.0,
    "referrals": 0.032,
    "survey": 0.0,  # a sample of 600-2,000 pupils (TellUs), not a share
    "looked_after": 0.0055,
    "cp_plans": 0.0032,
    "young_offenders": 0.004,
    "care_leavers": 0.0006,
    "low_income_working": 0.02,
}

AREA_MEASURES = (
    AreaMeasure("ni_53", (43, 44, 45, 46, 47), "proportion", 100, "births", dep=-0.3),
    AreaMeasure("ni_55", (9.9, 9.9, 9.6, 9.6, 9.8), "proportion", 100, "reception", dep=0.12,
                groups={"boys": 0.05}),
    AreaMeasure("ni_56", (17.5, 17.5, 18.3, 18.3, 18.7), "proportion", 100, "year6", dep=0.12,
                groups={"boys": 0.12}),
    AreaMeasure("ni_50", (61, 62, 63, 63, 64), "proportion", 100, "survey", dep=-0.05),
    AreaMeasure("ni_115", (11, 10.5, 10, 9.8, 9.5), "proportion", 100, "survey", dep=0.05),
    AreaMeasure("ni_112", (40.9, 41.4, 40.4, 38.2, 35.5), "rate", 1000, "females_15_17",
                dep=0.22, la_sd=0.15),
    AreaMeasure("ni_59", (68, 70, 72, 73, 71), "proportion", 100, "referrals", dep=-0.05,
                la_sd=0.5),
    AreaMeasure("ni_62", (12, 11.5, 11, 11, 10.9), "proportion", 100, "looked_after", la_sd=0.2),
    AreaMeasure("ni_65", (13.4, 13.2, 13.0, 13.1, 13.3), "proportion", 100, "cp_plans",
                la_sd=0.25),
    AreaMeasure("cpp_rate", (27, 27, 29, 35, 39), "rate", 10000, "under_18", dep=0.25,
                la_sd=0.25),
    AreaMeasure("cla_rate", (55, 55, 54, 55, 58), "rate", 10000, "under_18", dep=0.3,
                la_sd=0.2),
    AreaMeasure("ni_69", (29, 28, 28, 27, 26), "proportion", 100, "survey", dep=0.03),
    AreaMeasure("ni_70", (120, 121, 122, 124, 124), "rate", 10000, "under_18", dep=0.12),
    AreaMeasure("ni_110", (64, 65, 66, 67, 67), "proportion", 100, "survey", dep=-0.05),
    AreaMeasure("ni_111", (1850, 1800, 1520, 1250, 1070), "rate", 100000, "aged_10_17",
                dep=0.2, la_sd=0.2, groups={"boys": 0.55}),
    AreaMeasure("ni_45", (70, 71, 72, 73, 73), "proportion", 100, "young_offenders", la_sd=0.25),
    AreaMeasure("ni_79", (71, 72.6, 75.3, 78.7, 81.1), "proportion", 100, "aged_19", dep=-0.1,
                groups={"fsm": -1.2}),
    AreaMeasure("ni_80", (45, 46.5, 48, 49.5, 51.4), "proportion", 100, "aged_19", dep=-0.12,
                groups={"fsm": -1.25}),
    AreaMeasure("ni_91", (77, 78, 79, 81, 83), "proportion", 100, "aged_17", dep=-0.08),
    AreaMeasure("ni_116", (21.6, 21.6, 21.6, 21.3, 20.6), "proportion", 100, "under_18",
                dep=0.45, la_sd=0.08),
    AreaMeasure("ni_117", (7.7, 7.7, 7.8, 6.7, 6.4), "proportion", 100, "aged_16_18", dep=0.22),
    AreaMeasure("ni_118", (16, 17, 18, 19, 19), "proportion", 100, "low_income_working"),
    AreaMeasure("ni_147", (87, 88, 88, 89, 90), "proportion", 100, "care_leavers", la_sd=0.3),
    AreaMeasure("ni_148", (62, 63, 63, 62, 60), "proportion", 100, "care_leavers", la_sd=0.3),
    # Looked-after children reaching level 4 in English, England 2007-2010: 45.3%, 45.4%,
    # 44.8%, 46.1% (DfE, outcomes for children looked after, KS2 attainment 2007-2011 by LA).
    AreaMeasure("ni_99", (79, 80, 81, 80, 81), "proportion", 100, "year6", dep=-0.1,
                groups={"looked_after": -1.6}, focus_levels=(45, 45.3, 45.4, 44.8, 46.1)),
)  # fmt: skip
