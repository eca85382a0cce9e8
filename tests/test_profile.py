"""``python -m ecm profile`` on the demo data: a school, an LA and a region, checked against
the store and against the statistics functions."""

from __future__ import annotations

import csv as csv_module
import io
import json

import pandas as pd
import pytest
from sqlalchemy import text

from ecm.periods import period_aliases
from ecm.places.profile import build_profile
from ecm.stats.intervals import proportion_ci, proportion_difference_ci
from tests.helpers import drop_database, new_database_url, run


def first(engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).mappings().first()


@pytest.fixture(scope="module")
def big_school(demo_engine) -> str:
    """A primary school with at least 20 disadvantaged pupils in Year 6 in 2009/10."""
    row = first(
        demo_engine,
        "SELECT area_code FROM observation WHERE level = 'school' AND indicator_code = 'ni_73' "
        "AND group_code = 'disadvantaged' AND period = '2009/10' AND denominator >= 20 "
        "ORDER BY area_code LIMIT 1",
    )
    return row["area_code"]


def test_school_profile_json_matches_the_store_and_the_methods(
    demo_database_url, demo_engine, big_school
) -> None:
    result = run("profile", "--school", big_school, "--format", "json", url=demo_database_url)
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout)
    assert profile["geography"]["level"] == "school" and profile["geography"]["code"] == big_school
    assert profile["geography"]["la"]["code"].startswith("Z10")
    assert profile["period"] == "2009/10"
    figures = {(o["indicator"], o["group"]): o for o in profile["observations"]}
    ks2 = figures[("ni_73", "all")]
    stored = first(
        demo_engine,
        "SELECT numerator, denominator FROM observation WHERE level = 'school' "
        "AND area_code = :urn AND indicator_code = 'ni_73' AND group_code = 'all' "
        "AND period = '2009/10'",
        urn=big_school,
    )
    value, lower, upper = proportion_ci(stored["numerator"], stored["denominator"], multiplier=100)
    assert ks2["value"] == pytest.approx(value, abs=1e-4)
    assert (ks2["lower"], ks2["upper"]) == (
        pytest.approx(lower, abs=1e-4),
        pytest.approx(upper, abs=1e-4),
    )
    assert set(ks2["benchmarks"]) == {"england", "region", "la", "similar_schools"}
    assert ks2["benchmarks"]["england"] in {"better", "similar", "worse"}
    assert ks2["trend"] in {
        "getting better",
        "getting worse",
        "no significant change",
        "not enough data",
    }

    gaps = {(g["indicator"], g["focus_group"], g["kind"]): g for g in profile["gaps"]}
    within = gaps[("ni_73", "disadvantaged", "within")]
    dis, other = figures[("ni_73", "disadvantaged")], figures[("ni_73", "not_disadvantaged")]
    expected = proportion_difference_ci(
        other["numerator"],
        other["denominator"],
        dis["numerator"],
        dis["denominator"],
        multiplier=100,
    )
    assert within["gap"] == pytest.approx(expected.value, abs=1e-4)
    assert within["lower"] == pytest.approx(expected.lower, abs=1e-4)
    assert within["significant"] == (expected.lower > 0 or expected.upper < 0)
    assert {"within", "vs_la", "vs_national"} == {
        k for (i, f, k) in gaps if i == "ni_73" and f == "disadvantaged"
    }


def test_small_groups_are_withheld_in_the_profile(demo_engine) -> None:
    row = first(
        demo_engine,
        "SELECT area_code FROM observation WHERE level = 'school' AND indicator_code = 'ni_73' "
        "AND group_code = 'disadvantaged' AND period = '2009/10' AND denominator < 6 LIMIT 1",
    )
    profile = build_profile(demo_engine, "school", row["area_code"], "2009/10")
    figures = {(o["indicator"], o["group"]): o for o in profile["observations"]}
    small = figures[("ni_73", "disadvantaged")]
    assert small["suppressed"] and small["marker"] == "c" and small["value"] is None
    assert figures[("ni_73", "not_disadvantaged")]["suppressed"]  # its complement
    gap = [
        g
        for g in profile["gaps"]
        if (g["indicator"], g["focus_group"], g["kind"]) == ("ni_73", "disadvantaged", "within")
    ]
    assert gap and gap[0]["suppressed"] and gap[0]["gap"] is None


def test_la_profile_by_number_with_neighbours_and_actions(demo_database_url, demo_engine) -> None:
    result = run(
        "profile", "--la", "001", "--period", "2008/09", "--format", "json", url=demo_database_url
    )
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout)
    assert profile["geography"]["code"] == "Z10000001" and profile["period"] == "2008/09"
    periods = {o["period"] for o in profile["observations"]}
    assert periods <= period_aliases("2008/09") and "2008/09" in periods
    ks2 = next(
        o for o in profile["observations"] if (o["indicator"], o["group"]) == ("ni_73", "all")
    )
    assert "statistical_neighbours" in ks2["benchmarks"]
    assert any(g["actions"] for g in profile["gaps"]) or all(
        not g["significant"] for g in profile["gaps"]
    )


def test_region_profile_as_csv_and_table(demo_database_url) -> None:
    csv = run("profile", "--region", "Z12000001", "--format", "csv", url=demo_database_url)
    assert csv.returncode == 0, csv.stderr
    header = csv.stdout.splitlines()[0]
    assert header.startswith(
        "indicator,title,unit,polarity,outcome,group,period,value,numerator,denominator,pupils,"
        "lower,upper"
    )
    table = run("profile", "--region", "Z12000001", url=demo_database_url)
    assert table.returncode == 0 and "Gaps (positive: the focus group is worse off)" in table.stdout


def test_each_profile_table_is_its_own_csv_under_its_own_headings(
    demo_database_url, tmp_path
) -> None:
    as_csv = ("profile", "--la", "001", "--format", "csv")
    figures = run(*as_csv, url=demo_database_url)
    gaps = run(*as_csv, "--table", "gaps", url=demo_database_url)
    assert figures.returncode == 0 and gaps.returncode == 0, figures.stderr + gaps.stderr
    figure_rows = list(csv_module.reader(io.StringIO(figures.stdout)))
    gap_rows = list(csv_module.reader(io.StringIO(gaps.stdout)))
    assert figure_rows[0][:3] == ["indicator", "title", "unit"]
    assert gap_rows[0][:4] == ["indicator", "focus_group", "comparator_group", "kind"]
    # Every row has exactly its own table's columns: no second table under the first's headings.
    assert {len(r) for r in figure_rows} == {len(figure_rows[0])}
    assert {len(r) for r in gap_rows} == {len(gap_rows[0])}
    assert "focus_group" not in figure_rows[0] and not any(r == [] for r in figure_rows)
    # Figures at their published precision: one decimal (two for permanent exclusions).
    header = figure_rows[0]
    for row in figure_rows[1:]:
        record = dict(zip(header, row, strict=True))
        places = 2 if record["indicator"] == "ni_114" else 1
        for column in ("value", "lower", "upper"):
            if record[column]:
                assert len(record[column].split(".")[1]) <= places, (column, record)
    # --output DIR writes one file per table, the same as standard output gives.
    done = run(
        "profile", "--la", "001", "--format", "csv", "--output", str(tmp_path / "out"),
        url=demo_database_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["figures.csv", "gaps.csv"]
    assert (tmp_path / "out" / "gaps.csv").read_text() == gaps.stdout
    assert (tmp_path / "out" / "figures.csv").read_text() == figures.stdout
    wrong = run("profile", "--la", "001", "--table", "gaps", url=demo_database_url)
    assert wrong.returncode == 2 and "go with --format csv" in wrong.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--school", "123"], "no school with URN '123'"),
        (["--la", "999"], "no local authority with code or number '999'"),
        (["--region", "E12000001"], "no region with code 'E12000001'"),
        (["--la", "001", "--period", "2008-09"], "write an academic year like 2008/09"),
    ],
)
def test_unknown_places_and_bad_periods_fail_clearly(demo_database_url, args, message) -> None:
    result = run("profile", *args, url=demo_database_url)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_period_aliases() -> None:
    assert period_aliases("2008/09") == {"2008/09", "2008-09", "2009", "200809"}
    assert pd.Series(["2008/09"]).isin(period_aliases("2008/09")).all()


def test_ranks_bands_strict_benchmarks_and_red_red_are_reported(demo_engine) -> None:
    profile = build_profile(demo_engine, "la", "Z10000001", "2009/10")
    ks2 = next(
        o for o in profile["observations"] if (o["indicator"], o["group"]) == ("ni_73", "all")
    )
    assert ks2["rank"]["of"] == 4 and 1 <= ks2["rank"]["rank"] <= 4
    assert ks2["rank"]["band"] in {"A", "B", "C", "D"}
    assert set(ks2["benchmarks_998"]) == set(ks2["benchmarks"])
    # 99.8% is stricter: nothing significant there is "similar" at 95%.
    for o in profile["observations"]:
        for name, word in o["benchmarks_998"].items():
            if word in {"better", "worse"}:
                assert o["benchmarks"][name] == word
        assert o["red_red"] == (
            o["benchmarks"].get("england") == "worse" and o["trend"] == "getting worse"
        )
    school = build_profile(demo_engine, "school", "900003")
    bands = {o["rank"]["band"] for o in school["observations"] if o["rank"]}
    assert bands <= {"A", "B", "C", "D"} and bands


def test_a_school_sees_only_the_plan_actions_that_reach_it(demo_engine) -> None:
    from ecm.figures.queries import load_plan_targets

    with demo_engine.connect() as connection:
        action_id, listed = connection.execute(
            text(
                "SELECT a.id, s.urn FROM action a JOIN action_school s ON s.action_id = a.id "
                "JOIN action_target t ON t.action_id = a.id ORDER BY a.id LIMIT 1"
            )
        ).first()
        la_code, phase = connection.execute(
            text("SELECT la_code, phase FROM school WHERE urn = :u"), {"u": listed}
        ).first()
        other = connection.execute(
            text(
                "SELECT urn FROM school WHERE la_code = :la AND phase = :p AND urn NOT IN "
                "(SELECT urn FROM action_school WHERE action_id = :a) LIMIT 1"
            ),
            {"la": la_code, "p": phase, "a": action_id},
        ).scalar()
    assert action_id in set(load_plan_targets(demo_engine, la_code, listed)["action_id"])
    assert action_id not in set(load_plan_targets(demo_engine, la_code, other)["action_id"])
    assert action_id in set(load_plan_targets(demo_engine, la_code)["action_id"])


def test_a_profile_of_an_earlier_year_uses_no_later_figures(demo_engine) -> None:
    early = build_profile(demo_engine, "la", "Z10000001", "2006/07")
    # Two academic years by then: too short for any trend.
    academic = [o for o in early["observations"] if "/" in o["period"]]
    assert academic and all(o["trend"] == "not enough data" for o in academic)


def test_a_place_without_figures_gives_an_empty_profile(demo_engine, tmp_path) -> None:
    from ecm.catalogue import load_catalogue, sync_catalogue
    from ecm.store.engine import make_engine, session_scope, upgrade_schema

    url = new_database_url(tmp_path)
    engine = make_engine(url)
    try:
        upgrade_schema(engine)
        with session_scope(engine) as session:
            sync_catalogue(session, load_catalogue())
            session.execute(
                text(
                    "INSERT INTO region (code, name, country_code, fictional) "
                    "VALUES ('Z12000009', 'Empty (fictional)', 'Z92000001', true)"
                )
            )
        profile = build_profile(engine, "region", "Z12000009")
        assert profile["observations"] == [] and profile["period"] is None
    finally:
        engine.dispose()
        drop_database(url)


def test_a_four_digit_year_is_the_year_a_period_ends() -> None:
    from ecm.periods import period_aliases, period_start

    assert period_aliases("2019") == {"2018/19", "2018-19", "2019", "201819"}
    assert period_aliases("2018/19") == period_aliases("2019") == period_aliases("2018-19")
    assert period_start("2019") == period_start("2018/19") == 2018


def test_profiles_list_the_outcomes_in_the_acts_order(demo_engine) -> None:
    from ecm.figures.queries import load_outcomes
    from ecm.places.overview import outcome_tiles

    act_order = list(load_outcomes(demo_engine)["outcome"].drop_duplicates())
    assert act_order[0] == "Be healthy" and act_order[-1] == "Achieve economic well-being"
    profile = build_profile(demo_engine, "la", "Z10000001")
    listed = list(dict.fromkeys(o["outcome"] for o in profile["observations"]))
    assert listed == [o for o in act_order if o in listed] and len(listed) == 5
    tiles = outcome_tiles(pd.DataFrame(profile["observations"]))
    assert list(tiles["outcome"]) == listed


def test_the_years_offered_run_past_the_year_shown(demo_engine) -> None:
    """A profile opened on an earlier year still offers every later year it has figures for
    (the Year picker once stopped at the year shown)."""
    from ecm.figures.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    latest = build_profile(demo_engine, "la", la)
    earlier = build_profile(demo_engine, "la", la, latest["available_periods"][0])
    assert earlier["period"] == latest["available_periods"][0]
    assert earlier["available_periods"] == latest["available_periods"]
    assert len(latest["available_periods"]) >= 2
