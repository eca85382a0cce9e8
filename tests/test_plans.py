"""Plan coverage and turn the curve: cases built by hand (covered, uncovered, off track by the
evidence though reported on track, on trajectory, no target, spend, partners), forecasts
checked against hand calculations, properties, and the store and command on the tiny demo."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm.figures.plans import choose_plan_in_force, mark_covered
from ecm.plan.coverage import concern_gaps, plan_coverage, turn_the_curve
from ecm.plan.spend import spend_cells, spend_matrix
from ecm.plan.trajectory import (
    Target,
    assess_trajectory,
    forecast_if_nothing_changes,
    measurable_target,
    outlook,
    period_label,
    required_value,
)

Z = 1.959963984540054
PERIOD = "2009/10"
COMPARATOR = {"disadvantaged": "not_disadvantaged", "sen": "no_sen", "fsm": "not_fsm"}
COMPARATOR |= {"boys": "girls"}


def gap_series(indicator: str, group: str, points: list[tuple], trend: str) -> list[dict]:
    """Gap rows as ``place_gaps`` returns them: points are (period, gap, lower, upper)."""
    return [
        {
            "indicator_code": indicator,
            "focus_group": group,
            "comparator_group": COMPARATOR[group],
            "period": period,
            "gap": gap,
            "lower": lower,
            "upper": upper,
            "significant": lower > 0 or upper < 0,
            "suppressed": False,
            "trend": trend,
        }
        for period, gap, lower, upper in points
    ]


def target(action_id: int, indicator: str, group: str, baseline: float, goal: float) -> dict:
    """A target row from 2007/08 to 2010/11 on a gap (focus group) or value (all)."""
    measure = "value" if group == "all" else "gap"
    other = "gap" if measure == "value" else "value"
    return {
        "action_id": action_id,
        "indicator_code": indicator,
        "group_code": group,
        "baseline_period": "2007/08",
        "target_period": "2010/11",
        f"baseline_{measure}": baseline,
        f"target_{measure}": goal,
        f"baseline_{other}": None,
        f"target_{other}": None,
    }


def action(action_id: int, outcome: str, lead: str, contributors: str | None = None) -> dict:
    """An action reported on track."""
    return {
        "action_id": action_id,
        "title": f"Action {action_id}",
        "outcome_code": outcome,
        "status": "on_track",
        "lead_partner": lead,
        "contributing_partners": contributors,
    }


@pytest.fixture
def plan() -> dict:
    """A small plan and an LA's gaps for 2009/10, every case of the issue in one place."""
    gaps = pd.DataFrame(
        # Covered, narrowing along its path: 24 needed by 2009/10, interval 21-31 holds it.
        gap_series("ni_73", "disadvantaged", [("2007/08", 30, 25, 35), ("2008/09", 28, 23, 33),
                                              ("2009/10", 26, 21, 31)], "no significant change")
        # Significant and no action: uncovered.
        + gap_series("ni_75", "sen", [("2009/10", 40, 35, 45)], "no significant change")
        # Covered and on its path (16.7 needed, 15-25), but widening: off track by evidence.
        + gap_series("ni_75", "disadvantaged", [("2007/08", 14, 12, 16), ("2008/09", 17, 15, 19),
                                                ("2009/10", 20, 15, 25)], "widening")
        # Covered, no trend, but behind: 15 needed by 2009/10, interval 22-28.
        + gap_series("ni_79", "fsm", [("2009/10", 25, 22, 28)], "no significant change")
        # Not significant, not widening: no concern although an action targets it.
        + gap_series("ni_93", "boys", [("2009/10", 2, -1, 5)], "no significant change")
        # Significant in the focus group's favour: no concern.
        + gap_series("ni_94", "boys", [("2009/10", -5, -8, -2)], "no significant change")
    )  # fmt: skip
    actions = pd.DataFrame(
        [
            action(1, "enjoy_achieve", "LA children's services", "Police; schools"),
            action(2, "enjoy_achieve", "Schools"),
            action(3, "economic_wellbeing", "Connexions"),
            action(4, "enjoy_achieve", "Schools"),
            action(5, "stay_safe", "LA children's services"),
            action(6, "be_healthy", "Primary Care Trust"),
            action(7, "be_healthy", "Primary Care Trust"),
        ]
    )
    targets = pd.DataFrame(
        [
            target(1, "ni_73", "disadvantaged", 30, 21),
            target(2, "ni_75", "disadvantaged", 18, 16),
            target(3, "ni_79", "fsm", 25, 10),
            target(4, "ni_93", "boys", 3, 1),
            {**target(6, "ni_55", "disadvantaged", 5, 4), "baseline_gap": None},
            target(7, "ni_56", "all", 20, 18),
        ]
    )
    spend = pd.DataFrame(
        [
            (1, "LA children's services", "2008-09", 100.0),
            (1, "LA children's services", "2009-10", 150.0),
            (1, "Schools", "2008-09", 50.0),
            (3, "Connexions", "2008-09", 200.0),
            (7, "Primary Care Trust", "2009-10", 70.0),
        ],
        columns=["action_id", "partner", "financial_year", "amount"],
    )
    partners = pd.DataFrame(
        {
            "name": ["LA children's services", "Primary Care Trust", "Police", "Probation",
                     "Connexions", "Schools"],
            "sector": ["local authority", "health", "police", "criminal justice",
                       "young people", "schools and colleges"],
            "relevant_partner": [True] * 6,
        }
    )  # fmt: skip
    indicators = pd.DataFrame(
        {
            "code": ["ni_73", "ni_75", "ni_79", "ni_93", "ni_94", "ni_55", "ni_56"],
            "title": ["KS2", "KS4", "Level 2", "KS2 English", "KS2 maths", "Obesity R",
                      "Obesity Y6"],
            "polarity": ["higher_is_better"] * 5 + ["lower_is_better"] * 2,
            "outcome_code": ["enjoy_achieve"] * 2 + ["economic_wellbeing"]
            + ["enjoy_achieve"] * 2 + ["be_healthy"] * 2,
            "outcome": ["Enjoy and achieve"] * 2 + ["Achieve economic well-being"]
            + ["Enjoy and achieve"] * 2 + ["Be healthy"] * 2,
        }
    )  # fmt: skip
    # Year 6 obesity: 18.7 needed by 2009/10 on the way from 20 to 18, interval 21-25.
    values = pd.DataFrame(
        [("ni_56", "2008/09", 21.0, 19.0, 23.0), ("ni_56", "2009/10", 23.0, 21.0, 25.0)],
        columns=["indicator_code", "period", "value", "lower", "upper"],
    ).assign(trend="no significant change")
    return {
        "gaps": gaps, "actions": actions, "targets": targets, "spend": spend,
        "partners": partners, "indicators": indicators, "values": values,
    }  # fmt: skip


def coverage_of(plan: dict):  # noqa: ANN201
    return plan_coverage(
        plan["gaps"], plan["actions"], plan["targets"], plan["spend"], plan["partners"],
        PERIOD, indicators=plan["indicators"], values=plan["values"],
    )  # fmt: skip


def pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["indicator_code"], frame["focus_group"], strict=True))


def test_a_targeted_significant_gap_is_covered_with_its_actions(plan) -> None:
    coverage = coverage_of(plan)
    assert pairs(coverage.covered) == {
        ("ni_73", "disadvantaged"), ("ni_75", "disadvantaged"), ("ni_79", "fsm")
    }  # fmt: skip
    row = coverage.covered.set_index("indicator_code").loc["ni_73"]
    assert row["action_ids"] == [1]
    assert row["actions"] == ["Action 1"]
    assert row["statuses"] == ["on_track"]
    assert row["leads"] == ["LA children's services"]
    assert row["spend"] == 300.0
    assert row["title"] == "KS2" and row["outcome_code"] == "enjoy_achieve"
    assert not row["off_track"]
    # Significant and widening first, then significant ones widest first (26 before 25).
    assert list(coverage.covered["indicator_code"]) == ["ni_75", "ni_73", "ni_79"]


def test_a_significant_gap_without_action_is_uncovered(plan) -> None:
    coverage = coverage_of(plan)
    assert pairs(coverage.uncovered) == {("ni_75", "sen")}
    assert coverage.uncovered["gap"].tolist() == [40]
    # Neither a non-significant gap nor one in the focus group's favour is listed at all.
    listed = pairs(coverage.covered) | pairs(coverage.uncovered)
    assert ("ni_93", "boys") not in listed and ("ni_94", "boys") not in listed


def test_actions_reported_on_track_are_off_track_by_the_evidence(plan) -> None:
    coverage = coverage_of(plan)
    off = coverage.off_track.set_index("action_id")
    assert set(off.index) == {2, 3, 7}
    assert (off["status"] == "on_track").all()
    # Widening, although the latest figure is on the path.
    assert off.loc[2, "reason"] == "the gap is widening"
    assert off.loc[2, "on_trajectory"] is True
    assert off.loc[2, "required"] == pytest.approx(18 - 2 * 2 / 3)
    # Behind the path: 25 - 15 * 2/3 = 15 needed in 2009/10, interval 22 to 28.
    assert off.loc[3, "required"] == pytest.approx(15.0)
    assert off.loc[3, "on_trajectory"] is False
    assert off.loc[3, "reason"] == (
        "significantly behind the path to its target: gap 25.0 in 2009/10 "
        "(95% CI 22.0 to 28.0), path 15.0"
    )
    # A value target (lower is better): 18.67 needed, interval 21 to 25.
    assert off.loc[7, "measure"] == "value"
    assert off.loc[7, "required"] == pytest.approx(20 - 2 * 2 / 3)
    assert off.loc[7, "reason"].startswith("significantly behind the path")
    assert coverage.covered.set_index("indicator_code").loc["ni_79", "off_track"]


def test_an_action_on_its_path_is_not_flagged(plan) -> None:
    evidence = coverage_of(plan).evidence.set_index("action_id")
    assert evidence.loc[1, "required"] == pytest.approx(24.0)
    assert evidence.loc[1, "latest"] == 26 and evidence.loc[1, "latest_period"] == "2009/10"
    assert evidence.loc[1, "on_trajectory"] is True
    assert not evidence.loc[1, "off_track"]
    assert evidence.loc[1, "reason"].startswith("on the path to its target")
    # The action on a gap that is no concern is still assessed: 3 - 2 * 2/3 needed, 2 found.
    assert evidence.loc[4, "required"] == pytest.approx(3 - 4 / 3)
    assert not evidence.loc[4, "off_track"]


def test_actions_without_a_measurable_target(plan) -> None:
    no_target = coverage_of(plan).no_target.set_index("action_id")
    assert no_target["reason"].to_dict() == {
        5: "no target",
        6: "target has no baseline or target gap",
    }


def test_spend_matrix_sums_by_outcome_and_partner(plan) -> None:
    matrix = coverage_of(plan).spend_by_outcome_partner.set_index("outcome_code")
    assert list(matrix.index) == ["be_healthy", "enjoy_achieve", "economic_wellbeing"]
    # Partner columns follow the partner list's order.
    assert list(matrix.columns) == [
        "LA children's services", "Primary Care Trust", "Connexions", "Schools", "total"
    ]  # fmt: skip
    assert matrix.loc["enjoy_achieve", "LA children's services"] == 250.0
    assert matrix.loc["enjoy_achieve", "Schools"] == 50.0
    assert matrix.loc["economic_wellbeing", "Connexions"] == 200.0
    assert matrix["total"].to_dict() == {
        "be_healthy": 70.0, "enjoy_achieve": 300.0, "economic_wellbeing": 200.0
    }  # fmt: skip
    assert matrix["total"].sum() == plan["spend"]["amount"].sum()
    one_year = spend_matrix(plan["actions"], plan["spend"], plan["partners"], "2008-09")
    assert one_year["total"].sum() == 350.0
    cells = spend_cells(plan["actions"], plan["spend"])
    assert len(cells) == 4 and cells["amount"].sum() == 570.0


def test_partners_without_actions(plan) -> None:
    # Police contribute (named in lower case after a space); Probation has no part.
    assert coverage_of(plan).partners_without_actions["name"].tolist() == ["Probation"]


def test_coverage_at_a_glance_per_outcome(plan) -> None:
    glance = coverage_of(plan).by_outcome.set_index("outcome_code")
    assert list(glance.index) == ["be_healthy", "stay_safe", "enjoy_achieve",
                                  "economic_wellbeing"]  # fmt: skip
    assert glance.loc["enjoy_achieve", ["covered", "uncovered", "off_track"]].tolist() == [2, 1, 1]
    assert glance.loc["economic_wellbeing", ["covered", "uncovered", "off_track"]].tolist() == [
        1, 0, 1
    ]  # fmt: skip
    assert glance.loc["be_healthy", "off_track_actions"] == 1
    assert glance.loc["be_healthy", "actions"] == 2 and glance.loc["be_healthy", "spend"] == 70.0
    assert glance.loc["enjoy_achieve", "outcome"] == "Enjoy and achieve"


def test_gaps_covered_only_by_finished_actions_are_flagged(plan) -> None:
    actions = plan["actions"].assign(status="on_track", due_date=None)
    actions.loc[actions["action_id"] == 1, "status"] = "complete"  # on ni_73 disadvantaged
    # Action 3 (on ni_79 fsm) was due in March 2010, before the end of 2009/10.
    actions["due_date"] = actions["due_date"].astype(object)
    actions.loc[actions["action_id"] == 3, "due_date"] = pd.Timestamp("2010-03-31").date()
    actions.loc[actions["action_id"] == 2, "due_date"] = pd.Timestamp("2011-03-31").date()
    coverage = coverage_of({**plan, "actions": actions})
    flags = dict(zip(coverage.covered["indicator_code"], coverage.covered["only_completed"],
                     strict=True))  # fmt: skip
    assert flags == {"ni_73": True, "ni_79": True, "ni_75": False}
    glance = coverage.by_outcome.set_index("outcome_code")["covered_only_by_finished"]
    assert glance.to_dict() == {"be_healthy": 0, "stay_safe": 0, "enjoy_achieve": 1,
                                "economic_wellbeing": 1}  # fmt: skip
    # The same plan seen in 2008/09: action 3 is not yet due.
    earlier = plan_coverage(
        plan["gaps"].assign(period=plan["gaps"]["period"].replace({"2009/10": "2008/09",
                                                                   "2008/09": "2007/08"})),
        actions, plan["targets"], plan["spend"], plan["partners"], "2008/09",
        indicators=plan["indicators"],
    )  # fmt: skip
    flags = dict(zip(earlier.covered["indicator_code"], earlier.covered["only_completed"],
                     strict=True))  # fmt: skip
    assert not flags["ni_79"] and flags["ni_73"]


def test_the_plan_in_force_in_a_year() -> None:
    date = pd.Timestamp

    def plan_row(plan_id: int, start: str, end: str, status: str = "agreed") -> dict:
        return {"id": plan_id, "title": f"Plan {plan_id}", "start_date": date(start).date(),
                "end_date": date(end).date(), "status": status}  # fmt: skip

    plans = pd.DataFrame(
        [
            plan_row(1, "2005-04-01", "2008-03-31"),
            plan_row(2, "2008-04-01", "2011-03-31"),
            plan_row(3, "2010-09-01", "2013-08-31", "draft"),  # a draft of the next plan
        ]
    )
    chosen = {
        p: (choose_plan_in_force(plans, p) or {}).get("id")
        for p in ("2004/05", "2005/06", "2007/08", "2008/09", "2010/11", "2011/12", "2013/14")
    }
    # 2007/08 has both the old and the new plan running: the later start wins; in 2010/11 the
    # agreed plan wins over the draft that starts later; a draft alone counts.
    assert chosen == {"2004/05": 1, "2005/06": 1, "2007/08": 2, "2008/09": 2, "2010/11": 2,
                      "2011/12": 3, "2013/14": None}  # fmt: skip
    assert choose_plan_in_force(plans, "2009") == choose_plan_in_force(plans, "2008/09")
    assert choose_plan_in_force(plans.iloc[0:0], "2008/09") is None


def test_without_a_plan_every_concern_gap_is_uncovered(plan) -> None:
    empty = plan["actions"].iloc[0:0]
    coverage = plan_coverage(
        plan["gaps"], empty, plan["targets"].iloc[0:0], plan["spend"].iloc[0:0],
        plan["partners"], PERIOD,
    )  # fmt: skip
    assert coverage.covered.empty and coverage.off_track.empty and coverage.no_target.empty
    assert len(coverage.uncovered) == 4
    assert len(coverage.partners_without_actions) == 6


def test_coverage_is_json_ready(plan) -> None:
    result = coverage_of(plan).as_dict()
    assert {"covered", "uncovered", "off_track", "no_target", "spend_by_outcome_partner",
            "partners_without_actions", "by_outcome", "period"} <= set(result)  # fmt: skip
    again = json.loads(json.dumps(result))
    assert again["covered"][0]["action_ids"] == [2]
    assert again["off_track"][0]["on_trajectory"] is True


def test_a_gap_widening_in_the_focus_groups_favour_is_no_evidence_against() -> None:
    gaps = pd.DataFrame(
        gap_series("ni_73", "boys", [("2008/09", -2, -4, 0), ("2009/10", -6, -8, -4)], "widening")
    )
    targets = pd.DataFrame([target(1, "ni_73", "boys", 2, 0)])
    actions = pd.DataFrame([action(1, "enjoy_achieve", "Schools")])
    empty_spend = pd.DataFrame(columns=["action_id", "partner", "financial_year", "amount"])
    coverage = plan_coverage(
        gaps, actions, targets, empty_spend, pd.DataFrame({"name": []}), PERIOD
    )
    assert coverage.evidence["worsening"].tolist() == [False]
    assert coverage.off_track.empty
    # A gap in the focus group's favour is no concern of the plan, however it moves.
    assert coverage.covered.empty and coverage.uncovered.empty


# --- trajectory and forecast by hand -----------------------------------------------------


def test_required_path_and_period_labels() -> None:
    goal = Target("ni_73", "disadvantaged", "gap", "2007/08", 30.0, "2010/11", 21.0)
    assert required_value(goal, 2007) == 30.0
    assert required_value(goal, 2008) == pytest.approx(27.0)
    assert required_value(goal, 2012) == 21.0  # held at the target afterwards
    assert required_value(goal, 2005) == 30.0
    assert [period_label(2009, s) for s in ("2008/09", "2008-09", "2009")] == [
        "2009/10", "2009-10", "2010"
    ]  # fmt: skip


def test_targets_that_cannot_be_measured() -> None:
    row = target(1, "ni_73", "disadvantaged", 30, 21)
    assert measurable_target(row) == Target(
        "ni_73", "disadvantaged", "gap", "2007/08", 30.0, "2010/11", 21.0
    )
    assert measurable_target({**row, "target_gap": float("nan")}) is None
    assert measurable_target({**row, "target_period": "2006/07"}) is None
    assert measurable_target({**row, "baseline_period": None}) is None
    # A value target needs value figures, not gap figures.
    assert measurable_target({**row, "group_code": "all"}) is None


def test_ahead_of_the_path_and_not_assessable() -> None:
    goal = Target("ni_56", "all", "value", "2007/08", 20.0, "2010/11", 18.0)
    ahead = pd.DataFrame(
        [("2009/10", 15.0, 14.0, 16.0)], columns=["period", "value", "lower", "upper"]
    )
    verdict = assess_trajectory(ahead, goal, lower_better=True)
    assert verdict.on_trajectory is True and verdict.verdict.startswith("significantly ahead")
    untested = ahead.assign(lower=float("nan"), upper=float("nan"))
    assert assess_trajectory(untested, goal, True).on_trajectory is None
    before = ahead.assign(period="2007/08")
    found = assess_trajectory(before, goal, True)
    assert found.on_trajectory is None and found.verdict == "no figure since the baseline (2007/08)"
    # Higher is better: behind when the upper limit falls short of the path.
    rising = Target("ni_53", "all", "value", "2007/08", 40.0, "2010/11", 46.0)
    low = pd.DataFrame([("2009/10", 38.0, 36.0, 40.0)], columns=ahead.columns)
    assert assess_trajectory(low, rising, lower_better=False).on_trajectory is False


def series(values: list[float], se: float, first_year: int = 2005) -> pd.DataFrame:
    """A yearly series with symmetric 95% intervals of standard error ``se``."""
    return pd.DataFrame(
        {
            "period": [period_label(first_year + i, "2000/01") for i in range(len(values))],
            "value": values,
            "lower": [v - Z * se for v in values],
            "upper": [v + Z * se for v in values],
        }
    )


def test_forecast_of_a_straight_line_by_hand() -> None:
    # 10, 12, 14 in 2005-2007 with SE 1: slope 2, no scatter (dispersion 1), x-bar 2006,
    # Sxx = 2. At 2010: 20, variance 1/3 + (2010 - 2006)^2 / 2 + 1 (a new year's own error).
    forecast = forecast_if_nothing_changes(series([10, 12, 14], 1.0), 2010, style="2010/11")
    assert forecast is not None
    assert forecast.points == 3 and forecast.slope == pytest.approx(2.0)
    assert forecast.dispersion == 1.0
    assert forecast.path["period"].tolist() == ["2007/08", "2008/09", "2009/10", "2010/11"]
    assert forecast.path["value"].tolist() == pytest.approx([14, 16, 18, 20])
    half = Z * math.sqrt(1 / 3 + 16 / 2 + 1)
    assert forecast.at_end["lower"] == pytest.approx(20 - half)
    assert forecast.at_end["upper"] == pytest.approx(20 + half)


def test_forecast_allows_for_scatter_beyond_sampling_error() -> None:
    # 10, 13, 14, 17 in 2005-2008 with SE 0.25 (weight 16): slope 11/5 = 2.2, fitted 10.2,
    # 12.4, 14.6, 16.8, weighted residual sum 16 x 0.8 = 12.8 on 2 df: dispersion 6.4.
    forecast = forecast_if_nothing_changes(series([10, 13, 14, 17], 0.25), 2010)
    assert forecast.slope == pytest.approx(2.2)
    assert forecast.dispersion == pytest.approx(6.4)
    end = forecast.at_end
    assert end["value"] == pytest.approx(13.5 + 2.2 * 3.5)
    variance = 6.4 * (1 / 64 + 3.5**2 / 80 + 0.25**2)
    # The dispersion is estimated on 4 - 2 = 2 degrees of freedom: t(0.975, 2) = 4.3027.
    assert end["upper"] - end["value"] == pytest.approx(4.302653 * math.sqrt(variance), rel=1e-6)


def test_forecast_uses_only_the_last_five_years_and_needs_three() -> None:
    # An old outlier six years back is left out: the line is the last five points' (slope 1).
    history = series([90, 1, 2, 3, 4, 5], 1.0, first_year=2003)
    assert forecast_if_nothing_changes(history, 2010).slope == pytest.approx(1.0)
    assert forecast_if_nothing_changes(series([1, 2], 1.0), 2010) is None
    # A missing year leaves a gap on the time axis: 2005 and 2006 at 10 and 12, 2008 at 16.
    gappy = series([10, 12, 14, 16], 1.0).drop(index=2)
    assert forecast_if_nothing_changes(gappy, 2010).slope == pytest.approx(2.0)


def test_turn_the_curve_of_a_gap_by_hand() -> None:
    history = series([10, 12, 14], 1.0).rename(columns={"value": "gap"}).assign(trend="widening")
    goal = target(1, "ni_73", "disadvantaged", 12, 9)  # from 12 in 2007/08 to 9 by 2010/11
    actions = pd.DataFrame(
        [{"action_id": 1, "title": "Every Child a Reader", "status": "on_track",
          "lead_partner": "LA children's services", "spend": 500.0}]
    )  # fmt: skip
    picture = turn_the_curve(history, goal, actions)
    assert picture.measure == "gap" and picture.trend == "widening"
    assert picture.baseline == {"period": "2007/08", "value": 12.0}
    assert picture.target == {"period": "2010/11", "value": 9.0}
    assert picture.required["value"].tolist() == pytest.approx([12, 11, 10, 9])
    assert picture.required["period"].tolist() == ["2007/08", "2008/09", "2009/10", "2010/11"]
    assert picture.forecast.at_end["value"] == pytest.approx(20.0)
    assert picture.forecast.at_end["period"] == "2010/11"
    # The latest figure is the baseline year's: nothing to test against the path yet.
    assert picture.on_trajectory is None
    # 20 +/- 5.99 at 2010/11 is all above the target of 9, but three points are too few to
    # say more than "uncertain".
    assert picture.outlook == "uncertain"
    assert picture.actions["spend"].tolist() == [500.0]


def test_an_outlook_needs_four_points() -> None:
    goal = Target("ni_73", "disadvantaged", "gap", "2007/08", 12.0, "2011/12", 9.0)
    three = forecast_if_nothing_changes(series([10, 12, 14], 1.0), 2011)
    four = forecast_if_nothing_changes(series([8, 10, 12, 14], 1.0), 2011)
    # Both bands lie wholly above the target of 9 at 2011/12.
    assert three.at_end["lower"] > 9 and four.at_end["lower"] > 9
    assert outlook(three, goal, lower_better=True) == "uncertain"
    assert outlook(four, goal, lower_better=True) == "likely missed"


def test_once_the_target_period_is_reached_its_own_figure_is_judged() -> None:
    goal = Target("ni_73", "disadvantaged", "gap", "2007/08", 12.0, "2009/10", 9.0)

    def judged(value: float, half: float, later: bool = False) -> str:
        rows = [("2008/09", 11.0, 10.0, 12.0), ("2009/10", value, value - half, value + half)]
        rows += [("2010/11", 20.0, 19.0, 21.0)] if later else []
        history = pd.DataFrame(rows, columns=["period", "value", "lower", "upper"])
        return outlook(None, goal, True, history)

    assert judged(9.0, 1.0) == "met"  # at the target
    assert judged(8.0, 3.0) == "met"  # better, whatever the interval
    assert judged(10.0, 2.0) == "missed, not significantly"  # 8 to 12 holds 9
    assert judged(11.0, 1.5) == "missed, significantly"  # 9.5 to 12.5: wholly worse
    assert judged(9.0, 1.0, later=True) == "met"  # a later year does not change the verdict
    assert judged(float("nan"), 1.0, later=True) == "not assessed: no figure shown for 2009/10"
    # Higher is better for this value: 50 wanted, 47 (45 to 49) found.
    rising = Target("ni_53", "all", "value", "2007/08", 40.0, "2009/10", 50.0)
    found = pd.DataFrame([("2010", 47.0, 45.0, 49.0)], columns=["period", "value", "lower",
                                                                "upper"])  # fmt: skip
    assert outlook(None, rising, False, found) == "missed, significantly"
    # In the picture too: the latest figure is the target period's.
    history = series([12, 11, 10], 0.5, first_year=2007).rename(columns={"value": "gap"})
    picture = turn_the_curve(history, target(1, "ni_73", "disadvantaged", 12, 10.5) | {
        "target_period": "2009/10"}, pd.DataFrame())  # fmt: skip
    assert picture.outlook == "met"


def test_withheld_figures_stay_in_the_history_and_the_latest_shown_is_tested() -> None:
    history = series([12, 11, 10, 9], 0.5, first_year=2007).rename(columns={"value": "gap"})
    history["suppressed"] = [False, False, False, True]
    history.loc[3, ["gap", "lower", "upper"]] = float("nan")
    goal = target(1, "ni_73", "disadvantaged", 12, 6)  # 12 in 2007/08 to 6 by 2010/11
    picture = turn_the_curve(history.assign(trend="narrowing"), goal, pd.DataFrame())
    assert picture.history["period"].tolist() == ["2007/08", "2008/09", "2009/10", "2010/11"]
    assert picture.history["withheld"].tolist() == [False, False, False, True]
    assert math.isnan(picture.history["value"].iloc[-1])
    # The path is tested on 2009/10 (10, 9.0 to 11.0; 8 needed): behind, and it says why.
    assert picture.trajectory.latest_period == "2009/10"
    assert picture.trajectory.on_trajectory is False
    assert picture.trajectory.verdict.endswith("; the 2010/11 gap is withheld")
    # The target year has come and its figure is withheld: not judged, nor forecast.
    assert picture.outlook == "not assessed: no figure shown for 2010/11"


def test_the_trend_of_a_gap_whose_latest_year_is_withheld_is_in_words() -> None:
    # The gap loader leaves the bare direction when the latest gap is withheld: it is read
    # against the last gap shown (5, focus group worse off: increasing is widening).
    gaps = pd.DataFrame(
        gap_series("ni_73", "disadvantaged", [("2007/08", 3, 2, 4), ("2008/09", 5, 4, 6),
                                              ("2009/10", 0, 0, 0)], "increasing")
    )  # fmt: skip
    gaps.loc[2, ["gap", "lower", "upper", "suppressed"]] = [None, None, None, True]
    actions = pd.DataFrame([action(1, "enjoy_achieve", "Schools")])
    targets = pd.DataFrame([target(1, "ni_73", "disadvantaged", 3, 1)])
    spend = pd.DataFrame(columns=["action_id", "partner", "financial_year", "amount"])
    coverage = plan_coverage(gaps, actions, targets, spend, pd.DataFrame({"name": []}), PERIOD)
    row = coverage.evidence.iloc[0]
    assert row["trend"] == "widening" and row["worsening"] and row["off_track"]
    assert row["reason"].startswith("the gap is widening")
    assert row["reason"].endswith("the 2009/10 gap is withheld")
    picture = turn_the_curve(gaps, targets.iloc[0].to_dict(), pd.DataFrame())
    assert picture.trend == "widening"


def test_no_figure_shown_since_the_baseline_is_never_off_track() -> None:
    # Year 6 obesity getting worse, but every figure is from the baseline year or before.
    values = pd.DataFrame(
        [("ni_56", "2006/07", 19.0, 18.0, 20.0), ("ni_56", "2007/08", 20.0, 19.0, 21.0),
         ("ni_56", "2008/09", None, None, None)],
        columns=["indicator_code", "period", "value", "lower", "upper"],
    ).assign(trend="getting worse")  # fmt: skip
    actions = pd.DataFrame([action(1, "be_healthy", "Primary Care Trust")])
    targets = pd.DataFrame([target(1, "ni_56", "all", 20, 18)])
    spend = pd.DataFrame(columns=["action_id", "partner", "financial_year", "amount"])
    no_gaps = pd.DataFrame(
        gap_series("ni_73", "sen", [], "no significant change"),
        columns=list(gap_series("ni_73", "sen", [("x", 0, 0, 0)], "")[0]),
    )
    coverage = plan_coverage(
        no_gaps, actions, targets, spend, pd.DataFrame({"name": []}), PERIOD, values=values
    )  # fmt: skip
    row = coverage.evidence.iloc[0]
    assert not row["worsening"] and not row["off_track"] and row["on_trajectory"] is None
    assert row["reason"] == "no figure since the baseline (2007/08); the 2008/09 value is withheld"
    assert coverage.off_track.empty


def test_path_target_and_forecast_are_written_in_the_historys_period_style() -> None:
    # Calendar-year figures ("2008" is 2007/08) and a target written as academic years.
    history = series([10, 12, 14], 1.0)
    history["period"] = ["2006", "2007", "2008"]
    goal = target(1, "ni_73", "disadvantaged", 12, 9)  # 2007/08 -> 2010/11
    picture = turn_the_curve(history, goal, pd.DataFrame())
    assert picture.baseline["period"] == "2008" and picture.target["period"] == "2011"
    assert picture.required["period"].tolist() == ["2008", "2009", "2010", "2011"]
    assert picture.forecast.path["period"].iloc[-1] == "2011"


def test_turn_the_curve_without_a_target_runs_two_years_on() -> None:
    picture = turn_the_curve(
        series([10, 12, 14], 1.0), {"indicator_code": "ni_56", "group_code": "all"}, pd.DataFrame()
    )
    assert picture.target is None and picture.required.empty and picture.trajectory is None
    assert picture.forecast.at_end["period"] == "2009/10"
    assert picture.outlook == "not assessed"


# --- properties ----------------------------------------------------------------------------

gap_records = st.lists(
    st.fixed_dictionaries(
        {
            "indicator_code": st.sampled_from(["ni_73", "ni_75", "ni_79"]),
            "focus_group": st.sampled_from(["disadvantaged", "sen", "boys"]),
            "period": st.sampled_from(["2008/09", "2009/10", "2009-10", "2010"]),
            "gap": st.one_of(st.none(), st.floats(-30, 30)),
            "half": st.floats(0.1, 20),
            "trend": st.sampled_from(["widening", "narrowing", "no significant change"]),
        }
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
    records=gap_records,
    targeted=st.sets(
        st.tuples(st.sampled_from(["ni_73", "ni_75"]), st.sampled_from(["disadvantaged", "sen"]))
    ),
)
def test_every_concern_gap_is_either_covered_or_uncovered(records, targeted) -> None:
    gaps = pd.DataFrame(records, columns=["indicator_code", "focus_group", "period", "gap",
                                          "half", "trend"]).astype({"gap": float})  # fmt: skip
    gaps = gaps.assign(
        comparator_group="x", lower=gaps["gap"] - gaps["half"], upper=gaps["gap"] + gaps["half"]
    )
    gaps["significant"] = (gaps["lower"] > 0) | (gaps["upper"] < 0)
    targets = pd.DataFrame(
        [target(k, i, g, 5, 1) for k, (i, g) in enumerate(sorted(targeted))],
        columns=list(target(0, "ni_73", "sen", 5, 1)),
    )
    actions = pd.DataFrame([action(k, "enjoy_achieve", "Schools") for k in range(len(targets))],
                           columns=list(action(0, "x", "y")))  # fmt: skip
    spend = pd.DataFrame(columns=["action_id", "partner", "financial_year", "amount"])
    coverage = plan_coverage(gaps, actions, targets, spend, pd.DataFrame({"name": []}), PERIOD)
    concern = concern_gaps(gaps, PERIOD)
    # Same year in every style, never withheld, worse off and significant or widening.
    assert set(concern["period"]) <= {"2009/10", "2009-10", "2010"}
    assert (concern["gap"] > 0).all()
    assert (concern["significant"] | (concern["trend"] == "widening")).all()
    assert len(coverage.covered) + len(coverage.uncovered) == len(concern)
    assert pairs(coverage.covered) <= targeted
    assert not (pairs(coverage.uncovered) & targeted)
    assert int(mark_covered(concern, targets).sum()) == len(coverage.covered)
    assert coverage.by_outcome["covered"].sum() == len(coverage.covered)
    assert coverage.by_outcome["uncovered"].sum() == len(coverage.uncovered)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.sampled_from(["Police", "Schools", "Connexions"]),
                  st.sampled_from(["2008-09", "2009-10"]), st.integers(0, 10**6)),
        max_size=20,
        unique_by=lambda r: r[:3],
    )
)  # fmt: skip
def test_the_spend_matrix_holds_every_pound_once(rows) -> None:
    spend = pd.DataFrame(rows, columns=["action_id", "partner", "financial_year", "amount"])
    spend["amount"] = spend["amount"].astype(float)
    actions = pd.DataFrame(
        {"action_id": [1, 2, 3, 4],
         "outcome_code": ["be_healthy", "stay_safe", "be_healthy", "economic_wellbeing"]}
    )  # fmt: skip
    matrix = spend_matrix(actions, spend)
    assert matrix["total"].sum() == pytest.approx(spend["amount"].sum())
    partners = matrix.drop(columns=["outcome_code", "total"])
    assert partners.sum(axis=1).tolist() == pytest.approx(matrix["total"].tolist())


# --- the store and the command on the tiny demo ----------------------------------------------


@pytest.fixture(scope="module")
def la(demo_engine) -> dict:
    from ecm.figures import queries

    return queries.load_local_authorities(demo_engine).iloc[0].to_dict()


def test_store_coverage_agrees_with_the_gap_league(demo_engine, la) -> None:
    from ecm.places.overview import area_overview
    from ecm.plan.loaders import la_plan_coverage

    overview = area_overview(demo_engine, la["code"])
    coverage = la_plan_coverage(demo_engine, la["code"])
    assert coverage.period == overview.profile["period"]
    league = overview.league
    # The plan answers every gap of the league, its untested tier (widening by direction of
    # travel only, no interval) too, so the area page and the Plan page count alike.
    assert (league["trend"] == "widening (untested)").any()
    listed = dict(zip(zip(league["indicator"], league["focus_group"], strict=True),
                      league["covered"], strict=True))  # fmt: skip
    assert pairs(coverage.covered) == {pair for pair, covered in listed.items() if covered}
    assert pairs(coverage.uncovered) == {pair for pair, covered in listed.items() if not covered}
    assert len(coverage.uncovered) > 0  # the demo leaves some gap-targeting actions out
    # The LA's three-digit number gives the same answer.
    again = la_plan_coverage(demo_engine, la["old_code"])
    assert pairs(again.covered) == pairs(coverage.covered)


def test_store_loaders_read_the_latest_plan(demo_engine, la) -> None:
    from ecm.figures.plans import load_plan
    from ecm.plan.loaders import (
        ACTION_COLUMNS,
        load_action_schools,
        load_actions,
        load_partners,
        load_spend,
        load_targets,
    )

    plan = load_plan(demo_engine, la["old_code"])
    assert plan["la_code"] == la["code"] and plan["period_label"] == "2008-2011"
    assert [p["outcome_code"] for p in plan["priorities"]] == [
        "be_healthy", "stay_safe", "enjoy_achieve", "positive_contribution", "economic_wellbeing"
    ]  # fmt: skip
    actions = load_actions(demo_engine, la["code"])
    assert list(actions.columns) == ACTION_COLUMNS
    assert 15 <= len(actions) <= 30 and (actions["plan_id"] == plan["id"]).all()
    assert actions["priority"].notna().all()
    targets = load_targets(demo_engine, la["code"])
    assert set(targets["action_id"]) <= set(actions["action_id"])
    spend = load_spend(demo_engine, la["code"])
    assert spend["amount"].dtype == float and (spend["amount"] > 0).all()
    schools = load_action_schools(demo_engine, la["code"])
    assert schools["name"].notna().all()
    assert set(schools["action_id"]) <= set(actions.loc[actions["scope"] == "schools", "action_id"])
    partners = load_partners()
    assert "Connexions" in set(partners["name"]) and partners["relevant_partner"].dtype == bool


def test_store_turn_the_curve_of_a_targeted_gap(demo_engine, la) -> None:
    from ecm.places.profile import place_gaps
    from ecm.plan.loaders import gap_turn_the_curve, la_plan_coverage, load_targets

    coverage = la_plan_coverage(demo_engine, la["code"])
    gap = coverage.covered.iloc[0]
    picture = gap_turn_the_curve(demo_engine, la["code"], gap["indicator_code"], gap["focus_group"])
    targets = load_targets(demo_engine, la["code"])
    mine = targets[(targets["indicator_code"] == gap["indicator_code"])
                   & (targets["group_code"] == gap["focus_group"])].iloc[0]  # fmt: skip
    assert picture.baseline == {"period": mine["baseline_period"], "value": mine["baseline_gap"]}
    assert picture.required["value"].iloc[0] == pytest.approx(mine["baseline_gap"])
    assert picture.required["value"].iloc[-1] == pytest.approx(mine["target_gap"])
    history = place_gaps(demo_engine, "la", la["code"])
    history = history[(history["indicator_code"] == gap["indicator_code"])
                      & (history["focus_group"] == gap["focus_group"])]  # fmt: skip
    assert picture.history["value"].tolist() == pytest.approx(history["gap"].tolist(), nan_ok=True)
    assert set(picture.actions["action_id"]) == set(gap["action_ids"])
    assert picture.forecast is not None and picture.forecast.path["period"].iloc[-1] == "2010/11"


def test_the_coverage_command_prints_json_with_its_keys(
    use_demo_database, demo_engine, la, capsys
) -> None:
    from ecm.cli.main import main
    from ecm.plan.loaders import la_plan_coverage

    assert main(["plan", "coverage", "--la", la["old_code"], "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"covered", "uncovered", "off_track", "no_target", "spend_by_outcome_partner"} <= set(
        result
    )
    assert result["la"]["code"] == la["code"]
    # The actions off track are those the evidence puts off track, each with its reason.
    evidence = la_plan_coverage(demo_engine, la["code"]).evidence
    listed = sorted(row["action_id"] for row in result["off_track"])
    assert listed and listed == sorted(evidence.loc[evidence["off_track"], "action_id"])
    assert all(
        row["reason"].startswith(("the gap is widening", "the value is getting worse",
                                  "significantly behind the path"))
        for row in result["off_track"]
    )  # fmt: skip
    assert main(["plan", "coverage", "--la", la["code"]]) == 0
    table = capsys.readouterr().out
    assert "Significant or widening gaps with no action" in table
    assert main(["plan", "coverage", "--la", "999"]) == 2
    assert main(["plan", "coverage", "--la", la["code"], "--period", "2009"]) == 2


def test_a_plan_covers_only_the_years_it_is_in_force(demo_engine, la) -> None:
    from ecm.figures.plans import load_plan
    from ecm.plan.loaders import la_plan_coverage

    code = la["code"]
    plan = load_plan(demo_engine, code)
    assert load_plan(demo_engine, code, "2009/10")["id"] == plan["id"]
    assert load_plan(demo_engine, code, "2007/08")["id"] == plan["id"]  # it began in April 2008
    assert load_plan(demo_engine, code, "2005/06") is None
    before = la_plan_coverage(demo_engine, code, "2005/06")
    assert before.covered.empty and not before.uncovered.empty
    assert before.evidence.empty and before.no_target.empty
    assert before.plan is None and not before.plan_in_force
    assert la_plan_coverage(demo_engine, code, "2009/10").plan["id"] == plan["id"]


def test_an_agreed_plan_is_in_force_before_a_later_draft(engine) -> None:
    import datetime as dt

    from sqlalchemy.orm import Session

    from ecm.demo.build import build_demo
    from ecm.figures.plans import load_plan, plan_in_force
    from ecm.plan.loaders import la_plan_coverage
    from ecm.store.models import Plan

    build_demo(engine, scale="tiny", seed=7)
    from ecm.figures import queries

    code = queries.load_local_authorities(engine).iloc[0]["code"]
    agreed = load_plan(engine, code)
    with Session(engine) as session, session.begin():
        draft = Plan(la_code=code, title="Draft plan 2009-2012", period_label="2009-2012",
                     start_date=dt.date(2009, 9, 1), end_date=dt.date(2012, 8, 31),
                     status="draft")  # fmt: skip
        session.add(draft)
        session.flush()
        draft_id = draft.id
    assert load_plan(engine, code)["id"] == draft_id  # the latest, with no year given
    assert plan_in_force(engine, code, "2009/10")["id"] == agreed["id"]
    assert plan_in_force(engine, code, "2011/12")["id"] == draft_id
    assert la_plan_coverage(engine, code, "2009/10").plan["id"] == agreed["id"]
    assert len(la_plan_coverage(engine, code, "2009/10").covered) > 0
    # The draft has no actions yet: in 2011/12 nothing is covered.
    later = la_plan_coverage(engine, code, "2011/12")
    assert later.plan["id"] == draft_id and later.covered.empty


def test_the_coverage_command_says_no_plan_was_in_force(use_demo_database, la, capsys) -> None:
    from ecm.cli.main import main

    assert main(["plan", "coverage", "--la", la["code"], "--period", "2005/06",
                 "--format", "json"]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["la"]["plan"] is None and result["period"] == "2005/06"
    assert result["covered"] == [] and result["uncovered"] and result["no_target"] == []
    assert main(["plan", "coverage", "--la", la["code"], "--period", "2005/06"]) == 0
    assert "2005/06: no plan in force" in capsys.readouterr().out


def test_the_turn_the_curve_stops_at_the_year_asked(demo_engine, la) -> None:
    from ecm.plan.loaders import gap_turn_the_curve, la_plan_coverage

    coverage = la_plan_coverage(demo_engine, la["code"], "2009/10")
    gap = coverage.covered.iloc[0]
    args = (demo_engine, la["code"], gap["indicator_code"], gap["focus_group"])
    latest, earlier = gap_turn_the_curve(*args), gap_turn_the_curve(*args, "2008/09")
    assert latest.history["period"].iloc[-1] == "2009/10"
    assert earlier.history["period"].iloc[-1] == "2008/09"
    assert earlier.history["value"].tolist() == pytest.approx(
        latest.history["value"].iloc[:-1].tolist(), nan_ok=True
    )
    assert earlier.forecast.path["period"].iloc[0] == "2008/09"
    assert earlier.trajectory.latest_period == "2008/09"
    # The evidence for 2009/10 agrees with the curve for 2009/10.
    row = coverage.evidence[coverage.evidence["action_id"] == gap["action_ids"][0]].iloc[0]
    mine = gap_turn_the_curve(*args, "2009/10")
    assert mine.trajectory.verdict == row["reason"] or mine.trajectory.verdict in row["reason"]
    # Before any plan was in force there is no target to draw.
    assert gap_turn_the_curve(*args, "2005/06").target is None


def test_action_statuses_come_from_one_list() -> None:
    import re

    from ecm.demo.plans import STATUS_SHARES
    from ecm.figures.plans import OFF_TRACK_STATUSES
    from ecm.plan.coverage import COMPLETE
    from ecm.store.models import ACTION_STATUS_WORDS, ACTION_STATUSES, Action

    assert ACTION_STATUSES == ("not_started", "on_track", "at_risk", "off_track", "complete")
    assert all(ACTION_STATUS_WORDS[s] == s.replace("_", " ") for s in ACTION_STATUSES)
    check = next(c for c in Action.__table__.constraints if c.name == "ck_action_status")
    assert re.findall(r"'(\w+)'", str(check.sqltext)) == list(ACTION_STATUSES)
    assert set(STATUS_SHARES) == set(ACTION_STATUSES)
    assert math.isclose(sum(STATUS_SHARES.values()), 1.0)
    assert set(OFF_TRACK_STATUSES) <= set(ACTION_STATUSES) and COMPLETE in ACTION_STATUSES


def test_a_trajectory_verdict_writes_figures_at_their_published_precision() -> None:
    # Small figures read with the indicator's own decimals, not two because they are under 10:
    # one for a percentage gap, two for the permanent exclusion rate (ni_114).
    history = pd.DataFrame(
        {"period": ["2008/09"], "value": [6.3], "lower": [5.5], "upper": [7.0]}
    )  # fmt: skip
    gap = Target("ni_73", "fsm", "gap", "2007/08", 8.0, "2010/11", 2.0)
    verdict = assess_trajectory(history, gap, True).verdict
    assert verdict.endswith("gap 6.3 in 2008/09 (95% CI 5.5 to 7.0), path 6.0"), verdict
    rate = Target("ni_114", "all", "value", "2007/08", 0.12, "2010/11", 0.06)
    small = pd.DataFrame({"period": ["2008/09"], "value": [0.125], "lower": [0.1], "upper": [0.15]})
    assert assess_trajectory(small, rate, True).verdict.endswith(
        "value 0.12 in 2008/09 (95% CI 0.10 to 0.15), path 0.10"
    )
