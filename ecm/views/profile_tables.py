"""The profile as tables: flat columns for CSV, and words, symbols and intervals for screens.

Both take the dictionary :func:`ecm.places.profile.build_profile` returns, so the Profile page, its
downloads and ``python -m ecm profile --format csv|table`` show the same numbers.
"""

from __future__ import annotations

import pandas as pd

from ecm import units
from ecm.catalogue import comparator_phrase, group_title
from ecm.charts import COMPARISONS, label
from ecm.disclosure.rules import MARKER_MEANINGS
from ecm.stats.direction import UNTESTED_WORDS
from ecm.stats.gaps import gap_order, verdict
from ecm.store.models import action_status_words


def profile_tables(profile: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The profile as two flat tables (figures, gaps) for CSV and terminal output."""
    figures = pd.DataFrame(
        [
            {
                **{
                    k: v
                    for k, v in record.items()
                    if k not in ("benchmarks", "benchmarks_998", "rank", "comparator_values")
                },
                **{f"{name}_value": v for name, v in record["comparator_values"].items()},
                **{f"vs_{name}": word for name, word in record["benchmarks"].items()},
                **{f"vs_{name}_998": w for name, w in record["benchmarks_998"].items()},
                "band": (record["rank"] or {}).get("band"),
                "rank": (record["rank"] or {}).get("rank"),
                "of": (record["rank"] or {}).get("of"),
            }
            for record in profile["observations"]
        ]
    )
    gaps = pd.DataFrame(
        [
            {
                **{k: v for k, v in record.items() if k != "actions"},
                # The JSON's null, in words: a gap with no interval was never tested.
                "significant": "not tested"
                if record["significant"] is None
                else record["significant"],
                "actions": "; ".join(
                    f"{a['title']} ({action_status_words(a['status'])})" for a in record["actions"]
                ),
            }
            for record in profile["gaps"]
        ]
    )
    return _published(figures, figures.get("unit")), _published(
        gaps, gaps["indicator"].map(_units(profile)) if "indicator" in gaps else None
    )


#: Columns of the profile's tables holding figures (rounded to their published precision in
#: the CSV and the command line's text, as on screen); other numbers (counts, ranks) stay whole.
FIGURE_COLUMNS = ("value", "lower", "upper", "gap")


def profile_text(table: pd.DataFrame) -> pd.DataFrame:
    """One of :func:`profile_tables`' tables as the command line prints it: each figure at
    its own published precision (a row's unit and indicator), other numbers as tables write
    them (:func:`ecm.units.table_text`), a missing figure as "no figure"."""
    text = units.table_text(table)
    unit = table.get("unit", pd.Series(None, index=table.index))
    indicator = table.get("indicator", pd.Series(None, index=table.index))
    for column in (c for c in table.columns if c in FIGURE_COLUMNS or str(c).endswith("_value")):
        text[column] = [
            units.number(v, u, None, i)
            for v, u, i in zip(table[column], unit, indicator, strict=True)
        ]
    return text


def _units(profile: dict) -> dict[str, str]:
    return {o["indicator"]: o["unit"] for o in profile["observations"]}


def _published(table: pd.DataFrame, unit: pd.Series | None) -> pd.DataFrame:
    """``table`` with its figures (``FIGURE_COLUMNS`` and comparators' ``*_value``) at their
    published precision (:func:`ecm.units.rounded`)."""
    figures = [c for c in table.columns if c in FIGURE_COLUMNS or str(c).endswith("_value")]
    indicator = table.get("indicator")
    return table.assign(**{c: units.rounded(table[c], unit, indicator) for c in figures})


#: Words with a symbol, so that a comparison never rests on colour alone.
COMPARISON_LABELS = {word: label(word) for word in COMPARISONS}


def trend_label(trend: str) -> str:
    """A trend in words, marked "(untested)" when it is a direction of travel rather than the
    Fingertips trend test."""
    return f"{trend} (untested)" if trend in UNTESTED_WORDS else trend


#: Said of a trend significant at the derived counts but not at the least favourable ends
#: their rounding allows (METHODOLOGY, "Rounding of derived numerators").
TREND_LOST_TO_ROUNDING = "significant only before rounding is allowed for"


def trend_text(record: dict) -> str:
    """A figure's trend for a screen table: its label, whether rounding took its significance
    away, and the red-red flag."""
    text = trend_label(record["trend"])
    if record.get("trend_lost_to_rounding") is True:
        text += f" ({TREND_LOST_TO_ROUNDING})"
    return text + (" · red-red" if record["red_red"] else "")


KIND_TITLES = {
    "within": "in the same place",
    "vs_la": "across the LA",
    "vs_national": "nationally",
}


def screen_tables(profile: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The profile's figures and gaps as tables for people: words, symbols, intervals as text.

    Withheld figures show their marker; the numbers are those of :func:`build_profile`.
    """
    rows = []
    for o in profile["observations"]:
        rows.append(
            {
                "Outcome": o["outcome"],
                "Indicator": o["title"],
                "Group": group_title(o["group"]),
                "Period": o["period"],
                "Value": units.number(o["value"], o["unit"], o["marker"], o["indicator"]),
                "95% interval": units.interval(o["lower"], o["upper"], o["unit"]),
                "Pupils": units.count(o["pupils"]) if o["pupils"] is not None else "",
                **{
                    f"vs {name.replace('_', ' ')}": COMPARISON_LABELS.get(word, word)
                    for name, word in o["benchmarks"].items()
                },
                "Band (A best)": _band_text(o["rank"]),
                # Which schools a similar-schools value pools, so nobody mistakes the set.
                **(
                    {"Similar schools pooled": _pool_text(o.get("similar_schools"))}
                    if "similar_schools" in o["benchmarks"]
                    else {}
                ),
                "Trend": trend_text(o),
                "Source": o["source"] or "",
            }
        )
    titles = {o["indicator"]: o["title"] for o in profile["observations"]}
    unit_of = _units(profile)
    gaps = []
    for g in sorted(profile["gaps"], key=lambda g: gap_order(g, unit_of.get(g["indicator"]))):
        gaps.append(
            {
                "Indicator": titles.get(g["indicator"], g["indicator"]),
                "Gap": f"{group_title(g['focus_group'])} vs "
                f"{comparator_phrase(g['comparator_group'])}, "
                f"{KIND_TITLES.get(g['kind'], g['kind'])}",
                "Size": units.number(g["gap"], unit_of.get(g["indicator"]), "c", g["indicator"]),
                "95% interval": units.interval(g["lower"], g["upper"]),
                "Significant": significance_word(
                    g["significant"], g["lower"], g["upper"], g.get("lost_to_rounding", False)
                ),
                "Trend": g["trend"],
                "Plan actions": "; ".join(
                    f"{a['title']} ({action_status_words(a['status'])})" for a in g["actions"]
                )
                or ("none" if g["significant"] else ""),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(gaps)


#: The reason given for a gap significant at its point value but not at every numerator the
#: rounding of its published percentages allows (METHODOLOGY.md, "Rounding of derived numerators").
LOST_TO_ROUNDING = "no, not once rounding is allowed for"


def significance_word(
    significant: object, lower: object, upper: object, lost_to_rounding: object = False
) -> str:
    """A gap's test in one word, the same in the profile's JSON, its CSV and table, and on
    every page: ``yes``, ``no``, or ``not tested`` where there is no interval to test it by
    (Attainment 8; figures published without counts); ``no`` says why where only the rounding
    of a derived numerator stops it being significant."""
    tested = verdict(significant, lower, upper)
    if tested is None:
        return "not tested"
    return "yes" if tested else (LOST_TO_ROUNDING if lost_to_rounding is True else "no")


def _band_text(rank: dict | None) -> str:
    """'B (rank 40 of 150)', 'B (among 412 state-funded primary schools loaded)' (a band
    named by the set it is among) or 'B'."""
    if not rank:
        return ""
    if "rank" in rank:
        return f"{rank['band']} (rank {rank['rank']} of {rank['of']})"
    if rank.get("among"):
        return f"{rank['band']} ({rank['among']})"
    return rank["band"]


def _pool_text(pool: dict | None) -> str:
    """What a similar-schools value pools, in words ("42 other state-funded primary schools in
    the 8-20% FSM band"), or nothing where no value is shown."""
    if not pool:
        return ""
    return pool["words"].removeprefix("similar schools: ")


def marker_meaning(marker: str) -> str:
    """What a marker in place of a figure means (``c``: withheld by the dashboard's disclosure
    control; ``SUPP``, ``x``, ...: the publisher's own)."""
    return MARKER_MEANINGS.get(marker, "not available")
