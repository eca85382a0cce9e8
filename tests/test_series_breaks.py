"""Series breaks: the catalogue table, the rule that no trend or forecast crosses a break, and
the charts that mark them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from ecm.catalogue import BREAKS_FILE, INDICATORS_FILE, load_series_breaks, series_breaks
from ecm.charts import describe_trend_chart, trend_chart
from ecm.charts.plan_charts import describe_turn_the_curve, turn_the_curve_chart
from ecm.config import DATA_DIR
from ecm.errors import DataError
from ecm.importers import import_file
from ecm.periods import period_start
from ecm.plan.coverage import turn_the_curve
from ecm.stats.breaks import break_labels, since_latest_break
from ecm.stats.trends import NO_CHANGE, NOT_ENOUGH, compute_trends
from tests.helpers import PT, REAL, drop_database, fresh_engine, read

KS2_FAMILY = ("ptrwm_exp", "ptread_exp", "ptmat_exp", "readprog", "matprog")


def test_the_catalogue_records_the_dfe_breaks_with_their_sources() -> None:
    breaks = series_breaks()
    first = breaks.groupby("indicator_code")["first_period"].apply(list)
    for code in KS2_FAMILY:
        assert {"2015/16", "2021/22"} <= set(first[code])
    # LAIT's own note: writing frameworks changed in 2018, so RWM is not comparable with 2016-17.
    assert "2017/18" in first["ptrwm_exp"] and "2017/18" not in first["ptread_exp"]
    ks4 = {"2016/17", "2017/18", "2019/20", "2020/21", "2021/22", "2022/23"}
    assert set(first["att8scr"]) == ks4
    assert set(first["ptl2basics_94"]) >= {"2016/17", "2019/20", "2020/21"}
    assert (breaks["first_year"] == breaks["first_period"].map(period_start)).all()
    assert breaks["source"].str.contains("DfE|LAIT").all()
    rwm = breaks[breaks["indicator_code"] == "ptrwm_exp"]
    covid = rwm[rwm["first_period"] == "2021/22"]
    assert "cancelled in 2019/20 and 2020/21 because of COVID-19" in covid["reason"].iloc[0]


def test_a_bad_break_row_is_refused_with_file_line_and_column(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / INDICATORS_FILE, tmp_path / INDICATORS_FILE)
    (tmp_path / BREAKS_FILE).write_text(
        "indicators,first_period,label,reason,source\n"
        "ptrwm_exp,2015/16,new KS2 standard,A reason,DfE: a release\n"
        "ptrwm_exp;no_such_code,2016-17,a label,A reason,DfE: a release\n"
        "att8scr,2016/17,,A reason,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_series_breaks(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "series_breaks.csv line 3 column indicators: 'no_such_code' is not an indicator",
        "series_breaks.csv line 3 column first_period: '2016-17' is not an academic year like "
        "2015/16",
        "series_breaks.csv line 4 column label: is empty",
        "series_breaks.csv line 4 column source: is empty",
    ]


BREAKS = pd.DataFrame(
    {
        "indicator_code": ["ks2", "ks2"],
        "first_period": ["2015/16", "2021/22"],
        "first_year": [2015, 2021],
        "label": ["new KS2 standard", "no KS2 assessments 2019/20-2020/21"],
    }
)


def test_each_series_keeps_its_points_from_its_latest_break_on() -> None:
    figures = pd.DataFrame(
        {
            "indicator_code": ["ks2"] * 7 + ["other"] * 2,
            "place": ["a"] * 3 + ["b"] * 4 + ["a"] * 2,
            "period": [
                "2016/17", "2017/18", "2018/19",  # one series: no break inside it
                "2017/18", "2018/19", "2022", "2022/23",  # crosses 2021/22 (LAIT "2022" too)
                "2018/19", "2022/23",  # an indicator without breaks keeps every point
            ],
        }
    )  # fmt: skip
    kept = since_latest_break(figures, BREAKS, ["indicator_code", "place"])
    assert kept["period"].tolist() == ["2016/17", "2017/18", "2018/19", "2022", "2022/23"] + [
        "2018/19",
        "2022/23",
    ]
    # A series judged as of 2018/19 is whole again: the break after it does not apply.
    as_of = figures[figures["period"].map(period_start) <= 2018]
    assert since_latest_break(as_of, BREAKS, ["indicator_code", "place"]).equals(as_of)


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.integers(50, 400), min_size=2, max_size=6),
    after=st.integers(5, 7),  # a tested trend needs five points
    level=st.integers(300, 700),
    rise=st.integers(60, 120),
)
def test_a_trend_never_reads_across_a_break(before, after, level, rise) -> None:
    # Strongly rising up to the break, flat after it: the trend is the flat one.
    first = 2021 - len(before)
    numerators = [100 + rise * i for i in range(len(before))] + [level] * after
    years = list(range(first, 2021)) + list(range(2021, 2021 + after))
    figures = pd.DataFrame(
        {
            "indicator_code": "ks2",
            "series": "s",
            "period": [f"{y}/{str(y + 1)[-2:]}" for y in years],
            "numerator": numerators,
            "denominator": 1000,
        }
    )
    kept = since_latest_break(figures, BREAKS, ["series"])
    assert kept["period"].map(period_start).min() == 2021
    result = compute_trends(kept, ["series"], window=10)
    assert result["trend"].iloc[0] == NO_CHANGE
    assert int(result["points"].iloc[0]) == after


def test_a_series_with_two_points_after_its_break_has_not_enough_data() -> None:
    figures = pd.DataFrame(
        {
            "indicator_code": "ks2",
            "series": "s",
            "period": ["2016/17", "2017/18", "2018/19", "2021/22", "2022/23"],
            "numerator": [200, 400, 600, 500, 500],
            "denominator": 1000,
        }
    )
    # Unfiltered, the five-year window alone (even at three points) reads a fall from 2018/19
    # across the break.
    assert compute_trends(figures, ["series"], min_points=3)["trend"].iloc[0] == "decreasing"
    kept = since_latest_break(figures, BREAKS, ["series"])
    assert compute_trends(kept, ["series"], min_points=3)["trend"].iloc[0] == NOT_ENOUGH


def test_a_chart_marks_a_break_inside_its_span_only() -> None:
    periods = pd.Series(["2016/17", "2017/18", "2018/19", "2021/22", "2022/23"] * 2)
    labels = break_labels(periods, "ks2", BREAKS)
    assert labels.tolist() == ["", "", "", "no KS2 assessments 2019/20-2020/21", ""] * 2
    assert (break_labels(periods[:3], "ks2", BREAKS) == "").all()
    assert (break_labels(periods, "other", BREAKS) == "").all()


def crossing_series() -> pd.DataFrame:
    periods = ["2016/17", "2017/18", "2018/19", "2021/22", "2022/23"]
    marks = ["", "", "", "no KS2 assessments", ""]
    return pd.DataFrame(
        {
            "name": ["School"] * 5 + ["England"] * 5,
            "period": periods * 2,
            "value": [60.0, 64, 68, 55, 57, 61, 64, 65, 59, 60],
            "lower": [55.0] * 10,
            "upper": [70.0] * 10,
            "series_break": marks * 2,
        }
    )


def test_the_trend_chart_marks_the_break_and_never_joins_a_line_across_it() -> None:
    series = crossing_series()
    fig = trend_chart(series, "Expected standard (%)")
    spans = [(t.name, list(t.x)) for t in fig.data]
    assert spans == [
        ("School", ["2016/17", "2017/18", "2018/19"]),
        ("School", ["2021/22", "2022/23"]),
        ("England", ["2016/17", "2017/18", "2018/19"]),
        ("England", ["2021/22", "2022/23"]),
    ]
    assert [t.showlegend for t in fig.data] == [True, False, True, False]
    (line,) = fig.layout.shapes
    assert (line.x0, line.x1, line.line.dash) == (2.5, 2.5, "dash")
    assert fig.layout.annotations[0].text == "series break: no KS2 assessments"
    assert fig.data[1].customdata[0][3] == "<br>Series break before 2021/22: no KS2 assessments"
    alt = describe_trend_chart(series, "Expected standard (%)")
    # The change is told within the latest series only, and the break is said.
    assert "School: 55.0 in 2021/22 and 57.0 in 2022/23 (two figures, too few for a trend)" in alt
    assert "Series break before 2021/22 (no KS2 assessments)" in alt
    assert "not joined across it" in alt


def test_a_chart_without_breaks_is_drawn_as_before() -> None:
    series = crossing_series().drop(columns="series_break")
    fig = trend_chart(series, "Expected standard (%)")
    assert [len(t.x) for t in fig.data] == [5, 5]
    assert fig.layout.shapes == ()
    assert "Series break" not in describe_trend_chart(series, "Expected standard (%)")


def test_the_turn_the_curve_forecast_runs_on_the_latest_series_only() -> None:
    history = pd.DataFrame(
        {
            "indicator_code": "ptrwm_exp",
            "period": ["2015/16", "2016/17", "2017/18", "2018/19", "2021/22", "2022/23"],
            "value": [40.0, 45, 50, 55, 48, 49],
            "lower": [38.0, 43, 48, 53, 46, 47],
            "upper": [42.0, 47, 52, 57, 50, 51],
            "trend": "not enough data",
        }
    )
    target = {"indicator_code": "ptrwm_exp", "group_code": "all"}
    curve = turn_the_curve(history, target, pd.DataFrame(), polarity="higher_is_better")
    # 2017/18 opens the writing-framework series, 2021/22 the one after COVID-19: two points.
    assert curve.forecast is None
    assert curve.history["series_break"].tolist() == [
        "",
        "",
        "new KS2 writing framework",
        "",
        "no KS2 assessments 2019/20-2020/21",
        "",
    ]
    frame = curve.history[["period", "value", "lower", "upper", "series_break"]]
    empty = pd.DataFrame(columns=["period", "value", "lower", "upper"])
    fig = turn_the_curve_chart(frame, empty, empty, None, "Expected standard (%)")
    assert [list(t.x) for t in fig.data] == [
        ["2015/16", "2016/17"],
        ["2017/18", "2018/19"],
        ["2021/22", "2022/23"],
    ]
    assert [s.x0 for s in fig.layout.shapes if s.line.dash == "dash"] == [1.5, 3.5]
    alt = describe_turn_the_curve(frame, empty, None, "Expected standard (%)")
    assert "Series break before 2017/18 (new KS2 writing framework)" in alt


# --- on real published files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ks2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Hampshire's three KS2 performance tables and LAIT (to 2024/25), as published."""
    url, engine = fresh_engine(tmp_path_factory.mktemp("breaks"))
    for year in ("2016-2017", "2017-2018", "2018-2019"):
        import_file(engine, PT / "hampshire" / f"{year}_850_ks2final.csv")
    import_file(engine, REAL / "lait" / "bds_long_0.parquet")
    yield engine
    engine.dispose()
    drop_database(url)


def hampshire(engine: Engine, indicator: str, group: str) -> pd.DataFrame:
    rows = read(
        engine,
        "SELECT indicator_code, period, value FROM observation WHERE level = 'la' "
        "AND area_code = 'E10000014' AND indicator_code = :i AND group_code = :g "
        "AND value IS NOT NULL ORDER BY period",
        i=indicator,
        g=group,
    )
    return pd.DataFrame(rows, columns=["indicator_code", "period", "value"])


@pytest.mark.realdata
def test_real_hampshire_ks2_series_are_split_at_their_breaks(real_ks2) -> None:
    breaks = series_breaks()
    reading = hampshire(real_ks2, "ptread_exp", "all")
    before = reading[reading["period"].isin(["2016/17", "2017/18", "2018/19"])]
    assert len(before) == 3
    # Reading 2016/17-2018/19 is one series: a trend may use all three years.
    assert since_latest_break(before, breaks, ["indicator_code"]).equals(before)
    rwm = hampshire(real_ks2, "ptrwm_exp", "disadvantaged")
    assert rwm.set_index("period")["value"].to_dict() == {
        "2015/16": 39.0,
        "2016/17": 47.0,
        "2017/18": 49.0,
        "2018/19": 49.0,
        "2021/22": 38.0,
        "2022/23": 40.0,
        "2023/24": 39.0,
        "2024/25": 43.0,
    }
    # Spanning 2018/19 -> 2021/22 crosses the COVID-19 break: only 2021/22 is left.
    spanning = rwm[rwm["period"].isin(["2017/18", "2018/19", "2021/22"])]
    assert since_latest_break(spanning, breaks, ["indicator_code"])["period"].tolist() == [
        "2021/22"
    ]
    # Up to 2018/19 the writing-framework break of 2017/18 (LAIT's note) leaves two years.
    upto = rwm[rwm["period"].map(period_start) <= 2018]
    assert since_latest_break(upto, breaks, ["indicator_code"])["period"].tolist() == [
        "2017/18",
        "2018/19",
    ]
    whole = since_latest_break(rwm, breaks, ["indicator_code"])
    assert whole["period"].tolist() == ["2021/22", "2022/23", "2023/24", "2024/25"]
