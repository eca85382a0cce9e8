"""A school's profile as its page shows it: the headline gap, gaps beside the LA's and
England's, trend series and the plan's actions. Pure functions on ``build_profile``'s result."""

from __future__ import annotations

import pandas as pd

from ecm.catalogue import comparator_phrase, group_label, group_title
from ecm.periods import period_start
from ecm.stats.gaps import gap_order, margins_from_zero, verdict
from ecm.store.models import action_status_words
from ecm.store.school_types import STATE_FUNDED, school_set_words
from ecm.units import gap_with_unit, interval, number
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
    """The clearest significant gap of the focus group, with the plan's actions on it; None
    when no gap of the group is significant. Adds ``unit`` and ``of`` (how many significant
    gaps it was chosen from).

    The rule is unit-free: of the gaps where the focus group is significantly worse off, the
    one furthest from no gap in its own margins of error (:func:`margins_from_zero`), since a
    gap in percentage points and one in Attainment 8 points or a rate cannot be ranked by size.
    Every gap is on one measure, never the widest of several: DfE's against the comparator
    group nationally where the store has it, else the school's own gap (``HEADLINE_KINDS``).
    """
    titles, units = _titles(profile)
    significant = [
        g
        for g in _of_kind(profile, focus_group, headline_kind(profile, focus_group))
        if verdict(g["significant"], g["lower"], g["upper"]) and g["gap"] > 0
    ]
    if not significant:
        return None
    clearest = max(significant, key=lambda g: margins_from_zero(g["gap"], g["lower"], g["upper"]))
    indicator = clearest["indicator"]
    return {
        **clearest,
        "title": titles.get(indicator, indicator),
        "unit": units.get(indicator),
        "of": len(significant),
    }


def _of_kind(profile: dict, focus_group: str, kind: str | None) -> list[dict]:
    """The focus group's gaps on one measure that have a figure (not withheld or missing)."""
    return [
        g
        for g in profile["gaps"]
        if g["focus_group"] == focus_group and g["kind"] == kind and g["gap"] is not None
    ]


def headline_kind(profile: dict, focus_group: str = "disadvantaged") -> str | None:
    """The measure the headline uses: the first of ``HEADLINE_KINDS`` the school has a gap
    figure on (a withheld or missing gap does not count)."""
    mine = [g for g in profile["gaps"] if g["focus_group"] == focus_group and g["gap"] is not None]
    return next((k for k in HEADLINE_KINDS if any(g["kind"] == k for g in mine)), None)


#: The measures in words, as the headline names them.
MEASURE_WORDS = {
    "vs_national": "against their peers nationally (DfE's measure)",
    "within": "against their peers in the school",
}


def headline_markdown(
    gap: dict | None,
    focus_group: str = "disadvantaged",
    kind: str | None = None,
    profile: dict | None = None,
) -> str:
    """The headline in words: the gap with its unit and interval, the rule that chose it, and
    what the plan in force (named from ``profile``) does about it; with no significant gap,
    which measure none is significant on (``kind``)."""
    group = escape_markdown(group_label(focus_group))
    if gap is None and kind is None:
        # No gap figure on any measure: saying "none is significant" would suggest they were
        # tested and found small.
        return (
            f"No gap for {group} pupils can be shown this year: their figures are withheld "
            "(too few pupils) or not published."
        )
    if gap is None:
        measure = f" {MEASURE_WORDS[kind]}" if kind in MEASURE_WORDS else ""
        return f"No gap for {group} pupils{measure} is significant this year."
    plan = plan_words(gap, profile)
    comparator = escape_markdown(comparator_phrase(gap["comparator_group"]))
    unit = gap.get("unit")
    chosen = (
        "the only significant gap"
        if gap.get("of", 1) == 1
        else f"chosen from {gap['of']} significant gaps as the one furthest from no gap in its "
        "own margins of error, so that gaps in different units compare fairly"
    )
    return (
        f"**Clearest significant gap for {group} pupils:** {escape_markdown(gap['title'])}, "
        f"{gap_with_unit(gap['gap'], unit)} (95% interval "
        f"{interval(gap['lower'], gap['upper'], unit)}) against {comparator} "
        f"{KIND_TITLES.get(gap['kind'], gap['kind'])} ({chosen}). Plan: {plan}."
    )


def plan_words(gap: dict, profile: dict | None = None) -> str:
    """What the plan in force does about a school's gap, naming the plan and the year, in the
    same terms as the LA's Plan page: the actions that reach the school, else how many the
    plan has on the gap elsewhere in the LA, else none."""
    plan = (profile or {}).get("plan")
    named = (
        f"{escape_markdown(plan['title'])} ({escape_markdown(plan['period_label'] or '')}), "
        f"in force in {profile['period']}"
        if plan
        else None
    )
    actions = gap["actions"]
    if actions:
        listed = "; ".join(
            f"**{escape_markdown(a['title'])}** ({action_status_words(a['status'])}, "
            f"lead: {escape_markdown(a['lead'] or 'not named')})"
            for a in actions
        )
        return f"{listed}" + (f" — from {named}" if named else "")
    if profile is not None and not plan:
        return f"**no plan is in force in {profile['period']}**"
    elsewhere = gap.get("la_actions", 0)
    where = f" in {named}" if named else " in the plan"
    if elsewhere:
        count = "an action" if elsewhere == 1 else f"{elsewhere} actions"
        return (
            f"**no action reaches this school on it**; {count}{where} target it elsewhere in the LA"
        )
    return f"**no action{where} targets it**"


def untested_gaps_line(profile: dict, focus_group: str = "disadvantaged") -> str | None:
    """A sentence naming the focus group's gaps on the headline's measure that could not be
    tested (no interval: Attainment 8, figures published without counts), which the headline's
    choice therefore leaves out; None when every gap was tested."""
    kind = headline_kind(profile, focus_group)
    titles, _ = _titles(profile)
    untested = [
        titles.get(g["indicator"], g["indicator"])
        for g in _of_kind(profile, focus_group, kind)
        if verdict(g["significant"], g["lower"], g["upper"]) is None
    ]
    if not untested:
        return None
    names = ", ".join(escape_markdown(t) for t in dict.fromkeys(untested))
    count = "gap" if len(untested) == 1 else f"{len(untested)} gaps"
    return (
        f"Not tested, so not in the headline's choice: the {count} with no 95% interval "
        f"({names}), published without the counts or spread an interval needs."
    )


def measures_disagree_line(profile: dict, focus_group: str = "disadvantaged") -> str | None:
    """One sentence where the school's own gap and DfE's measure disagree on whether a gap is
    significant (the headline uses DfE's), saying why they can; None where they agree."""
    kind = headline_kind(profile, focus_group)
    other = next((k for k in HEADLINE_KINDS if k != kind), None)
    if kind is None or other is None:
        return None

    def significant(which: str) -> set[str]:
        return {
            g["indicator"]
            for g in _of_kind(profile, focus_group, which)
            if verdict(g["significant"], g["lower"], g["upper"]) and g["gap"] > 0
        }

    only_other = significant(other) - significant(kind)
    if not only_other:
        return None
    titles, _ = _titles(profile)
    names = ", ".join(escape_markdown(titles.get(i, i)) for i in sorted(only_other))
    return (
        f"{MEASURE_WORDS[other].capitalize()}, the gap is significant in {names}, but not "
        f"{MEASURE_WORDS[kind]}: the two measures compare with different pupils (those in the "
        "school, and those across England), so they can disagree."
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
        unit = units.get(gap["indicator"])
        limits = interval(gap.get("lower"), gap.get("upper"), unit)
        # * significant; a gap with no interval was never tested, and says so rather than
        # reading as "not significant".
        test = {True: " *", False: ""}.get(gap.get("significant"), " (not tested)")
        return f"{number(gap['gap'], unit)}{f' ({limits})' if limits else ''}{test}"

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


def trend_heading(profile: dict, indicator: str | None) -> str:
    """The trends panel's heading, naming the years the chosen ``indicator``'s chart actually
    shows ("Trends: 2016/17 to 2018/19, three years"), not the years of every indicator's
    series; years counted by their start, so an academic, a financial and a calendar year
    starting together count once."""
    rows = [s for s in profile.get("series", []) if s["indicator"] == indicator]
    by_start = {period_start(s["period"]): s["period"] for s in rows}
    if not by_start:
        return "Trends"
    first, last = by_start[min(by_start)], by_start[max(by_start)]
    if len(by_start) == 1:
        return f"Trends: {first} only, one year of figures"
    years = NUMBER_WORDS.get(len(by_start), str(len(by_start)))
    return f"Trends: {first} to {last}, {years} years of figures"


def predecessor_sentence(profile: dict) -> str | None:
    """Markdown saying whose figures a converted school's trends show before its own (see
    :mod:`ecm.figures.predecessors`), or None when none are joined."""
    before = profile.get("predecessor")
    if not before:
        return None
    years = before["periods"]
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    return (
        f"Figures for {span} are those of {escape_markdown(before['name'])} "
        f"(URN {escape_markdown(before['urn'])}), the school this one replaced: the register "
        "links the two, so the trends follow the school across its change of URN."
    )


def trend_opening(profile: dict, headline: dict | None, asked: str | None) -> str | None:
    """The indicator the trends panel shows: the one the address asks for (``asked``) when
    the school has it, else the opening one of :func:`trend_choices`."""
    titles, opening = trend_choices(profile, headline)
    return asked if asked in titles else opening


#: Small counts written as words in headings.
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def trend_series(profile: dict, indicator: str) -> pd.DataFrame:
    """One indicator's series for the school, its LA and England: name, period, value,
    lower, upper, series_break (a break's label on the first period after it), and
    ``from_urn`` (the URN a predecessor's figure came from) where a predecessor's are joined."""
    rows = [s for s in profile.get("series", []) if s["indicator"] == indicator]
    columns = ["indicator", "name", "period", "value", "lower", "upper", "series_break"]
    if profile.get("predecessor"):
        # Whose figure each row is, where a predecessor's extend the school's series.
        columns.append("from_urn")
    frame = pd.DataFrame(rows, columns=columns)
    return frame.drop(columns="indicator").sort_values(["period", "name"]).reset_index(drop=True)


def plan_link_label(profile: dict) -> str:
    """The label of the headline's link to the LA's Plan page, naming the plan in force in the
    year shown (or saying none is), as the headline and the plan panel do."""
    la = escape_markdown((profile["geography"].get("la") or {}).get("name", ""))
    plan = profile.get("plan")
    if not plan:
        return (
            f"What the plan does about this gap: no plan of {la} is in force in {profile['period']}"
        )
    title = f"{escape_markdown(plan['title'])} ({escape_markdown(plan['period_label'] or '')})"
    return f"What the plan does about this gap: {title}, in force in {profile['period']}"


def plan_panel_words(profile: dict, actions: pd.DataFrame) -> str:
    """The sentence that opens the "What the plan does" panel, in the headline's terms
    (:func:`plan_words`): which plan is in force in the year shown (title and years) and
    whether any of its actions reach this school, or that no plan is in force that year."""
    period = escape_markdown(profile["period"])
    la = (profile["geography"].get("la") or {}).get("name")
    plan = profile.get("plan")
    if not plan:
        whose = f" of {escape_markdown(la)}" if la else ""
        return f"**No plan{whose} is in force in {period}**, so no action targets this school."
    named = (
        f"{escape_markdown(plan['title'])} ({escape_markdown(plan['period_label'] or '')}), "
        f"in force in {period}"
    )
    if actions.empty:
        return f"**No action in {named} targets this school or its gaps.**"
    count = "One action" if len(actions) == 1 else f"{len(actions)} actions"
    return f"{count} in {named} reach this school and target its gaps:"


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


def compared_with_caption(profile: dict) -> str:
    """Which schools the page's bands, quartiles, spreads and similar schools are among, in
    words, so that nobody mistakes the set: DfE's comparisons are among state-funded schools
    unless all schools were chosen."""
    geography = profile["geography"]
    schools = geography.get("compared_with") or STATE_FUNDED
    among = school_set_words(geography.get("phase"), schools, where="loaded")
    if schools == STATE_FUNDED:
        return (
            f"Bands, spreads and similar schools are among the {among}, as DfE compares "
            "schools: independent and non-maintained special schools are left out unless "
            "you compare with all schools."
        )
    return (
        f"Bands, spreads and similar schools are among the {among}, not only the "
        "state-funded ones DfE compares schools with."
    )


def spread_set_words(profile: dict) -> str:
    """The schools a school's spine charts spread it among: "state-funded primary schools in
    England", or all of them with independent schools."""
    geography = profile["geography"]
    schools = geography.get("compared_with") or STATE_FUNDED
    return school_set_words(geography.get("phase"), schools, where="in England")
