"""Reading one cell of a plan file: a record as typed (:class:`FileRow`) and the readers that
turn its cells into text, codes, dates, numbers, periods and financial years, collecting every
problem they find (:class:`Checks`), with the loose matching of codes the checks share."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ecm.errors import DataProblem


@dataclass
class FileRow:
    """One record as typed: where it is (file, or file and sheet), its row, and its cells."""

    where: str
    line: int
    cells: dict[str, object]


class Checks:
    """Every problem found so far, and the cell readers that find them."""

    def __init__(self) -> None:
        self.problems: list[DataProblem] = []

    def add(self, row: FileRow, column: str | None, message: str) -> None:
        """A problem with one cell of ``row`` (or the whole row, column None)."""
        self.add_to_file(row.where, message, row.line, column)

    def add_to_file(
        self, where: str, message: str, line: int | None = None, column: str | None = None
    ) -> None:
        """A problem of the file, a sheet or a header rather than of one record."""
        self.problems.append(DataProblem(where, line, column, message))

    def text(self, row: FileRow, column: str, required: bool = False, limit: int = 0) -> str | None:
        """A cell as text (numbers without a trailing .0); None when empty."""
        text = as_text(row.cells.get(column))
        if text is None:
            if required:
                self.add(row, column, "required, but empty")
            return None
        if limit and len(text) > limit:
            self.add(row, column, f"{len(text)} characters long; at most {limit}")
        return text

    def choice(
        self, row: FileRow, column: str, allowed: dict[str, str], what: str, required: bool = False
    ) -> str | None:
        """A code from ``allowed`` (normalised key -> canonical value), matched loosely."""
        text = self.text(row, column, required)
        if text is None:
            return None
        value = allowed.get(match_key(text))
        if value is None:
            self.add(row, column, f"{text!r} is not {what}")
        return value

    def one_of(
        self,
        row: FileRow,
        column: str,
        values: dict[str, str] | tuple[str, ...],
        what: str,
        required: bool = False,
    ) -> str | None:
        """A code from ``values`` (a dict's titles match too); the problem lists the codes."""
        message = f"{what}; use one of {', '.join(values)}"
        return self.choice(row, column, allowed_codes(values), message, required)

    def date(self, row: FileRow, column: str, required: bool = False) -> dt.date | None:
        """A real spreadsheet date, or text written yyyy-mm-dd."""
        value = row.cells.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = self.text(row, column, required)
        if text is None:
            return None
        if isinstance(value, int | float):
            self.add(row, column, f"{text} is a number: format the cell as a date or type "
                     "the date as yyyy-mm-dd")  # fmt: skip
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.add(row, column, f"write dates as yyyy-mm-dd, e.g. 2008-04-01 (found {text!r})")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.add(row, column, f"{text} is not a date of the calendar")
            return None

    def number(self, row: FileRow, column: str, required: bool = False) -> float | None:
        """A finite number; text may carry a £ sign and thousands commas."""
        value = row.cells.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            text = self.text(row, column, required)
            if text is None:
                return None
            try:
                number = float(text.replace("£", "").replace(",", "").replace(" ", ""))
            except ValueError:
                self.add(row, column, f"{text!r} is not a number")
                return None
        if not math.isfinite(number):
            self.add(row, column, "not a finite number")
            return None
        return number

    def period(self, row: FileRow, column: str) -> str | None:
        """An indicator period: 2007/08, 2007-08 or 2008."""
        value = row.cells.get(column)
        if isinstance(value, dt.date):
            self.add(row, column, f"the spreadsheet has turned this period into a date "
                     f"({value:%d %b %Y}); format the column as Text and type it again, "
                     "e.g. 2007/08")  # fmt: skip
            return None
        text = self.text(row, column, limit=20)
        if text is not None and not re.fullmatch(r"\d{4}([/-]\d{2})?", text):
            self.add(row, column, f"write a period as 2007/08, 2007-08 or 2008 (found {text!r})")
            return None
        return text

    def financial_year(self, row: FileRow, column: str) -> str | None:
        """A financial year YYYY-YY; a spreadsheet's date made of one (Sep 2008) is read back."""
        value = row.cells.get(column)
        if isinstance(value, dt.date) and value.month == (value.year + 1) % 100:
            return f"{value.year}-{value.month:02d}"
        text = self.text(row, column, required=True)
        if text is None:
            return None
        match = re.fullmatch(r"(\d{4})[-/](\d{2})", text)
        if not match or int(match[2]) != (int(match[1]) + 1) % 100:
            self.add(row, column, "write a financial year as YYYY-YY with consecutive years, "
                     f"e.g. 2008-09 (found {text!r})")  # fmt: skip
            return None
        return f"{match[1]}-{match[2]}"


def as_text(value: object) -> str | None:
    """A cell's value as stripped text; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def match_key(text: str) -> str:
    """A loose match key: case, spaces, hyphens and underscores do not matter."""
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def allowed_codes(values: dict[str, str] | list[str] | tuple[str, ...]) -> dict[str, str]:
    """Match keys for codes (and, for a dict, their titles too) to the canonical code."""
    if isinstance(values, dict):
        return {**{match_key(t): c for c, t in values.items()}, **{match_key(c): c for c in values}}
    return {match_key(v): v for v in values}


def listed(values: list[str] | tuple[str, ...], most: int = 5) -> str:
    """A few values for a message, saying how many there are in all."""
    shown = ", ".join(values[:most])
    return shown if len(values) <= most else f"{shown}, ... ({len(values)} in all)"
