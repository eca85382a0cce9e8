"""Every page runs without exception on the demo data and shows what it promises (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/home.py", "pages/indicators.py", "pages/data.py"]
TIMEOUT = 60


def open_app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(str(ROOT / page))
        at.run()
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.body for w in at.warning]
    parts += (
        [h.value for h in at.title] + [h.value for h in at.header] + [c.value for c in at.caption]
    )
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_and_says_the_data_are_fictional(use_demo_database, page: str) -> None:
    at = open_app(page)
    assert not at.exception, at.exception
    assert any("Fictional demo data" in w.body for w in at.warning)


def test_home_explains_the_five_outcomes(use_demo_database) -> None:
    at = open_app()
    assert at.title[0].value == "Every Child Matters outcomes dashboard"
    shown = texts(at)
    for outcome in (
        "Be healthy",
        "Stay safe",
        "Enjoy and achieve",
        "Make a positive contribution",
        "Achieve economic well-being",
    ):
        assert f"#### {outcome}" in shown
    assert "Ready for school" in shown  # an aim under Enjoy and achieve


def test_home_opens_on_the_la_named_in_the_url(use_demo_database, demo_engine) -> None:
    from ecm.queries import load_local_authorities

    la = load_local_authorities(demo_engine).iloc[0]
    at = open_app(la=la["code"])
    assert not at.exception
    assert at.selectbox(key="pick_la").value == la["code"]
    assert la["name"] in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Plan actions"]) >= 15


def test_picking_a_school_puts_it_in_the_url(use_demo_database, demo_engine) -> None:
    from ecm.queries import load_local_authorities, load_schools

    la = load_local_authorities(demo_engine).iloc[0]["code"]
    school = load_schools(demo_engine, la).iloc[0]
    at = open_app(la=la)
    at.selectbox(key="pick_school").set_value(school["urn"]).run()
    assert not at.exception
    assert at.query_params["urn"] == school["urn"]
    assert school["name"] in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pupils on roll"] == f"{int(school['number_on_roll']):,}"


def test_indicator_search_filters_the_catalogue(use_demo_database) -> None:
    at = open_app("pages/indicators.py")
    at.text_input(key="indicator_search").set_value("obesity").run()
    table = at.dataframe[0].value
    assert len(table) >= 2
    matches = table["title"].str.lower().str.contains("obes") | table[
        "definition"
    ].str.lower().str.contains("obes")
    assert matches.all()


def test_data_page_lists_the_demo_build_as_a_batch(use_demo_database) -> None:
    at = open_app("pages/data.py")
    batches = at.dataframe[0].value
    assert batches["format"].tolist() == ["demo"]
    assert batches["file_name"][0] == "fictional demo: scale tiny, seed 2008"
    assert "Fictional demo data" in batches["licence"][0]
