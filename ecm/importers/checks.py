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


def reject_if_needed(
    file: str, problems: list[DataProblem], figures: list, empty: str, column: str | None = None
) -> None:
    """Reject a file with every problem found, or with ``empty`` when it gave no figures."""
    if problems:
        raise DataError(problems)
    if not figures:
        raise DataError([DataProblem(file, None, column, empty)])
