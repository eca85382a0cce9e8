"""Text from data made safe for spreadsheets: a cell a spreadsheet would run as a formula is
written as text (OWASP, "CSV Injection"), in every CSV and workbook the product writes.

The rule (README, "Downloads and exports"): a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, possibly after apostrophes, gets one more apostrophe in
front; a number stays a number, and text that is only a number ("-3.2") is left as it is, since
a spreadsheet reads it as that number and runs nothing. :func:`restore_cell` takes the added
apostrophe off again, so a file the product wrote reads back as the text it held.
"""

from __future__ import annotations

import re

import pandas as pd

#: What a spreadsheet takes as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Text a spreadsheet reads as a plain number: left alone, it cannot run anything.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: Text that gets the apostrophe: a formula start, after any apostrophes already there (so that
#: text which itself starts "'=" keeps its own apostrophe through a round trip).
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
#: Text that carries an apostrophe the rule added.
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise_cell(value: object) -> object:
    """``value`` as a spreadsheet cell that runs nothing: text a spreadsheet would take as a
    formula with an apostrophe in front (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``); numbers,
    dates, missing values and text that is only a number ("-3.2") unchanged."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    return "'" + value if _NEEDS_QUOTE.match(value) else value


def restore_cell(text: str) -> str:
    """Undo :func:`neutralise_cell` on text read back from a file the product wrote: one
    apostrophe off text that starts with apostrophes and then a formula start."""
    return text[1:] if _QUOTED.match(text) else text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (:func:`neutralise_cell`), column
    names included; numeric columns untouched."""
    safe = frame.rename(columns=lambda c: neutralise_cell(c))
    types = pd.api.types
    for position, dtype in enumerate(safe.dtypes):
        if not (types.is_numeric_dtype(dtype) or types.is_datetime64_any_dtype(dtype)):
            safe.isetitem(position, safe.iloc[:, position].map(neutralise_cell))
    return safe


def safe_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index) with every text cell neutralised."""
    return neutralise_frame(frame).to_csv(index=False)
