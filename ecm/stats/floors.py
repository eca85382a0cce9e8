"""Flags for action: floor standards, the bottom quartile, and "areas of interest" sentences.

Floor standards are data (``data/floor_standards.csv``: indicator, the periods a standard
applied, its threshold). Sentences follow the style of the DfE's inspection data summary
report, e.g. "Disadvantaged pupils' KS2 level 4+ in English and maths was significantly below
other pupils nationally in each of the last three years." Pure functions on DataFrames.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ecm.config import DATA_DIR
from ecm.stats.benchmarks import red_red
from ecm.units import percent

FLOOR_FILE = DATA_DIR / "floor_standards.csv"
RUN = 3  # "in each of the last three years"


def load_floor_standards() -> pd.DataFrame:
    """The floor standards of each period: indicator_code, first/last period, threshold,
    standard (its name in DfE's terms, saying which part of it is judged), label (the
    condition), source."""
    return pd.read_csv(FLOOR_FILE, dtype={"first_period": str, "last_period": str})


def floor_status(figures: pd.DataFrame, standards: pd.DataFrame) -> pd.DataFrame:
    """All-pupil figures below the floor standard of their period.

    ``figures``: indicator_code, group_code, period, value. Returns the rows below a floor
    with the standard's ``threshold``, ``standard`` and ``label``.
    """
    rows = figures[figures["group_code"] == "all"].merge(standards, on="indicator_code")
    applies = (rows["period"] >= rows["first_period"]) & (rows["period"] <= rows["last_period"])
    below = applies & (rows["value"] < rows["threshold"])
    return rows.loc[below, ["indicator_code", "period", "value", "threshold", "standard", "label"]]


#: Sentence kinds, most serious first.
PRIORITY = {
    "floor": 0,
    "red_red": 1,
    "widening": 2,
    "worse_three_years": 3,
    "national_gap_focus": 4,
    "national_gap_other": 5,
    "bottom_quartile": 6,
}
#: The groups "narrow the gap" is about; their gaps come before the others'.
HEADLINE_GROUPS = {"disadvantaged", "fsm", "looked_after", "lowest_20pc"}


def areas_of_interest(
    gaps: pd.DataFrame,
    comparisons: pd.DataFrame,
    floors: pd.DataFrame,
    catalogue: pd.DataFrame,
    period: str,
    place: str = "school",
    *,
    nouns: Mapping[str, str],
) -> list[str]:
    """Plain sentences about what most needs attention, most serious first.

    Parameters
    ----------
    gaps
        The place's gaps in every period: indicator_code, focus_group, comparator_group, kind,
        period, gap, significant, trend (trend in words: widening / narrowing / ...).
    comparisons
        The place's all-pupil figures against England in every period: indicator_code,
        period, vs_england (better / similar / worse), trend (getting better / worse / ...).
    floors
        Output of :func:`floor_status` for the place.
    catalogue
        code, title, polarity.
    period
        The period the sentences speak of; "the last three years" are it and the two before,
        in the same period style.
    place
        The level's word for "in the same ..." (school, la, region).
    nouns
        Pupil group code -> how it reads inside a sentence (the catalogue's ``noun``,
        :func:`ecm.catalogue.group_nouns`; given, since statistics sit below the catalogue).
    """
    meta = catalogue.set_index("code")
    found: list[tuple[int, str]] = []

    def title(code: str) -> str:
        return str(meta.loc[code, "title"]) if code in meta.index else code

    def recent(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
        """The series' last three periods up to the profile's year, in the series' own style."""
        target = in_style_of(period, str(rows["period"].iloc[0]))
        rows = rows[_same_style(rows["period"], target) & (rows["period"] <= target)]
        return rows.sort_values("period").tail(RUN), target

    for (code, focus, kind), series in gaps.groupby(["indicator_code", "focus_group", "kind"]):
        rows, target = recent(series)
        if rows.empty:
            continue
        noun = nouns.get(focus, focus)
        comparator = nouns.get(rows["comparator_group"].iloc[-1], "other pupils")
        persistent = len(rows) == RUN and (rows["significant"] & (rows["gap"] > 0)).all()
        if kind == "vs_national" and persistent:
            direction = "below" if meta.loc[code, "polarity"] == "higher_is_better" else "above"
            kind_of = "national_gap_focus" if focus in HEADLINE_GROUPS else "national_gap_other"
            found.append(
                (
                    PRIORITY[kind_of],
                    f"{title(code)} for {noun} was significantly {direction} {comparator} "
                    "nationally in each of the last three years.",
                )
            )
        latest = rows[rows["period"] == target]
        # "Widening" is distance from zero: a gap in the focus group's favour that grows is
        # good news, so only a gap with the focus group worse off (positive) is flagged.
        if (
            kind == "within"
            and not latest.empty
            and _is_true(latest["significant"].iloc[0])
            and latest["gap"].iloc[0] > 0
            and latest["trend"].iloc[0] == "widening"
        ):
            where = {"la": "authority"}.get(place, place)
            found.append(
                (
                    PRIORITY["widening"],
                    f"The gap in {title(code)} between {noun} and {comparator} in this {where} "
                    "is significant and widening.",
                )
            )
    for code, series in comparisons.groupby("indicator_code"):
        rows, target = recent(series)
        latest = rows[rows["period"] == target]
        if latest.empty:
            continue
        if red_red(latest["vs_england"].iloc[0], latest["trend"].iloc[0]):
            found.append(
                (
                    PRIORITY["red_red"],
                    f"{title(code)} is significantly worse than England and getting worse.",
                )
            )
        elif len(rows) == RUN and (rows["vs_england"] == "worse").all():
            found.append(
                (
                    PRIORITY["worse_three_years"],
                    f"{title(code)} was significantly worse than England in each of the last "
                    "three years.",
                )
            )
    for _code, rows in floors.groupby("indicator_code"):
        current = rows[rows["period"] == period]
        if current.empty:
            continue
        # Named as DfE names the standard and the part judged; never a statutory category
        # ("causing concern" is for warning notices and Ofsted, not a figure's judgement).
        previous = previous_period(period)
        again = f"; it was below it in {previous} too" if previous in set(rows["period"]) else ""
        found.append(
            (
                PRIORITY["floor"],
                f"Below {current['standard'].iloc[0]} in {period} "
                f"({percent(current['value'].iloc[0])}): {current['label'].iloc[0]}{again}.",
            )
        )
    return [sentence for _, sentence in sorted(found, key=lambda item: item[0])]


def _is_true(verdict: object) -> bool:
    """A significance verdict that is True; False and not tested (None, NaN) are not."""
    return verdict is not None and not pd.isna(verdict) and bool(verdict)


def in_style_of(period: str, example: str) -> str:
    """The year of ``period`` written like ``example``: (2009/10, 2008-09) -> 2009-10;
    (2009/10, 2008) -> 2010."""
    start = int(period[:4])
    if len(example) == 4:
        return str(start + 1)
    return f"{start}{example[4]}{str(start + 1)[-2:]}"


def previous_period(period: str) -> str:
    """The year before, in the same style: 2009/10 -> 2008/09, 2009-10 -> 2008-09, 2010 -> 2009."""
    start = int(period[:4]) - 1
    if len(period) == 4:
        return str(start)
    return f"{start}{period[4]}{str(start + 1)[-2:]}"


def bottom_quartile_sentences(
    bands: pd.DataFrame, catalogue: pd.DataFrame, among: str, period: str
) -> list[str]:
    """Sentences for the indicators where the school is in the bottom quarter (band D) of the
    schools ``among`` names ("state-funded primary schools loaded": its phase in the store, all
    of England's where the national files are loaded). ``bands``: indicator_code, band."""
    titles = catalogue.set_index("code")["title"]
    return [
        f"{titles.get(code, code)} was in the bottom quarter of the {among} in {period}."
        for code in bands.loc[bands["band"] == "D", "indicator_code"]
    ]


def _same_style(periods: pd.Series, period: str) -> pd.Series:
    """Periods written in the same style as ``period`` (2008/09, 2008-09 or 2009)."""
    if len(period) == 4:
        return periods.str.len() == 4
    return periods.str[4:5] == period[4:5]
