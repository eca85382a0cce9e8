"""What changed between two years of a place: the movement a Board or a Government Office team
looks for between meetings. Gaps newly significant, newly widening or closed; figures newly
worse than England or no longer worse; the plan's actions newly off track or back on track.

Pure functions on two profiles (:func:`ecm.places.profile.build_profile`) and, for an LA, the
plan's coverage in each year (:func:`ecm.plan.loaders.la_plan_coverage`). A gap is the same gap
in both years when its indicator, groups and kind match; an action when its id does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from ecm import units
from ecm.catalogue import group_title
from ecm.plan.coverage import PlanCoverage

#: A gap's trend when its widening is significant (ecm.stats.trends); a direction seen where
#: no test is possible ("widening (untested)") is not counted as a change.
WIDENING = "widening"
_GAP_KEY = ("indicator", "focus_group", "comparator_group", "kind")
_KIND_WORDS = {"vs_la": " (across the LA)", "vs_national": " (nationally)"}
GAP_COLUMNS = ["Indicator", "Between", "Then", "Now"]
FIGURE_COLUMNS = ["Indicator", "Then", "Now", "England now"]
ACTION_COLUMNS = ["Action", "Lead", "Now"]


@dataclass(frozen=True)
class Changes:
    """The movement from year ``before`` to year ``after``, one table per kind of change."""

    before: str
    after: str
    newly_significant: pd.DataFrame
    newly_widening: pd.DataFrame
    closed: pd.DataFrame  # significant before, no longer
    newly_worse: pd.DataFrame  # all-pupil figures significantly worse than England now only
    no_longer_worse: pd.DataFrame
    newly_off_track: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ACTION_COLUMNS)
    )
    back_on_track: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=ACTION_COLUMNS)
    )

    def sections(self) -> list[tuple[str, pd.DataFrame, str]]:
        """Each kind of change: its heading, its table and what it says when there is none."""
        return [
            ("Gaps newly significant", self.newly_significant,
             "No gap became significant."),
            ("Gaps newly widening (significantly)", self.newly_widening,
             "No gap began to widen significantly."),
            ("Gaps closed (significant then, not now)", self.closed,
             "No significant gap closed."),
            ("Newly worse than England", self.newly_worse,
             "No figure became significantly worse than England."),
            ("No longer worse than England", self.no_longer_worse,
             "No figure stopped being significantly worse than England."),
            ("Actions newly off track", self.newly_off_track, "No action went off track."),
            ("Actions back on track", self.back_on_track, "No action came back on track."),
        ]  # fmt: skip

    def counts(self) -> dict[str, int]:
        """How many of each kind of change, by heading."""
        return {heading: len(table) for heading, table, _ in self.sections()}


def compare_years(
    before: dict,
    after: dict,
    coverage_before: PlanCoverage | None = None,
    coverage_after: PlanCoverage | None = None,
) -> Changes:
    """The changes from the profile ``before`` to the profile ``after`` of the same place, and
    between the plan's coverage in the two years when given (an LA's)."""
    then, now = _gaps(before), _gaps(after)
    both = now.merge(then, on=list(_GAP_KEY), how="left", suffixes=("", "_then"))
    units_of = _units(after) | _units(before)
    titles = _titles(after) | _titles(before)
    significant_now = both["significant"].eq(True)
    significant_then = both["significant_then"].eq(True)
    widening_now = both["trend"].eq(WIDENING)
    widening_then = both["trend_then"].eq(WIDENING)
    gone = then.merge(now, on=list(_GAP_KEY), how="left", suffixes=("_then", ""))
    # Closed only when this year's test says so: a gap measured without an interval this year
    # (or not at all) is not known to have closed.
    closed = gone[gone["significant_then"].eq(True) & gone["significant"].eq(False)]
    changes = Changes(
        before=before["period"],
        after=after["period"],
        newly_significant=_gap_table(both[significant_now & ~significant_then], titles, units_of),
        newly_widening=_gap_table(both[widening_now & ~widening_then], titles, units_of),
        closed=_gap_table(closed, titles, units_of),
        newly_worse=_figure_table(before, after, "worse"),
        no_longer_worse=_figure_table(after, before, "worse", swap=True),
    )
    if coverage_before is None or coverage_after is None:
        return changes
    off_then = set(coverage_before.off_track["action_id"])
    off_now = set(coverage_after.off_track["action_id"])
    return dataclasses.replace(
        changes,
        newly_off_track=_action_table(coverage_after.off_track, off_now - off_then, "reason"),
        back_on_track=_action_table(
            coverage_before.off_track, off_then - off_now, None, "no longer off track"
        ),
    )


def _gaps(profile: dict) -> pd.DataFrame:
    columns = [*_GAP_KEY, "gap", "lower", "upper", "significant", "trend", "suppressed"]
    gaps = pd.DataFrame(profile["gaps"])
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    return gaps[[c for c in columns if c in gaps]].astype({"significant": object})


def _units(profile: dict) -> dict[str, str]:
    return {o["indicator"]: o["unit"] for o in profile["observations"]}


def _titles(profile: dict) -> dict[str, str]:
    return {o["indicator"]: o["title"] for o in profile["observations"]}


def _gap_words(gap: object, lower: object, upper: object, unit: object) -> str:
    if units.is_missing_text(units.number(gap)):
        return "no figure"
    span = units.interval(lower, upper, unit)
    return units.gap_text(gap, unit) + (f" ({span})" if span else "")


def _gap_table(rows: pd.DataFrame, titles: dict, units_of: dict) -> pd.DataFrame:
    """Gaps in words: indicator, between whom, the gap then and now with their intervals."""
    table = [
        {
            "Indicator": titles.get(r["indicator"], r["indicator"]),
            "Between": f"{group_title(r['focus_group'])} and {group_title(r['comparator_group'])}"
            + _KIND_WORDS.get(r["kind"], ""),
            "Then": _gap_words(r.get("gap_then"), r.get("lower_then"), r.get("upper_then"),
                               units_of.get(r["indicator"])),
            "Now": _gap_words(r.get("gap"), r.get("lower"), r.get("upper"),
                              units_of.get(r["indicator"])),
        }
        for r in rows.to_dict("records")
    ]  # fmt: skip
    return pd.DataFrame(table, columns=GAP_COLUMNS)


def _standing(profile: dict) -> dict[tuple[str, str], dict]:
    """Each figure by (indicator, group): its record."""
    return {(o["indicator"], o["group"]): o for o in profile["observations"]}


def _figure_table(before: dict, after: dict, word: str, swap: bool = False) -> pd.DataFrame:
    """All-pupil figures compared with England as ``word`` in ``after`` but not in ``before``
    (``swap``: the rows say then/now the other way round, for "no longer")."""
    then, now = _standing(before), _standing(after)
    rows = []
    for key, record in now.items():
        if key[1] != "all" or record["benchmarks"].get("england") != word:
            continue
        earlier = then.get(key)
        if earlier is not None and earlier["benchmarks"].get("england") == word:
            continue
        old, new = (record, earlier) if swap else (earlier, record)
        rows.append(
            {
                "Indicator": record["title"],
                "Then": _figure_words(old),
                "Now": _figure_words(new),
                "England now": units.figure(
                    ((new or {}).get("comparator_values") or {}).get("england"),
                    record["unit"],
                ),
            }
        )
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def _figure_words(record: dict | None) -> str:
    if record is None:
        return "no figure"
    figure = units.figure(record["value"], record["unit"], record.get("marker"))
    word = record["benchmarks"].get("england")
    return f"{figure}, {word}" if word else figure


def _action_table(
    rows: pd.DataFrame, ids: set, reason: str | None, words: str = ""
) -> pd.DataFrame:
    """The plan's actions among ``ids``: title, lead and why (``reason``'s column) or ``words``."""
    chosen = rows[rows["action_id"].isin(ids)].drop_duplicates("action_id")
    return pd.DataFrame(
        {
            "Action": chosen["title"],
            "Lead": chosen["lead_partner"].fillna(""),
            "Now": chosen[reason].fillna("") if reason else words,
        },
        columns=ACTION_COLUMNS,
    ).reset_index(drop=True)


def changes_summary(changes: Changes, plan: bool = True) -> str:
    """The movement in one sentence: "From 2008/09 to 2009/10: 1 gap newly significant, ..."
    (``plan``: with the plan's actions, an authority's)."""
    parts = [
        f"{units.counted(len(changes.newly_significant), 'gap')} newly significant, "
        f"{len(changes.newly_widening)} newly widening and {len(changes.closed)} closed",
        f"{units.counted(len(changes.newly_worse), 'figure')} newly worse than England and "
        f"{len(changes.no_longer_worse)} no longer worse",
    ]
    if plan:
        parts.append(
            f"{units.counted(len(changes.newly_off_track), 'action')} newly off track and "
            f"{len(changes.back_on_track)} back on track"
        )
    return f"From {changes.before} to {changes.after}: " + "; ".join(parts) + "."
