"""What the Data sources page shows: its tables with headers in words, not the store's column
names (``indicator_code``, ``missing_from_register``), and levels named as people say them."""

from __future__ import annotations

import pandas as pd

#: Readable headers for the columns of the Data sources page's tables.
HEADERS = {
    "level": "Level",
    "la_actions": "LA actions",
    "figures": "Figures",
    "indicator_code": "Indicator",
    "group_code": "Pupil group",
    "period": "Year",
    "places": "Places",
    "markers": "Markers (withheld or not published)",
    "la_code": "LA code",
    "la_name": "Local authority",
    "schools": "Schools",
    "in_register": "In the register",
    "missing_from_register": "Missing from the register",
    "school_denominator": "Pupils in school rows",
    "la_value": "LA figure (published)",
    "la_denominator": "LA pupils (published)",
    "school_value": "Schools added up",
    "value_difference": "Difference",
    "differs": "Differs by more than one unit",
    "pupils_not_in_school_rows": "Pupils not in school rows",
}
#: Geography levels as the pages name them.
LEVEL_WORDS = {
    "school": "School",
    "la": "Local authority",
    "region": "Region",
    "england": "England",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with readable headers (unknown columns: underscores to spaces, capitalised)
    and its geography levels in words."""
    shown = frame.copy()
    if "level" in shown:
        shown["level"] = shown["level"].map(LEVEL_WORDS).fillna(shown["level"])
    return shown.rename(
        columns={c: HEADERS.get(c, str(c).replace("_", " ").capitalize()) for c in shown.columns}
    )
