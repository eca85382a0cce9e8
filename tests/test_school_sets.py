"""Which schools a school is compared with: state-funded schools (DfE's comparisons, the
default) or all schools, independent ones included; chosen in the address (``?schools=``),
passed down to the quartiles, pools, spreads and funnels, and named in words wherever shown.

Hampshire's real 2017-18 KS4 table lists 21 independent schools with an Attainment 8 score
(mean 41.0, against 46.6 for the 68 state-funded ones): the expected sets and quartiles are
computed here from the store's own figures, not by the product.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from ecm.places.explorer import explore_gaps
from ecm.places.profile import build_profile
from ecm.stats.benchmarks import FSM_BAND_LABELS
from ecm.store.engine import make_engine
from ecm.store.school_types import (
    ALL_SCHOOLS,
    STATE_FUNDED,
    band_and_set,
    benchmark_band,
    in_set,
    school_set_words,
)
from ecm.views.markdown import escape_markdown
from tests.helpers import KS4, build_real_store, drop_database, open_app, read

YEAR = "2017/18"
TITLE = "Average Attainment 8 score"


@given(st.sampled_from([*FSM_BAND_LABELS, "all"]), st.sampled_from([STATE_FUNDED, ALL_SCHOOLS]))
def test_a_stored_band_label_gives_back_its_band_and_set(band: str, schools: str) -> None:
    label = benchmark_band(band, schools)
    assert band_and_set(label) == (band, schools)
    assert len(label) <= 10  # school_benchmark.fsm_band is a VARCHAR(10)


def test_sets_and_their_words() -> None:
    assert [in_set(flag, STATE_FUNDED) for flag in (True, False, None, np.False_)] == [
        True, False, True, False
    ]  # fmt: skip
    assert all(in_set(flag, ALL_SCHOOLS) for flag in (True, False, None))
    assert school_set_words("primary", STATE_FUNDED, 412) == "412 state-funded primary schools"
    assert school_set_words("primary", ALL_SCHOOLS, 1449, "in Hampshire") == (
        "all 1,449 primary schools in Hampshire (independent schools included)"
    )


@pytest.fixture(scope="module")
def ks4(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    url = build_real_store(tmp_path_factory.mktemp("ks4"), (KS4,))
    engine = make_engine(url)
    yield url, engine
    engine.dispose()
    drop_database(url)


def _scores(engine: Engine) -> pd.DataFrame:
    """Every secondary school's shown all-pupil Attainment 8 score in the year, with whether
    it is state-funded, read from the store."""
    rows = read(
        engine,
        "SELECT o.area_code, o.value, s.state_funded FROM observation o "
        "JOIN school s ON s.urn = o.area_code WHERE o.indicator_code = 'att8scr' "
        "AND o.group_code = 'all' AND o.level = 'school' AND o.period = :period "
        "AND s.phase = 'secondary' AND NOT o.withheld AND o.value IS NOT NULL",
        period=YEAR,
    )
    frame = pd.DataFrame(rows, columns=["urn", "value", "state_funded"])
    # (state_funded may read as 0/1 on SQLite; an unknown type counts as state-funded.)
    frame["state"] = [flag is None or bool(flag) for flag in frame["state_funded"]]
    return frame


def _band(value: float, values: pd.Series) -> str:
    """LAIT's band A (best quarter) to D of a higher-is-better value among ``values``."""
    q1, median, q3 = values.quantile([0.25, 0.5, 0.75])
    return "A" if value >= q3 else "B" if value >= median else "C" if value >= q1 else "D"


def _changing_school(scores: pd.DataFrame) -> tuple[str, str, str]:
    """A state-funded school whose band differs between the two sets: URN and both bands."""
    state = scores.loc[scores["state"], "value"]
    for row in scores[scores["state"]].itertuples(index=False):
        bands = _band(row.value, state), _band(row.value, scores["value"])
        if bands[0] != bands[1]:
            return row.urn, *bands
    raise AssertionError("no school changes band between the sets")


def _att8(profile: dict) -> dict:
    return next(
        o
        for o in profile["observations"]
        if (o["indicator"], o["group"], o["period"]) == ("att8scr", "all", YEAR)
    )


@pytest.mark.realdata
def test_the_bands_are_among_the_chosen_set(ks4) -> None:  # noqa: ANN001
    _, engine = ks4
    scores = _scores(engine)
    state = scores[scores["state"]]
    # The published table: independent schools score lower on average.
    assert (~scores["state"]).sum() == 21 and len(state) == 68
    assert round(scores.loc[~scores["state"], "value"].mean(), 1) == 41.0
    assert round(state["value"].mean(), 1) == 46.6
    urn, state_band, all_band = _changing_school(scores)
    for schools, band, count, words in (
        (STATE_FUNDED, state_band, 68, "among 68 state-funded secondary schools loaded"),
        (ALL_SCHOOLS, all_band, 89, "among all 89 secondary schools loaded (independent schools "
         "included)"),
    ):  # fmt: skip
        profile = build_profile(engine, "school", urn, YEAR, schools)
        assert profile["geography"]["compared_with"] == schools
        assert _att8(profile)["rank"] == {"band": band, "of": count, "among": words}


@pytest.mark.realdata
def test_the_funnel_holds_independent_schools_only_when_chosen(ks4) -> None:  # noqa: ANN001
    _, engine = ks4
    independent = {u for (u,) in read(engine, "SELECT urn FROM school WHERE NOT state_funded")}
    state = explore_gaps(engine, "att8scr", "disadvantaged", "school", YEAR)
    everyone = explore_gaps(engine, "att8scr", "disadvantaged", "school", YEAR, schools="all")
    assert not set(state.gaps["area_code"]) & independent
    added = set(everyone.gaps["area_code"]) - set(state.gaps["area_code"])
    assert added and added <= independent
    # Mainstream schools only (special schools are compared apart), all of them secondary.
    assert state.places_words == f"{len(state.gaps):,} mainstream state-funded secondary schools"
    assert everyone.places_words == (
        f"all {len(everyone.gaps):,} mainstream secondary schools (independent schools included)"
    )
    # The centre is the national gap either way; Attainment 8 comes without intervals, so
    # there is no pupil-level spread to draw limits from, and no funnel (not an empty one).
    assert everyone.centre == state.centre
    assert state.limits.empty and everyone.limits.empty


def _figure_cell(at, title: str, column: str) -> str:  # noqa: ANN001
    """The cell of the all-pupils row of ``title`` in the page's figures tables."""
    for frame in at.dataframe:
        table = frame.value
        if {"Indicator", "Group", column} <= set(table.columns):
            rows = table[(table["Indicator"] == title) & (table["Group"] == "All pupils")]
            if not rows.empty:
                return str(rows[column].iloc[0])
    raise AssertionError(f"no {column} for {title}")


@pytest.mark.realdata
def test_the_school_page_compares_with_the_set_in_its_address(ks4, monkeypatch) -> None:  # noqa: ANN001
    url, engine = ks4
    monkeypatch.setenv("ECM_DATABASE_URL", url)
    urn, state_band, all_band = _changing_school(_scores(engine))
    page = "app_pages/school.py"

    at = open_app(page, urn=urn, period=YEAR)
    assert not at.exception
    assert at.selectbox(key="param_schools").value == STATE_FUNDED
    assert _figure_cell(at, TITLE, "Band (A best)") == (
        f"{state_band} (among 68 state-funded secondary schools loaded)"
    )
    assert any("among the state-funded secondary schools loaded" in c.value for c in at.caption)

    at = open_app(page, urn=urn, period=YEAR, schools="all")
    assert not at.exception
    assert at.query_params["schools"] == "all"
    assert _figure_cell(at, TITLE, "Band (A best)") == (
        f"{all_band} (among all 89 secondary schools loaded (independent schools included))"
    )
    assert any("(independent schools included)" in c.value for c in at.caption)

    # Choosing on the page puts the choice in the address and compares again.
    at.selectbox(key="param_schools").set_value(STATE_FUNDED).run()
    assert at.query_params["schools"] == STATE_FUNDED
    assert _figure_cell(at, TITLE, "Band (A best)").startswith(f"{state_band} (among 68 ")

    at = open_app(page, urn=urn, period=YEAR, schools="independent")
    assert not at.exception
    assert [w.body for w in at.warning if "'schools'" in w.body] == [
        escape_markdown(
            "The address's 'schools' “independent” is not state_funded (compare with "
            "state-funded schools) or all (all schools, including independent), so it was "
            "left out."
        )
    ]
    assert _figure_cell(at, TITLE, "Band (A best)").startswith(f"{state_band} (among 68 ")


@pytest.mark.realdata
def test_the_gap_explorer_ranks_all_schools_when_chosen(ks4, monkeypatch) -> None:  # noqa: ANN001
    url, engine = ks4
    monkeypatch.setenv("ECM_DATABASE_URL", url)
    everyone = explore_gaps(engine, "att8scr", "disadvantaged", "school", YEAR, schools="all")
    state = explore_gaps(engine, "att8scr", "disadvantaged", "school", YEAR)
    params = {"indicator": "att8scr", "group": "disadvantaged", "level": "school"}
    for chosen, result in ((STATE_FUNDED, state), (ALL_SCHOOLS, everyone)):
        at = open_app("app_pages/gaps.py", period=YEAR, schools=chosen, **params)
        assert not at.exception
        assert at.selectbox(key="param_schools").value == chosen
        words = " ".join(c.value for c in at.caption)
        assert f"Among {result.places_words}." in words
    assert "(independent schools included)" in everyone.places_words
