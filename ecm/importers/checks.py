"""The value checks every importer applies to a figure, with one wording for each problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ecm.catalogue import load_catalogue
from ecm.errors import DataError, DataProblem
from ecm.importers.values import BadNumber, parse_cell

#: The most pupils a row of each level can count, for a year group (a key stage's cohort, a
#: destinations cohort) and for a whole roll. Measured on the real 2016-17 to 2018-19 files: the
#: largest school year group is 580 (KS4 destinations, all of England; KS2 150, KS4 367), the
#: largest school roll 2,953 (census, every state-funded school); the largest LA year group
#: 15,383 and England's 644,967 (KS2 2018-19). The limits leave three times room or more, so
#: that only a mistyped or shifted count (99,999 pupils in one school) is refused.
COUNT_LIMITS = {
    "year group": {"school": 2_000, "la": 50_000, "england": 1_000_000},
    "on roll": {"school": 10_000, "la": 500_000, "england": 12_000_000},
}


def figure_problem(
    file: str,
    line: int,
    columns: tuple[str, str, str],
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    unit: str | None,
) -> DataProblem | None:
    """The first thing wrong with a figure, or None.

    ``columns`` names the value, numerator and denominator columns for the message. A
    percentage must lie in 0-100, counts must not be negative, and a numerator must not exceed
    its denominator.
    """
    value_column, numerator_column, denominator_column = columns
    if value is not None and unit == "%" and not 0 <= value <= 100:
        return DataProblem(file, line, value_column, f"{value:g}% is outside 0-100%")
    for column, count in ((denominator_column, denominator), (numerator_column, numerator)):
        if count is not None and count < 0:
            return DataProblem(file, line, column, f"negative count {count:g}")
    if numerator is not None and denominator is not None and numerator > denominator:
        return DataProblem(
            file,
            line,
            numerator_column,
            f"{numerator:g} is more than its denominator {denominator:g}",
        )
    return None


def cohort_problems(
    file: str, line: int, cohorts: list[tuple[str, str, float | None, str]]
) -> list[DataProblem]:
    """Groups of one row larger than the row's whole cohort for the same figure.

    ``cohorts``: (indicator, group, denominator, denominator column) of each figure the row
    gave. A group of pupils (disadvantaged, boys, SEN...) is part of all pupils, so its cohort
    cannot exceed theirs: a file that says so has shifted or mistyped columns.
    """
    whole = {i: d for i, g, d, _ in cohorts if g == "all" and d is not None}
    return [
        DataProblem(
            file,
            line,
            column,
            f"{group} cohort of {size:g} is larger than the {whole[indicator]:g} pupils in all",
        )
        for indicator, group, size, column in cohorts
        if group != "all" and size is not None and indicator in whole and size > whole[indicator]
    ]


def count_problem(
    file: str, line: int, column: str, count: float | None, level: str, counted: str
) -> DataProblem | None:
    """A pupil count beyond any real ``level`` row's (see :data:`COUNT_LIMITS`), or None.

    ``counted`` is "year group" or "on roll"; levels without a limit pass.
    """
    limit = COUNT_LIMITS[counted].get(level)
    if count is None or limit is None or count <= limit:
        return None
    place = {"school": "a school", "la": "an LA", "england": "England"}[level]
    return DataProblem(
        file,
        line,
        column,
        f"{count:,.0f} pupils {'in a year group' if counted == 'year group' else 'on roll'} "
        f"is beyond any real count for {place} (at most {limit:,})",
    )


def fraction_columns(cells: dict[str, Iterable[str]]) -> set[str]:
    """Percentage columns in which a plain number between 0 and 1 is a fraction, not a percent.

    ``cells``: each percentage column's cells. Such a column is on the 0-100 scale (it has a
    number of 1 or more) and is written with % signs or in whole numbers, except for plain
    numbers between 0 and 1 ("53%", "66", "0.53"). Columns written in plain decimals (the census
    gives "0.6" for 0.6% FSM among "23.5") are not: there 0.53 may be a real percentage.
    """
    found = set()
    for column, texts in cells.items():
        top, fractions, decimals = 0.0, 0, 0
        for text in texts:
            try:
                value, _ = parse_cell(text)
            except BadNumber:
                continue  # reported where the figure is read
            if value is None:
                continue
            top = max(top, value)
            if not text.strip().endswith("%") and value != int(value):
                decimals += 1
                fractions += 0 < value < 1
        if top >= 1 and fractions and fractions == decimals:
            found.add(column)
    return found


def fraction_problem(file: str, line: int, column: str, text: str) -> DataProblem | None:
    """A plain 0-1 number in a column :func:`fraction_columns` found, or None."""
    value, _ = parse_cell(text)
    if text.strip().endswith("%") or value is None or not 0 < value < 1:
        return None
    return DataProblem(
        file,
        line,
        column,
        f"{text.strip()} looks like a fraction of 1 in a column of percentages "
        f"(write {value * 100:g}% if that is meant)",
    )


@dataclass(frozen=True)
class Reading:
    """One figure of a row as the share checks need it."""

    indicator: str
    group: str
    columns: tuple[str, str, str]  #: value, numerator and denominator columns
    value: float | None
    numerator: float | None  #: as published (None when the file gives none)
    denominator: float | None
    half_unit: float  #: the rounding of the published value (half its last decimal place)
    unit: str


#: Pairs whose counts may add up to fewer than all pupils: a pupil whose sex is not recorded
#: is in neither boys nor girls (England's KS2 row of 2018/19: 329,113 eligible boys and
#: 315,849 girls of 644,967 pupils, 5 short; every school and LA row of the real files adds up).
MAY_FALL_SHORT = {("boys", "girls")}


@cache
def complement_pairs() -> tuple[tuple[str, str], ...]:
    """Groups that with their comparator make up all pupils (disadvantaged and other pupils,
    boys and girls...), from the catalogue: those whose comparator is a group, not all."""
    return tuple(
        (row["code"], row["comparator"])
        for row in load_catalogue().groups
        if row["comparator"] and row["comparator"] != "all"
    )


def share_problems(file: str, line: int, readings: list[Reading]) -> list[DataProblem]:
    """Where a row gives a figure for all pupils and for a group and its complement, the
    groups' counts must add up to all pupils' and their percentages must average to it.

    Counts (cohorts, published numerators) are published unrounded, so they must agree to the
    pupil. A percentage is rounded (to whole percents in DfE tables), so each group's pupils
    behind it may be off by half its last place times its cohort: the all-pupil percentage is
    refused only when it differs from the groups' cohort-weighted average by more than those
    roundings together could explain.
    """
    problems: dict[tuple[str, str], DataProblem] = {}
    by_key = {(r.indicator, r.group): r for r in readings}
    for whole in (r for r in readings if r.group == "all"):
        for group, other in complement_pairs():
            part, rest = by_key.get((whole.indicator, group)), by_key.get((whole.indicator, other))
            if part is None or rest is None:
                continue
            short = (group, other) in MAY_FALL_SHORT
            for problem in _share_problems(file, line, whole, part, rest, short):
                problems.setdefault((problem.column or "", problem.message), problem)
    return list(problems.values())


def _share_problems(
    file: str, line: int, whole: Reading, part: Reading, rest: Reading, short: bool = False
) -> list[DataProblem]:
    """The problems of one group and its complement against all pupils; ``short``: the two
    may count fewer pupils than all (never more)."""
    found = []
    for slot, what in ((2, "pupils"), (1, "pupils counted")):
        counts = [r.denominator if slot == 2 else r.numerator for r in (whole, part, rest)]
        if None in counts or abs(counts[1] + counts[2] - counts[0]) < 0.5:
            continue
        if short and counts[1] + counts[2] < counts[0]:
            continue
        found.append(
            DataProblem(
                file,
                line,
                whole.columns[slot],
                f"{counts[0]:,.0f} {what} in all, but {part.columns[slot]} {counts[1]:,.0f} + "
                f"{rest.columns[slot]} {counts[2]:,.0f} = {counts[1] + counts[2]:,.0f}",
            )
        )
    sizes = [r.denominator for r in (whole, part, rest)]
    values = [r.value for r in (whole, part, rest)]
    if found or whole.unit != "%" or None in sizes or None in values or not sizes[0]:
        return found
    spread = sum(r.half_unit * r.denominator for r in (whole, part, rest))
    if abs(values[0] * sizes[0] - values[1] * sizes[1] - values[2] * sizes[2]) > spread + 1e-9:
        average = (values[1] * sizes[1] + values[2] * sizes[2]) / sizes[0]
        found.append(
            DataProblem(
                file,
                line,
                whole.columns[0],
                f"{values[0]:g}% of all {sizes[0]:,.0f} pupils, but {part.columns[0]} "
                f"{values[1]:g}% of {sizes[1]:,.0f} and {rest.columns[0]} {values[2]:g}% of "
                f"{sizes[2]:,.0f} make {average:.1f}%, beyond the rounding of the percentages",
            )
        )
    return found


def reject_if_needed(
    file: str, problems: list[DataProblem], figures: list, empty: str, column: str | None = None
) -> None:
    """Reject a file with every problem found, or with ``empty`` when it gave no figures."""
    if problems:
        raise DataError(problems)
    if not figures:
        raise DataError([DataProblem(file, None, column, empty)])
