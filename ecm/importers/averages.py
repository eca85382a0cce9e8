"""An average cannot lie outside the range of the areas it averages.

A percentage, rate or mean for England is a weighted mean of the same figure for the nine
regions, and a region's of its LAs'; so wherever every part has a figure, the whole lies between
the least and greatest of them (give or take the rounding of the printed values). A whole far
outside has been published wrongly: LAIT's England row for first-time entrants to the youth
justice system reads 1976 for 2019 beside regions of 138 to 274 and LAs of 68 to 526, the rate
197.6 with its decimal point lost (every year of that row is ten times the regions' scale).

Such a figure is left out with a note naming its row, not loaded and not allowed to reject the
whole file: every other figure of a 600,000-row file is sound, and an analyst can see in the
import report exactly what was left out and why.
"""

from __future__ import annotations

import pandas as pd

#: How far outside its parts' range a whole may lie: each printed value is rounded, to a whole
#: number at most, so the whole and the extreme part may each be off by half a unit.
ROUNDING_SLACK = 1.0


def outside_their_parts(figures: pd.DataFrame, parent_of: dict[str, str], parts: dict[str, int]):
    """The rows of ``figures`` (indicator_code, group_code, period, area_code, value, row)
    that lie outside the range of their parts' values, with ``least`` and ``greatest``.

    ``parent_of`` maps each part's area code to its whole's; ``parts`` says how many parts each
    whole has, so a whole is checked only where every one of its parts has a figure (a part
    left out could hold the extreme)."""
    key = ["indicator_code", "group_code", "period"]
    valued = figures[figures["value"].notna()]
    children = valued[valued["area_code"].isin(parent_of)].assign(
        parent=lambda f: f["area_code"].map(parent_of)
    )
    spread = children.groupby([*key, "parent"])["value"].agg(["min", "max", "count"])
    spread = spread.reset_index().rename(
        columns={"parent": "area_code", "min": "least", "max": "greatest"}
    )
    wholes = valued.merge(spread, on=[*key, "area_code"])
    complete = wholes["count"] == wholes["area_code"].map(parts)
    outside = (wholes["value"] < wholes["least"] - ROUNDING_SLACK) | (
        wholes["value"] > wholes["greatest"] + ROUNDING_SLACK
    )
    return wholes.loc[complete & outside].drop(columns="count").reset_index(drop=True)
