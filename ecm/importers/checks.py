"""The value checks every importer applies to a figure, with one wording for each problem."""

from __future__ import annotations

from ecm.errors import DataError, DataProblem


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


def reject_if_needed(
    file: str, problems: list[DataProblem], figures: list, empty: str, column: str | None = None
) -> None:
    """Reject a file with every problem found, or with ``empty`` when it gave no figures."""
    if problems:
        raise DataError(problems)
    if not figures:
        raise DataError([DataProblem(file, None, column, empty)])
