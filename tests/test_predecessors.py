"""A converted school's series followed back to the school it replaced (ecm.figures.predecessors):
only where the register names one plain predecessor, only the school's own indicators and
groups, only years before its own first figure; said on the page."""

from __future__ import annotations

import pandas as pd
import pytest

from ecm.figures.predecessors import FROM_URN, join_predecessor, single_predecessor
from ecm.places.profile import build_profile
from ecm.store.engine import make_engine
from tests.helpers import open_app


def _rows(urn: str, cells: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"level": "school", "area_code": urn, "indicator_code": i, "group_code": g,
             "period": p, "value": v}
            for i, g, p, v in cells
        ]
    )  # fmt: skip


def test_only_earlier_years_of_the_schools_own_indicators_and_groups_are_joined() -> None:
    own = _rows("2", [("read", "all", "2018/19", 78.0), ("read", "fsm", "2018/19", 60.0),
                      ("maths", "all", "2017/18", 70.0)])  # fmt: skip
    theirs = _rows("1", [
        ("read", "all", "2016/17", 69.0), ("read", "all", "2017/18", 65.0),
        ("read", "all", "2018/19", 99.0),  # the school's own year: never replaced
        ("read", "boys", "2016/17", 50.0),  # a group the school has no figure for
        ("maths", "all", "2016/17", 66.0), ("maths", "all", "2017/18", 99.0),
        ("science", "all", "2016/17", 80.0),  # an indicator the school has no figure for
    ])  # fmt: skip
    joined = join_predecessor(own, theirs, "2", "1")
    assert sorted(
        zip(joined["indicator_code"], joined["period"], joined["value"], strict=True)
    ) == [  # fmt: skip
        ("maths", "2016/17", 66.0),
        ("read", "2016/17", 69.0),
        ("read", "2017/18", 65.0),
    ]
    assert set(joined["area_code"]) == {"2"} and set(joined[FROM_URN]) == {"1"}
    assert join_predecessor(own.iloc[:0], theirs, "2", "1").empty


@pytest.mark.realdata
def test_a_real_converted_school_reads_its_predecessors_years(real_stores) -> None:  # noqa: ANN001
    engine = make_engine(real_stores.url("everything"))
    try:
        # Bordon Junior School: URN 146002 from 2018/19, 115864 before it (closed).
        assert single_predecessor(engine, "146002") == ("115864", "Bordon Junior School")
        # Two predecessors (an amalgamation) are not one school's history: nothing joined.
        assert single_predecessor(engine, "116234") is None
        profile = build_profile(engine, "school", "146002")
    finally:
        engine.dispose()
    assert profile["predecessor"] == {
        "urn": "115864", "name": "Bordon Junior School", "periods": ["2016/17", "2017/18"]
    }  # fmt: skip
    assert profile["available_periods"] == ["2018/19"]  # its own years only
    reading = sorted(
        (s["period"], s["value"], s["from_urn"])
        for s in profile["series"]
        if s["indicator"] == "ptread_exp" and s["name"] == "Bordon Junior School"
    )
    # 34 of 49 and 39 of 60 pupils under the old URN (published 69% and 65%), then 78%.
    assert reading == [
        ("2016/17", 69.0, "115864"), ("2017/18", 65.0, "115864"), ("2018/19", 78.0, None)
    ]  # fmt: skip
    shown = {(o["indicator"], o["group"]): o for o in profile["observations"]}
    assert shown[("ptread_exp", "all")]["period"] == "2018/19"
    # Three years now: an untested direction of travel, not "not enough data".
    assert shown[("ptread_exp", "all")]["trend"] == "no clear change"


@pytest.mark.realdata
def test_the_school_page_says_whose_figures_the_trend_shows(real_stores, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ECM_DATABASE_URL", real_stores.url("everything"))
    at = open_app("app_pages/school.py", urn="146002", trend_indicator="ptread_exp")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        "Figures for 2016/17 to 2017/18 are those of Bordon Junior School (URN 115864), the "
        "school this one replaced: the register links the two, so the trends follow the school "
        "across its change of URN."
    ) in captions
