"""Problems found in input files, reported the way a person can act on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One problem in one place of one file: ``file line 12 column polarity: ...``."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line:,}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{' '.join(where)}: {self.message}"


class DataError(Exception):
    """Raised when a file is rejected; carries every problem found, not just the first."""

    def __init__(self, problems: list[DataProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(shown + more)
