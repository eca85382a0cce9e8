"""Numbers and markers in published cells: "63%", "1,380", "SUPP", "x", "-", "NA"."""

from __future__ import annotations

import math
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


def numerator_range(
    percentage: float, denominator: float, half_unit: float
) -> tuple[float, float] | None:
    """The whole numerators (low, high) out of ``denominator`` whose percentage rounds to the
    published ``percentage`` (give or take ``half_unit``, :func:`half_last_place`).

    A numerator derived as percentage x size / 100 is only the middle of this range: "53%" of
    30 pupils can only be 16 (15.75 to 16.05), but "53%" of 200 pupils is any of 105 to 107
    (52.5% to 53.5%). Both ends are inclusive (a publisher may round halves either way). None
    when no whole number fits (the file's figures disagree): the derived numerator is then all
    there is.
    """
    if denominator <= 0:
        return None
    # A relative tolerance so that 12.5% of 8 is not lost to floating-point error.
    slack = 1e-9 * max(denominator, 1.0)
    low = max(0.0, float(math.ceil((percentage - half_unit) * denominator / 100 - slack)))
    high = min(
        float(denominator), float(math.floor((percentage + half_unit) * denominator / 100 + slack))
    )
    return (low, high) if low <= high else None
