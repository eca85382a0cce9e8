"""The fictional demo: deterministic, internally consistent, realistic, and plainly fictional."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ecm.config import DEMO_ENGLAND_CODE
from ecm.demo.build import build_demo
from ecm.demo.parameters import demo_periods, over_years
from ecm.demo.simulate import calibrate
from ecm.store.engine import make_engine
from tests.helpers import new_database_url


def frame(engine, sql: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql_query(text(sql), connection)


@pytest.fixture(scope="module")
def observations(demo_engine) -> pd.DataFrame:
    return frame(
        demo_engine,
        "SELECT indicator_code, level, area_code, group_code, period, value, numerator, "
        "denominator FROM observation",
    )


def test_same_seed_gives_the_same_data_and_rebuilding_replaces_it(tmp_path, demo_engine) -> None:
    url = new_database_url(tmp_path)
    engine = make_engine(url)
    try:
        build_demo(engine, scale="tiny", seed=2008)
        build_demo(engine, scale="tiny", seed=2008)  # replaces, does not add
        query = (
            "SELECT indicator_code, level, area_code, group_code, period, numerator, denominator "
            "FROM observation ORDER BY indicator_code, level, area_code, group_code, period"
        )
        again = frame(engine, query)
        first = frame(demo_engine, query)
        pd.testing.assert_frame_equal(first, again)
        assert frame(engine, "SELECT COUNT(*) AS n FROM import_batch")["n"][0] == 1
        schools = "SELECT name FROM school ORDER BY urn"
        assert (
            frame(engine, schools)["name"].tolist() == frame(demo_engine, schools)["name"].tolist()
        )
    finally:
        engine.dispose()


def test_another_seed_gives_other_data(tmp_path, demo_engine) -> None:
    engine = make_engine(new_database_url(tmp_path))
    try:
        build_demo(engine, scale="tiny", seed=7)
        query = "SELECT SUM(numerator) AS total FROM observation WHERE level = 'school'"
        assert frame(engine, query)["total"][0] != frame(demo_engine, query)["total"][0]
    finally:
        engine.dispose()


def test_ten_years_end_in_2009_10_and_hold_the_first_level_before_2005_06(tmp_path) -> None:
    engine = make_engine(new_database_url(tmp_path))
    try:
        summary = build_demo(engine, scale="tiny", years=10, accounts=False)
        periods = frame(
            engine,
            "SELECT indicator_code, COUNT(DISTINCT period) AS n, MIN(period) AS first, "
            "MAX(period) AS last FROM observation GROUP BY indicator_code",
        ).set_index("indicator_code")
        england = frame(
            engine,
            "SELECT period, value FROM observation WHERE indicator_code = 'ni_73' "
            "AND level = 'england' AND group_code = 'all' ORDER BY period",
        )
    finally:
        engine.dispose()
    assert summary.years == 10
    assert set(periods["n"]) == {10}
    assert periods.loc["ni_73", ["first", "last"]].tolist() == ["2000/01", "2009/10"]
    assert periods.loc["ni_111", ["first", "last"]].tolist() == ["2000-01", "2009-10"]
    assert periods.loc["ni_112", ["first", "last"]].tolist() == ["2001", "2010"]
    # The reference gives 71% for 2005/06; the five years before it are drawn at that level.
    assert england["value"].iloc[:6].tolist() == pytest.approx([71.0] * 6, abs=1.0)


@pytest.mark.parametrize(
    ("period_type", "years", "expected"),
    [
        ("academic_year", 5, ("2005/06", "2006/07", "2007/08", "2008/09", "2009/10")),
        ("financial_year", 5, ("2005-06", "2006-07", "2007-08", "2008-09", "2009-10")),
        ("snapshot_march", 5, ("2006", "2007", "2008", "2009", "2010")),
        ("academic_year", 10, ("2000/01", "2001/02", "2002/03", "2003/04", "2004/05",
                               "2005/06", "2006/07", "2007/08", "2008/09", "2009/10")),
    ],
)  # fmt: skip
def test_demo_periods_end_in_2009_10(period_type, years, expected) -> None:
    assert demo_periods(period_type, years) == expected


def test_the_demo_refuses_other_spans() -> None:
    with pytest.raises(ValueError, match="5 or 10 years, not 7"):
        demo_periods("academic_year", 7)
    assert over_years((44.0, 46.0), 4) == (44.0, 44.0, 44.0, 46.0)
    assert over_years((), 10) == ()


def test_numerators_lie_within_denominators(observations) -> None:
    proportions = observations[
        ~observations["indicator_code"].isin(["ni_112", "ni_111", "ni_70", "cpp_rate", "cla_rate"])
    ]
    assert (proportions["numerator"] <= proportions["denominator"]).all()
    assert (observations["numerator"] >= 0).all()
    assert (observations["denominator"] > 0).all()


def test_groups_add_up_to_all_pupils(observations) -> None:
    keyed = observations.set_index(["indicator_code", "level", "area_code", "period", "group_code"])
    # A school with no pupils in a group publishes no row for it: that group counts zero.
    pivot = keyed["numerator"].unstack("group_code").fillna(0)
    ni73 = pivot.loc["ni_73"]
    assert np.allclose(ni73["disadvantaged"] + ni73["not_disadvantaged"], ni73["all"])
    assert np.allclose(ni73["boys"] + ni73["girls"], ni73["all"])
    assert np.allclose(ni73["sen"] + ni73["no_sen"], ni73["all"])


def test_every_outcome_and_level_has_figures(demo_engine) -> None:
    counts = frame(
        demo_engine,
        "SELECT i.outcome_code, o.level, COUNT(*) AS n FROM observation o "
        "JOIN indicator i ON i.code = o.indicator_code GROUP BY i.outcome_code, o.level",
    )
    outcomes = set(counts["outcome_code"])
    assert outcomes == {
        "be_healthy",
        "stay_safe",
        "enjoy_achieve",
        "positive_contribution",
        "economic_wellbeing",
    }
    for outcome in outcomes:
        levels = set(counts.loc[counts["outcome_code"] == outcome, "level"])
        assert {"la", "region", "england"} <= levels, outcome


def test_national_levels_are_near_the_late_2000s(observations) -> None:
    england = observations[
        (observations["level"] == "england") & (observations["area_code"] == DEMO_ENGLAND_CODE)
    ].set_index(["indicator_code", "group_code", "period"])["value"]
    assert england[("ni_73", "all", "2007/08")] == pytest.approx(73, abs=1.5)
    assert england[("ni_75", "all", "2007/08")] == pytest.approx(48.2, abs=1.5)
    fsm_gap = (
        england[("ni_73", "not_disadvantaged", "2007/08")]
        - england[("ni_73", "disadvantaged", "2007/08")]
    )
    assert 12 < fsm_gap < 30
    assert england[("ni_112", "all", "2008")] == pytest.approx(40.4, rel=0.15)
    assert england[("ni_117", "all", "2007/08")] == pytest.approx(7.8, abs=1.0)


def test_small_schools_have_small_groups_for_suppression_to_act_on(observations) -> None:
    schools = observations[
        (observations["level"] == "school") & (observations["group_code"] == "disadvantaged")
    ]
    assert (schools["denominator"] < 6).sum() > 10


def test_codes_and_names_are_fictional(demo_engine) -> None:
    las = frame(demo_engine, "SELECT code, old_code, fictional FROM local_authority")
    assert las["code"].str.startswith("Z").all() and las["fictional"].astype(bool).all()
    assert (las["old_code"].astype(int) < 200).all()  # real LA numbers run 201-938
    urns = frame(demo_engine, "SELECT urn FROM school")["urn"].astype(int)
    assert (urns > 900000).all()
    regions = frame(demo_engine, "SELECT name FROM region")["name"]
    assert regions.str.endswith("(fictional)").all()


def test_every_la_has_a_plan_with_15_to_30_actions(demo_engine) -> None:
    actions = frame(
        demo_engine,
        "SELECT p.la_code, COUNT(a.id) AS n, COUNT(DISTINCT a.outcome_code) AS outcomes "
        "FROM plan p JOIN action a ON a.plan_id = p.id GROUP BY p.la_code",
    )
    assert len(actions) == 4
    assert actions["n"].between(15, 30).all()
    assert (actions["outcomes"] == 5).all()


def test_plans_leave_gaps_uncovered_and_have_actions_off_track(demo_engine) -> None:
    targets = frame(
        demo_engine,
        "SELECT p.la_code, t.indicator_code, t.group_code, t.baseline_gap, t.target_gap, "
        "a.status FROM action_target t JOIN action a ON a.id = t.action_id "
        "JOIN plan p ON p.id = a.plan_id",
    )
    gap_templates = {
        ("ni_73", "disadvantaged"),
        ("ni_75", "disadvantaged"),
        ("ni_87", "disadvantaged"),
    }
    for la_code, rows in targets.groupby("la_code"):
        assert (rows["group_code"] != "all").any(), la_code  # every plan targets some gap
    statuses = frame(demo_engine, "SELECT status FROM action")["status"]
    assert {"off_track", "at_risk", "on_track"} <= set(statuses)
    gaps = targets.dropna(subset=["baseline_gap"])
    # Targets close a quarter of the baseline gap; gaps are signed so positive = worse off.
    assert np.allclose(gaps["target_gap"], gaps["baseline_gap"] * 0.75, atol=0.011)
    assert (gaps.loc[gaps["indicator_code"] == "ni_73", "baseline_gap"] > 0).all()
    uncovered = {
        la: gap_templates - set(zip(rows["indicator_code"], rows["group_code"], strict=True))
        for la, rows in targets.groupby("la_code")
    }
    assert any(uncovered.values())


def test_no_target_actions_exist(demo_engine) -> None:
    untargeted = frame(
        demo_engine,
        "SELECT COUNT(*) AS n FROM action a WHERE NOT EXISTS "
        "(SELECT 1 FROM action_target t WHERE t.action_id = a.id)",
    )
    assert untargeted["n"][0] > 0


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.floats(-3, 3), min_size=1, max_size=40),
    target=st.floats(0.02, 0.98),
    data=st.data(),
)
def test_calibrate_hits_the_target_mean(offsets, target, data) -> None:
    weights = data.draw(st.lists(st.floats(1, 500), min_size=len(offsets), max_size=len(offsets)))
    o, w = np.array(offsets), np.array(weights)
    c = calibrate(o, w, target)
    achieved = (w / (1 + np.exp(-(c + o)))).sum() / w.sum()
    assert achieved == pytest.approx(target, abs=1e-6)


def test_absence_figures_carry_the_pupils_behind_the_sessions(observations, demo_engine) -> None:
    absence = frame(
        demo_engine,
        "SELECT denominator, pupils FROM observation WHERE indicator_code = 'perctot' "
        "AND level = 'school'",
    )
    assert absence["pupils"].notna().all()
    # About 320 possible sessions per pupil a year.
    assert (absence["denominator"] / absence["pupils"]).round().eq(320).all()
    others = frame(
        demo_engine,
        "SELECT COUNT(*) AS n FROM observation WHERE indicator_code = 'ni_73' "
        "AND pupils IS NOT NULL",
    )
    assert others["n"][0] == 0


def test_demo_schools_reconcile_exactly_with_their_las(demo_engine) -> None:
    from ecm.figures.queries import load_reconciliation

    rec = load_reconciliation(demo_engine)
    ks2 = rec[(rec["indicator_code"] == "ni_73") & (rec["group_code"] == "all")]
    assert len(ks2) == 4 * 5  # four LAs, five years
    assert (ks2["value_difference"].abs() < 1e-6).all()
    assert (ks2["pupils_not_in_school_rows"] == 0).all()


def test_the_demo_stores_the_decisions_a_load_would_take(demo_engine) -> None:
    """The demo decides disclosure control in memory before writing; deciding again over the
    stored tree (what every load does) changes no figure's decision."""
    from ecm.disclosure.decisions import decisions_current, refresh_withholding

    query = text("SELECT id, withheld, withheld_reason FROM observation ORDER BY id")
    assert decisions_current(demo_engine)
    with demo_engine.connect() as connection:
        stored = pd.DataFrame(connection.execute(query).all())
    with demo_engine.connect() as connection:
        withheld = refresh_withholding(connection)
        again = pd.DataFrame(connection.execute(query).all())
        connection.rollback()  # the shared demo store stays as it was
    assert stored["withheld"].isna().sum() == 0
    assert withheld == int(stored["withheld"].astype(bool).sum()) > 0
    pd.testing.assert_frame_equal(stored, again)
