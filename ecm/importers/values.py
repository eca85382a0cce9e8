"""Numbers and markers in published cells: "63%", "1,380", "SUPP", "x", "-", "NA"."""

from __future__ import annotations

import re

#: Cells that stand in for a number, by the publishers that use them.
MARKERS = {
    "SUPP", "NE", "NA", "NP", "LOWCOV", "LOW COV", "NEW", "NR", "SP", "DNS", "NEXT",
    "x", "c", "z", "u", "k", "low", "..", ":", "-", "*", "~",
}  # fmt: skip
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


class BadNumber(ValueError):
    """A cell that is neither a number nor a known marker."""


def parse_cell(text: str | None) -> tuple[float | None, str | None]:
    """(value, marker) of a cell: a number (percent signs and thousands separators allowed),
    a marker, or (None, None) when blank. BadNumber for anything else."""
    cell = (text or "").strip()
    if not cell:
        return None, None
    if cell in MARKERS or cell.upper() in {
        "SUPP",
        "NE",
        "NA",
        "NP",
        "LOWCOV",
        "NEW",
        "NR",
        "SP",
        "DNS",
    }:
        return None, cell.upper() if cell.upper() in {"SUPP", "LOWCOV", "NEW"} else cell
    number = cell[:-1].strip() if cell.endswith("%") else cell
    if _THOUSANDS.match(number):
        number = number.replace(",", "")
    try:
        return float(number), None
    except ValueError:
        raise BadNumber(f"{cell!r} is not a number") from None


def half_last_place(text: str | None) -> float:
    """Half a unit in the last decimal place written: the most a published rounding can have
    moved the number ("53%" -> 0.5, "66.2" -> 0.05)."""
    number = (text or "").strip().removesuffix("%").strip()
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    return 0.5 * 10**-decimals
