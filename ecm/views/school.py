"""A school's profile as its page shows it: the headline gap, gaps beside the LA's and
England's, trend series and the plan's actions. Pure functions on ``build_profile``'s result."""

from __future__ import annotations

import pandas as pd

from ecm.catalogue import comparator_phrase, group_label, group_title
from ecm.stats.gaps import gap_order
from ecm.store.models import action_status_words
from ecm.views.markdown import escape_markdown
from ecm.views.profile_tables import KIND_TITLES


def _titles(profile: dict) -> tuple[dict, dict]:
    titles = {o["indicator"]: o["title"] for o in profile["observations"]}
    units = {o["indicator"]: o["unit"] for o in profile["observations"]}
    return titles, units


#: The measure a school's headline gap is on: DfE's (the school's focus group against the
#: comparator group nationally, the performance tables' ``DIFFN``), else the school's own gap.
HEADLINE_KINDS = ("vs_national", "within")


def headline_gap(profile: dict, focus_group: str = "disadvantaged") -> dict | None:
    """The widest significant gap of the focus group (percentage gaps in points first), with
    the plan's actions on it; None when no gap of the group is significant.

    Every gap is on one measure, never the widest of several: DfE's against the comparator
    group nationally where the store has it, else the school's own gap (``HEADLINE_KINDS``).
    """
    titles, units = _titles(profile)
    mine = [g for g in profile["gaps"] if g["focus_group"] == focus_group]
    kind = headline_kind(profile, focus_group)
    significant = [
        g
        for g in mine
        if g["kind"] == kind
        and g["significant"]
        and g["gap"] is not None
        and g["gap"] > 0  # the focus group worse off
    ]
    if not significant:
        return None
    widest = sorted(significant, key=lambda g: gap_order(g, units.get(g["indicator"])))[0]
    return {**widest, "title": titles.get(widest["indicator"], widest["indicator"])}


def headline_kind(profile: dict, focus_group: str = "disadvantaged") -> str | None:
    """The measure the headline uses: the first of ``HEADLINE_KINDS`` the school has a gap
    figure on (a withheld or missing gap does not count)."""
    mine = [g for g in profile["gaps"] if g["focus_group"] == focus_group and g["gap"] is not None]
    return next((k for k in HEADLINE_KINDS if any(g["kind"] == k for g in mine)), None)


def headline_markdown(
    gap: dict | None, focus_group: str = "disadvantaged", kind: str | None = None
) -> str:
    """The headline in words: the gap, its interval and what the plan does about it; with no
    significant gap, which measure none is significant on (``kind``)."""
    group = escape_markdown(group_label(focus_group))
    if gap is None and kind is None:
        # No gap figure on any measure: saying "none is significant" would suggest they were
        # tested and found small.
        return (
            f"No gap for {group} pupils can be shown this year: their figures are withheld "
            "(too few pupils) or not published."
        )
    if gap is None:
        measure = {
            "vs_national": " against their peers nationally (DfE's measure)",
            "within": " against their peers in the school",
        }.get(kind or "", "")
        return f"No gap for {group} pupils{measure} is significant this year."
    actions = gap["actions"]
    plan = (
        "; ".join(
            f"**{a['title']}** ({action_status_words(a['status'])}, lead: {a['lead']})"
            for a in actions
        )
        if actions
        else "**no action in the plan targets it**"
    )
    comparator = escape_markdown(comparator_phrase(gap["comparator_group"]))
    return (
        f"**Widest significant gap for {group} pupils:** {gap['title']}, "
        f"{gap['gap']:.1f} (95% interval {gap['lower']:.1f} to {gap['upper']:.1f}) against "
        f"{comparator} {KIND_TITLES.get(gap['kind'], gap['kind'])}. Plan: {plan}."
    )


def gap_comparison(profile: dict) -> pd.DataFrame:
    """Each of the school's own gaps (focus group against comparator in the school) beside the
    same gap in its LA and in England, with the school's trend and the plan's actions."""
    titles, units = _titles(profile)
    context = {
        (c["indicator"], c["focus_group"], c["place"]): c for c in profile.get("context_gaps", [])
    }
    own = [g for g in profile["gaps"] if g["kind"] == "within"]
    own.sort(key=lambda g: gap_order(g, units.get(g["indicator"])))
    national = {
        (g["indicator"], g["focus_group"]): g for g in profile["gaps"] if g["kind"] == "vs_national"
    }

    def shown(gap: dict | None) -> str:
        if gap is None or gap.get("gap") is None:
            return ""
        interval = (
            f" ({gap['lower']:.1f} to {gap['upper']:.1f})" if gap.get("lower") is not None else ""
        )
        # * significant; a gap with no interval was never tested, and says so rather than
        # reading as "not significant".
        test = {True: " *", False: ""}.get(gap.get("significant"), " (not tested)")
        return f"{gap['gap']:.1f}{interval}{test}"

    rows = [
        {
            "Indicator": titles.get(g["indicator"], g["indicator"]),
            "Gap": f"{group_title(g['focus_group'])} vs {comparator_phrase(g['comparator_group'])}",
            "School": _with_marker(g, shown),
            "School vs national (DfE)": _with_marker(
                national.get((g["indicator"], g["focus_group"])), shown
            ),
            "LA": shown(context.get((g["indicator"], g["focus_group"], "LA"))),
            "England": shown(context.get((g["indicator"], g["focus_group"], "England"))),
            "Trend": g["trend"],
            "Plan actions": "; ".join(a["title"] for a in g["actions"]),
        }
        for g in own
    ]
    return pd.DataFrame(rows)


def _with_marker(gap: dict | None, shown) -> str:  # noqa: ANN001
    """One of the school's own gaps as ``shown`` writes it, ``c`` where it is withheld."""
    if gap is None:
        return ""
    return "c" if gap["suppressed"] else shown(gap)


def trend_choices(profile: dict, headline: dict | None) -> tuple[dict[str, str], str | None]:
    """The indicators a trend chart can show (code -> title, those with the school's longest
    series first, then the catalogue's order) and the one to open on: the ``headline`` gap's
    indicator (:func:`headline_gap`) when the school has a series for it, else the first."""
    titles = {o["indicator"]: o["title"] for o in profile["observations"]}
    school = profile["geography"]["name"]
    years = pd.Series(
        [s["indicator"] for s in profile.get("series", []) if s["name"] == school],
        dtype=object,
    ).value_counts()
    choices = sorted(titles, key=lambda code: -int(years.get(code, 0)))
    options = {code: titles[code] for code in choices}
    if headline and years.get(headline["indicator"], 0) > 1:
        return options, headline["indicator"]
    return options, next(iter(options), None)


def trend_axis_title(profile: dict, indicator: str) -> str:
    """The trend chart's axis: the indicator's title and unit."""
    titles, units = _titles(profile)
    unit = units.get(indicator)
    title = titles.get(indicator, indicator)
    return f"{title} ({unit})" if unit else title


def trend_series(profile: dict, indicator: str) -> pd.DataFrame:
    """One indicator's series for the school, its LA and England: name, period, value,
    lower, upper, series_break (a break's label on the first period after it)."""
    rows = [s for s in profile.get("series", []) if s["indicator"] == indicator]
    columns = ["indicator", "name", "period", "value", "lower", "upper", "series_break"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.drop(columns="indicator").sort_values(["period", "name"]).reset_index(drop=True)


def plan_actions(profile: dict) -> pd.DataFrame:
    """The plan's actions that reach this school and target one of its gaps, each with a link
    to the action on the LA's Plan page."""
    titles, _ = _titles(profile)
    la_code = (profile["geography"].get("la") or {}).get("code", "")
    period = profile["period"]
    seen: dict[int, dict] = {}
    for g in profile["gaps"]:
        for a in g["actions"]:
            entry = seen.setdefault(
                a["id"],
                {
                    "Action": a["title"],
                    "Status": action_status_words(a["status"]),
                    "Lead": a["lead"],
                    "Targets": set(),
                    # The plan in force in the year shown, not the latest.
                    "Action page": f"/plan?la={la_code}&action={a['id']}&period={period}",
                },
            )
            entry["Targets"].add(
                f"{titles.get(g['indicator'], g['indicator'])} ({group_label(g['focus_group'])})"
            )
    rows = [{**e, "Targets": "; ".join(sorted(e["Targets"]))} for e in seen.values()]
    return pd.DataFrame(rows, columns=["Action", "Status", "Lead", "Targets", "Action page"])
