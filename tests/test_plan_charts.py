"""The plan's chart builders, checked on the figures they return."""

from __future__ import annotations

import pandas as pd
import pytest

from ecm.charts.plan_charts import (
    coverage_chart,
    describe_coverage_chart,
    describe_spend_matrix,
    describe_turn_the_curve,
    period_order,
    spend_matrix_chart,
    turn_the_curve_chart,
)

HISTORY = pd.DataFrame(
    {
        "period": ["2006/07", "2007/08", "2008/09"],
        "value": [20.0, 21.0, 22.5],
        "lower": [18.0, 19.0, 20.0],
        "upper": [22.0, 23.0, 25.0],
    }
)
FORECAST = pd.DataFrame(
    {
        "period": ["2009/10", "2010/11"],
        "value": [23.8, 25.0],
        "lower": [20.0, 20.5],
        "upper": [27.6, 29.5],
    }  # fmt: skip
)
PATH = pd.DataFrame({"period": ["2007/08", "2010/11"], "value": [21.0, 15.75]})
TARGET = {"period": "2010/11", "value": 15.75}


def test_periods_of_any_style_are_put_in_time_order() -> None:
    # A four-digit year is the year a period ends: "2010" is 2009/10, before 2010/11.
    assert period_order(["2010/11", "2010", "2008-09", "2010/11", "2009/10"]) == [
        "2008-09",
        "2009/10",
        "2010",
        "2010/11",
    ]


def test_turn_the_curve_draws_actual_forecast_band_path_and_target() -> None:
    fig = turn_the_curve_chart(HISTORY, FORECAST, PATH, TARGET, "Gap (points)")
    names = [t.name for t in fig.data]
    assert fig.data[0].mode == "lines"  # the band has no markers of its own
    assert names == [
        "Forecast range (95%)",
        "If nothing changes",
        "Path to the target",
        "Actual",
        "Target",
    ]
    actual = fig.data[3]
    assert list(actual.y) == [20.0, 21.0, 22.5]
    assert list(actual.error_y.array) == [2.0, 2.0, 2.5]
    assert list(actual.error_y.arrayminus) == [2.0, 2.0, 2.5]
    assert fig.data[4].text == ("Target 15.8",)
    assert fig.data[1].line.dash == "dash" and fig.data[2].line.dash == "dot"
    assert list(fig.layout.xaxis.categoryarray) == [
        "2006/07",
        "2007/08",
        "2008/09",
        "2009/10",
        "2010/11",
    ]


def test_turn_the_curve_without_forecast_or_target_shows_the_history_alone() -> None:
    fig = turn_the_curve_chart(HISTORY, pd.DataFrame(), pd.DataFrame(), None, "Gap")
    assert [t.name for t in fig.data] == ["Actual"]


def test_turn_the_curve_text_alternative_gives_latest_forecast_and_target() -> None:
    text = describe_turn_the_curve(HISTORY, FORECAST, TARGET, "the gap in points")
    assert text == (
        "Turn-the-curve chart of the gap in points: 20.0 in 2006/07, 22.5 in 2008/09 (95% "
        "interval 20.0 to 25.0); if nothing changes, 25.0 by 2010/11; target 15.8 by 2010/11."
    )


BY_OUTCOME = pd.DataFrame(
    {
        "outcome": ["Be healthy", "Enjoy and achieve"],
        "covered": [2, 3],
        "uncovered": [1, 0],
        "off_track": [0, 2],
    }
)


def test_coverage_bars_have_counts_colours_and_patterns() -> None:
    fig = coverage_chart(BY_OUTCOME)
    assert [t.name for t in fig.data] == [
        "Gaps with an action",
        "Gaps with no action",
        "Actions off track by the figures",
    ]
    assert list(fig.data[1].x) == [1, 0]
    assert list(fig.data[1].text) == ["1", "0"]
    assert fig.data[1].textposition == "outside"
    assert [t.marker.pattern.shape for t in fig.data] == ["", "/", "x"]
    assert fig.layout.xaxis.dtick == 1
    assert describe_coverage_chart(BY_OUTCOME) == (
        "Significant or widening gaps and off-track actions by outcome. Be healthy: 2 gaps "
        "with an action, 1 with none, 0 actions off track; Enjoy and achieve: 3 gaps with an "
        "action, 0 with none, 2 actions off track."
    )


def test_coverage_chart_names_a_missing_column() -> None:
    with pytest.raises(ValueError, match="off_track"):
        coverage_chart(BY_OUTCOME.drop(columns="off_track"))


SPEND = pd.DataFrame(
    {
        "partner": ["Police", "Primary Care Trust", "Primary Care Trust", "Police"],
        "outcome": ["Stay safe", "Be healthy", "Be healthy", "Be healthy"],
        "amount": [40_000.0, 1_200_000.0, 300_000.0, 900.0],
    }
)


def test_spend_matrix_sums_cells_and_orders_partners_by_total() -> None:
    fig = spend_matrix_chart(SPEND)
    heat = fig.data[0]
    assert list(heat.y) == ["Primary Care Trust", "Police"]
    assert list(heat.x) == ["Stay safe", "Be healthy"]
    assert heat.text[0] == ["", "£1.5m"]
    assert heat.text[1] == ["£40k", "£900"]
    assert describe_spend_matrix(SPEND) == (
        "Spend by partner and outcome, £1.5m in all from 2 partners. Largest: Primary Care "
        "Trust on Be healthy, £1.5m; Police on Stay safe, £40k; Police on Be healthy, £900."
    )


def test_the_spend_scale_writes_amounts_as_the_cells_do() -> None:
    spend = pd.DataFrame(
        {
            "partner": ["Police", "Council", "Council"],
            "outcome": ["Stay safe", "Be healthy", "Stay safe"],
            "amount": [2_100_000.0, 350_000.0, 900_000.0],
        }
    )
    heat = spend_matrix_chart(spend).data[0]
    assert [list(row) for row in heat.text] == [["£2.1m", ""], ["£900k", "£350k"]]
    bar = heat.colorbar
    # Plotly's own "~s" format would write "2M" beside cells reading "£2.1m".
    assert bar.tickformat is None and bar.tickprefix is None
    assert list(bar.ticktext) == ["£500k", "£1.0m", "£1.5m", "£2.0m"]
    assert list(bar.tickvals) == [500_000, 1_000_000, 1_500_000, 2_000_000]
