"""The Plan page's tables and sentences, checked on the demo's coverage and on small frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ecm.figures.queries import load_local_authorities
from ecm.plan.loaders import la_plan_coverage, load_actions, load_spend, load_targets
from ecm.views.plan import (
    action_filters,
    action_table,
    evidence_words,
    filter_actions,
    glance_summary,
    spend_frame,
    uncovered_table,
)
from ecm.views.plan_action import detail_lines, history_table, target_table
from ecm.views.turn_the_curve import curve_choices

OUTCOMES = {
    "be_healthy": "Be healthy",
    "stay_safe": "Stay safe",
    "enjoy_achieve": "Enjoy and achieve",
    "positive_contribution": "Make a positive contribution",
    "economic_wellbeing": "Achieve economic well-being",
}


def _la(demo_engine) -> str:  # noqa: ANN001
    return load_local_authorities(demo_engine).iloc[0]["code"]


def test_the_glance_and_the_tables_agree_with_the_coverage(demo_engine) -> None:
    la = _la(demo_engine)
    coverage = la_plan_coverage(demo_engine, la)
    summary = glance_summary(coverage)
    assert f"**{len(coverage.uncovered)} have none**" in summary
    assert f"**{len(coverage.no_target)}** have no measurable target" in summary
    table = uncovered_table(coverage, la)
    assert len(table) == len(coverage.uncovered)
    assert set(table["Turn the curve"]) == {
        f"/plan?la={la}&gap={i}:{g}"
        for i, g in zip(
            coverage.uncovered["indicator_code"], coverage.uncovered["focus_group"], strict=True
        )
    }
    first = coverage.uncovered.iloc[0]
    actions = load_actions(demo_engine, la)
    spend = load_spend(demo_engine, la)
    shown = action_table(actions, spend, coverage, OUTCOMES, la)
    assert len(shown) == len(actions)
    off = shown[shown["The figures say"] == "off track"]
    assert set(off["Action"]) == set(coverage.off_track["title"])
    total = spend[spend["action_id"] == actions.iloc[0]["action_id"]]["amount"].sum()
    assert shown.iloc[0]["Spend (£k)"] == round(total / 1000)
    assert shown.iloc[0]["Action page"] == f"/plan?la={la}&action={actions.iloc[0]['action_id']}"
    for action_id in coverage.no_target["action_id"]:
        assert evidence_words(int(action_id), coverage) == "no measurable target"
    # Every gap of concern and every target can be drawn, the uncovered ones first.
    choices = curve_choices(coverage, load_targets(demo_engine, la), {})
    keys = list(choices)
    assert keys[0] == f"{first['indicator_code']}:{first['focus_group']}"
    assert len(keys) >= len(coverage.uncovered) + len(coverage.covered)


def test_spend_is_shown_in_the_outcome_order_of_the_act() -> None:
    actions = pd.DataFrame(
        {"action_id": [1, 2], "outcome_code": ["economic_wellbeing", "be_healthy"]}
    )
    spend = pd.DataFrame(
        {
            "action_id": [1, 2, 2],
            "partner": ["Connexions", "Primary Care Trust", "Primary Care Trust"],
            "financial_year": ["2008-09", "2008-09", "2009-10"],
            "amount": [5000.0, 1000.0, 2000.0],
        }
    )
    frame = spend_frame(actions, spend, OUTCOMES)
    assert list(frame["outcome"]) == ["Be healthy", "Achieve economic well-being"]
    assert list(frame["amount"]) == [3000.0, 5000.0]


def test_an_actions_particulars_and_targets_read_as_words() -> None:
    action = {
        "id": 7,
        "lead_partner": "Police",
        "contributing_partners": "Schools;Youth service",
        "status": "on_track",
        "start_date": dt.date(2008, 9, 1),
        "due_date": dt.date(2011, 3, 31),
        "scope": "locality",
        "scope_detail": "North",
    }
    spend = pd.DataFrame({"financial_year": ["2008-09", "2009-10"], "amount": [1000.0, 2500.0]})
    evidence = pd.DataFrame({"action_id": [7], "reason": ["widening"]})
    text = detail_lines(action, pd.DataFrame(), spend, evidence)
    assert "**Contributing:** Schools, Youth service" in text
    assert "**The figures say:** widening" in text
    assert "**Dates:** 01 Sep 2008 to 31 Mar 2011" in text
    assert "**Scope:** a locality (North)" in text
    assert "**Spend:** £3,500 (2008-09 £1,000, 2009-10 £2,500)" in text
    targets = pd.DataFrame(
        [
            {"indicator_code": "ni_73", "group_code": "disadvantaged", "baseline_gap": 20.0,
             "target_gap": 15.0, "baseline_value": None, "target_value": None,
             "baseline_period": "2007/08", "target_period": "2010/11"},
            {"indicator_code": "ni_56", "group_code": "all", "baseline_gap": None,
             "target_gap": None, "baseline_value": 18.2, "target_value": None,
             "baseline_period": "2007/08", "target_period": "2010/11"},
        ]
    )  # fmt: skip
    table = target_table(targets, {"ni_73": "KS2 English and maths"}, "Z1")
    assert list(table["Measure"]) == ["gap", "value"]
    assert list(table["Baseline"]) == ["20.0 (2007/08)", "18.2 (2007/08)"]
    assert list(table["Target"]) == ["15.0 (2010/11)", "not set"]
    assert table.iloc[0]["Turn the curve"] == "/plan?la=Z1&gap=ni_73:disadvantaged"


def test_history_reads_as_who_did_what() -> None:
    history = pd.DataFrame(
        {
            "changed_at": [dt.datetime(2009, 5, 4, 10, 30)],
            "user_name": ["Ann"],
            "table_name": ["action"],
            "change": ["update"],
            "before": [{"status": "on_track"}],
            "after": [{"status": "off_track"}],
        }
    )
    table = history_table(history)
    assert table.iloc[0].to_dict() == {
        "When (UTC)": "04 May 2009 10:30",
        "Who": "Ann",
        "What": "edited the action",
        "Before": "status: on track",
        "After": "status: off track",
    }


def test_a_partner_finds_the_actions_it_leads_or_contributes_to() -> None:
    table = pd.DataFrame(
        {
            "Outcome": ["Be healthy", "Stay safe", "Stay safe"],
            "Lead": ["Primary Care Trust", "Police", "LA children's services"],
            "Contributing": ["Schools", "", "Police, Schools"],
            "Reported status": ["on track", "at risk", "on track"],
            "The figures say": ["off track", "on its path", "no measurable target"],
        }
    )
    filters = action_filters(table)
    assert filters["Partner"] == [
        "LA children's services",
        "Police",
        "Primary Care Trust",
        "Schools",
    ]
    assert filters["Reported status"] == ["on track", "at risk"]
    police = filter_actions(table, {"Partner": ["Police"]})
    assert list(police["Lead"]) == ["Police", "LA children's services"]
    both = filter_actions(table, {"Partner": ["Schools"], "Outcome": ["Stay safe"]})
    assert list(both["Lead"]) == ["LA children's services"]
    assert len(filter_actions(table, {"Partner": [], "Outcome": []})) == 3


def test_a_target_whose_year_has_come_is_judged_not_forecast() -> None:
    from ecm.plan.coverage import turn_the_curve
    from ecm.views.turn_the_curve import curve_summary

    history = pd.DataFrame(
        {
            "period": ["2007/08", "2008/09", "2009/10", "2010/11"],
            "gap": [12.0, 11.0, 10.0, 8.0],
            "lower": [11.0, 10.0, 9.0, 7.0],
            "upper": [13.0, 12.0, 11.0, 9.0],
        }
    )
    target = {
        "indicator_code": "ni_73", "group_code": "disadvantaged", "baseline_period": "2007/08",
        "baseline_gap": 12.0, "target_gap": 9.0, "target_period": "2010/11",
    }  # fmt: skip
    text = curve_summary(turn_the_curve(history, target, pd.DataFrame()), "gap")
    assert "At the target year: **met**." in text
    assert "If nothing changes" not in text
    assert "The gap was **8.0** in 2010/11 (95% interval 7.0 to 9.0)." in text


def test_a_link_to_an_action_or_a_gap_opens_its_panel_first() -> None:
    from ecm.views.plan import PANELS, chosen_action, panel_order

    actions = pd.DataFrame({"action_id": [3, 7]})
    assert chosen_action("7", actions) == 7
    assert chosen_action("8", actions) is None  # not the plan's
    assert chosen_action("x7", actions) is None and chosen_action(None, actions) is None
    assert panel_order(None, None, presenting=False) == [*PANELS, "Plan file"]
    assert panel_order(7, "ni_73:fsm", presenting=False)[0] == "Action"
    by_gap = panel_order(None, "ni_73:fsm", presenting=True)
    assert by_gap[0] == "Turn the curve" and by_gap[1:] == [
        p for p in PANELS if p != "Turn the curve"
    ]
    assert "Plan file" not in by_gap  # not on the meeting-room screen


def test_the_plan_pages_sentences() -> None:
    from ecm.views.markdown import escape_markdown
    from ecm.views.plan import (
        no_plan_words,
        off_track_words,
        plan_caption,
        spend_words,
        uncovered_words,
    )
    from ecm.views.turn_the_curve import curve_measure

    plan = {
        "title": "Bramblecombe CYPP",
        "status": "agreed",
        "start_date": dt.date(2008, 4, 1),
        "end_date": dt.date(2011, 3, 31),
    }
    assert plan_caption(plan, "2009/10") == (
        "Bramblecombe CYPP · agreed · 01 Apr 2008 to 31 Mar 2011 · gaps as of 2009/10"
    )
    assert no_plan_words(plan, "2005/06").startswith(
        "No plan of this authority was in force in 2005/06; its latest is Bramblecombe CYPP "
        "(Apr 2008 to Mar 2011). Start from this area's gaps, or download the empty template"
    )
    # A plan's title comes from a file: it is never read as Markdown.
    assert "Bramblecombe \\*CYPP\\*" in no_plan_words(
        {**plan, "title": "Bramblecombe *CYPP*"}, "2005/06"
    )
    assert no_plan_words(None, "2005/06").startswith(
        "No plan of this authority was in force in 2005/06: the store holds none for it."
    )
    assert uncovered_words(pd.DataFrame({"Gap": [1, 2]})).startswith("**2** gaps are significant")
    off = pd.DataFrame(
        {"Action": ["A", "A", "B"], "Reported status": ["on track", "on track", "at risk"]}
    )
    assert off_track_words(off).startswith("**2** actions are off track by the figures")
    assert off_track_words(off).endswith("**2** of them are reported on track or complete.")
    spend = pd.DataFrame({"financial_year": ["2009-10", "2008-09"]})
    assert spend_words(spend).endswith("all financial years (2008-09 to 2009-10).")
    assert curve_measure("disadvantaged", "%") == ("gap", "Gap (points)")
    assert curve_measure("all", "per 100,000") == ("value", "Value (per 100,000)")
    assert escape_markdown("*Sure Start* [x](y)") == r"\*Sure Start\* \[x\]\(y\)"


def test_partners_with_no_part_are_named_as_written(demo_engine) -> None:
    from ecm.views.plan import idle_partners_words

    coverage = la_plan_coverage(demo_engine, _la(demo_engine))
    idle = coverage.partners_without_actions
    words = idle_partners_words(coverage)
    if idle.empty:
        assert words is None
    else:
        assert words.startswith("**Partners with no part in any action:** ")
    coverage.partners_without_actions = pd.DataFrame({"name": ["*Sure Start*", "Police"]})
    assert idle_partners_words(coverage) == (
        r"**Partners with no part in any action:** \*Sure Start\*, Police."
    )
